using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Usage;

/// <summary>
/// Fixes the scale of each container's demand once, when its workload (or a pod of no workload) is created: the
/// <see cref="UsageAnnotations.Scale"/> annotation from the original requests (limits where there are none, 100m CPU and
/// 128Mi memory where neither is set). Kept on every update, so a resize or a template change never moves demand.
/// </summary>
internal sealed class UsageScale : IWriteStrategy
{
    private static readonly (string Cpu, string Memory) Fallback = ("100m", "128Mi");

    public void Admit(ResourceType requested, JsonObject? old, JsonObject next, string subresource)
    {
        var key = requested.StorageKey;
        var isWorkload = key == ResourceCatalog.Deployments.StorageKey || key == ResourceCatalog.StatefulSets.StorageKey;
        if (!isWorkload && key != ResourceCatalog.Pods.StorageKey)
            return;
        if (Of(next) is not null || (isWorkload && Of(next["spec"]?["template"]) is not null))
            return;
        var containers = (isWorkload ? next["spec"]?["template"]?["spec"]?["containers"] : next["spec"]?["containers"]) as JsonArray ?? [];
        var scale = old is null ? From(containers).ToJsonString() : Of(old);
        if (scale is not null)
            JsonPaths.Object(JsonPaths.Metadata(next), "annotations")[UsageAnnotations.Scale] = scale;
    }

    /// <summary>The scale of each container from its resources.</summary>
    public static JsonObject From(JsonArray containers)
    {
        var scale = new JsonObject();
        foreach (var container in containers.OfType<JsonObject>())
        {
            string Pick(string name, string fallback) =>
                (container["resources"]?["requests"]?[name] ?? container["resources"]?["limits"]?[name])?.ToString() ?? fallback;
            scale[container["name"]?.ToString() ?? ""] = new JsonObject { ["cpu"] = Pick("cpu", Fallback.Cpu), ["memory"] = Pick("memory", Fallback.Memory) };
        }

        return scale;
    }

    /// <summary>A container's scale in cores and bytes from the pod's annotation, if the annotation names it.</summary>
    public static (decimal Cpu, decimal Memory)? Read(JsonObject pod, string container)
    {
        try
        {
            var entry = Of(pod) is { } text ? JsonNode.Parse(text)?[container] : null;
            return entry is not null && Quantity.TryParse(entry["cpu"]?.ToString(), out var cpu) && Quantity.TryParse(entry["memory"]?.ToString(), out var memory)
                ? (cpu, memory)
                : null;
        }
        catch (System.Text.Json.JsonException)
        {
            // A hand-written annotation that is not JSON: the container falls back to its requests.
            return null;
        }
    }

    private static string? Of(JsonNode? obj) => obj?["metadata"]?["annotations"]?[UsageAnnotations.Scale]?.ToString();
}
