using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using Thoras.Sandbox.Seeding;

namespace Thoras.Sandbox.Tests.Support;

/// <summary>The AIScaleTarget CRD and objects the tests use, and small helpers for untyped client results.</summary>
public static class Crds
{
    public const string Group = "thoras.ai";
    public const string AstVersion = "v1";
    public const string Plural = "aiscaletargets";

    public static JsonObject AiScaleTargetCrd() => Manifests.CustomResourceDefinition(Group, AstVersion, "AIScaleTarget", Plural, ["ast"],
        [("Target", "string", ".spec.scaleTargetRef.name"), ("Mode", "string", ".spec.vertical.mode"), ("Age", "date", ".metadata.creationTimestamp")]);

    public static JsonObject AiScaleTarget(string ns, string name, string target = "web", string mode = "recommendation") =>
        Manifests.CustomObject($"{Group}/{AstVersion}", "AIScaleTarget", ns, name, new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = target },
            ["vertical"] = new JsonObject { ["mode"] = mode },
        });

    public static JsonObject Node(object untyped) => JsonNode.Parse(JsonSerializer.Serialize(untyped))!.AsObject();

    public static async Task<HttpOperationException> ApiFailureAsync(Func<Task> call)
    {
        var error = await Assert.ThrowsAsync<HttpOperationException>(call);
        return error;
    }

    public static JsonObject StatusBody(HttpOperationException error) => JsonNode.Parse(error.Response.Content)!.AsObject();
}

/// <summary>Shorthand for the client's patch bodies.</summary>
public static class Patch
{
    public static k8s.Models.V1Patch Merge(string json) => new(json, k8s.Models.V1Patch.PatchType.MergePatch);

    public static k8s.Models.V1Patch Json(string json) => new(json, k8s.Models.V1Patch.PatchType.JsonPatch);

    public static k8s.Models.V1Patch Strategic(string json) => new(json, k8s.Models.V1Patch.PatchType.StrategicMergePatch);
}
