using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Workloads;

/// <summary>The outcome of an in-place resize, as the kubelet decides it.</summary>
internal enum ResizeVerdict
{
    /// <summary>Applied: the container now runs with the new resources.</summary>
    Applied,

    /// <summary>Fits the node, but not next to the pods already there.</summary>
    Deferred,

    /// <summary>More than the node has at all.</summary>
    Infeasible,
}

/// <summary>Rules of the pods/resize subresource: what may change, and how the status reports the result.</summary>
internal static class PodResize
{
    public static void Validate(JsonObject current, JsonObject proposed, string name)
    {
        var before = WithoutResources(current);
        var after = WithoutResources(proposed);
        if (!JsonNode.DeepEquals(before, after))
            throw ApiError.Invalid(ResourceCatalog.Pods, name, FieldError.Forbidden("spec", "only cpu and memory resources are mutable"));
        if (PodTemplates.QosClass(current) != PodTemplates.QosClass(proposed))
            throw ApiError.Invalid(ResourceCatalog.Pods, name, FieldError.Invalid("spec", PodTemplates.QosClass(proposed), "Pod QOS Class may not change as a result of resizing"));
        foreach (var container in (proposed["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            foreach (var kind in new[] { "requests", "limits" })
            {
                foreach (var (resource, value) in container["resources"]?[kind] as JsonObject ?? [])
                {
                    if (!Quantity.TryParse(value?.ToString(), out _))
                        throw ApiError.Invalid(ResourceCatalog.Pods, name, FieldError.Invalid($"spec.containers[{container["name"]}].resources.{kind}[{resource}]", value?.ToString(), "quantities must match the regular expression"));
                }
            }
        }
    }

    public static ResizeVerdict Decide(decimal cpu, decimal memory, decimal nodeCpu, decimal nodeMemory, decimal otherCpu, decimal otherMemory)
    {
        if (cpu > nodeCpu || memory > nodeMemory)
            return ResizeVerdict.Infeasible;
        if (cpu + otherCpu > nodeCpu || memory + otherMemory > nodeMemory)
            return ResizeVerdict.Deferred;
        return ResizeVerdict.Applied;
    }

    public static void ApplyStatus(JsonObject pod, ResizeVerdict verdict, string now)
    {
        var status = JsonPaths.Object(pod, "status");
        var conditions = (status["conditions"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(c => c["type"]?.ToString() is not ("PodResizePending" or "PodResizeInProgress"))
            .Select(c => (JsonNode)c.DeepClone())
            .ToList();
        status.Remove("resize");
        if (verdict == ResizeVerdict.Applied)
        {
            foreach (var containerStatus in (status["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var container = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>()
                    .First(c => c["name"]?.ToString() == containerStatus["name"]?.ToString());
                containerStatus["resources"] = container["resources"]?.DeepClone() ?? new JsonObject();
                containerStatus["allocatedResources"] = container["resources"]?["requests"]?.DeepClone() ?? new JsonObject();
            }
        }
        else
        {
            var reason = verdict.ToString();
            status["resize"] = reason;
            conditions.Add(new JsonObject
            {
                ["type"] = "PodResizePending",
                ["status"] = "True",
                ["reason"] = reason,
                ["message"] = verdict == ResizeVerdict.Infeasible
                    ? "Node didn't have enough capacity"
                    : "Node didn't have enough resources available",
                ["lastProbeTime"] = now,
                ["lastTransitionTime"] = now,
            });
        }

        status["conditions"] = new JsonArray([.. conditions]);
    }

    private static JsonObject WithoutResources(JsonObject pod)
    {
        var copy = new JsonObject { ["spec"] = pod["spec"]?.DeepClone() };
        foreach (var container in (copy["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            container.Remove("resources");
            container.Remove("resizePolicy");
        }

        return copy;
    }
}
