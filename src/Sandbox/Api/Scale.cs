using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Api;

/// <summary>The <c>scale</c> subresource: an <c>autoscaling/v1</c> Scale view over a workload's replicas.</summary>
internal static class Scale
{
    public static JsonObject View(ResourceType type, JsonObject workload) => new()
    {
        ["kind"] = "Scale",
        ["apiVersion"] = "autoscaling/v1",
        ["metadata"] = new JsonObject
        {
            ["name"] = workload["metadata"]?["name"]?.DeepClone(),
            ["namespace"] = workload["metadata"]?["namespace"]?.DeepClone(),
            ["uid"] = workload["metadata"]?["uid"]?.DeepClone(),
            ["resourceVersion"] = workload["metadata"]?["resourceVersion"]?.DeepClone(),
            ["creationTimestamp"] = workload["metadata"]?["creationTimestamp"]?.DeepClone(),
        },
        ["spec"] = new JsonObject { ["replicas"] = JsonNumbers.Int(workload["spec"]?["replicas"]) ?? 1 },
        ["status"] = new JsonObject
        {
            ["replicas"] = JsonNumbers.Int(workload["status"]?["replicas"]) ?? 0,
            ["selector"] = Selectors.Format(workload["spec"]?["selector"] as JsonObject),
        },
    };

    public static JsonObject Set(ObjectStore store, ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change, bool dryRun)
    {
        var updated = store.Update(type, ns, name, current =>
        {
            var scale = change(View(type, current));
            var replicas = JsonNumbers.Int(scale["spec"]?["replicas"])
                ?? throw ApiError.BadRequest("spec.replicas is required");
            if (replicas < 0)
                throw ApiError.Invalid(type, name, FieldError.Invalid("spec.replicas", replicas, "must be greater than or equal to 0"));
            JsonPaths.Object(current, "spec")["replicas"] = replicas;
            current["metadata"]!["resourceVersion"] = scale["metadata"]?["resourceVersion"]?.DeepClone();
            return current;
        }, "", dryRun);
        return View(type, updated);
    }
}
