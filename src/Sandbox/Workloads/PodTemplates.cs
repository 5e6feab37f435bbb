using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;
using Thoras.Sandbox.Usage;

namespace Thoras.Sandbox.Workloads;

/// <summary>Turns workload templates into pods and gives pods the status a kubelet would report.</summary>
internal static class PodTemplates
{
    public const string NodeName = "sandbox-node";

    private static readonly string[] ComputeResources = ["cpu", "memory"];

    /// <summary>A stable short hash of a pod template, like the pod-template-hash label.</summary>
    public static string Hash(JsonNode? template)
    {
        var text = template?.ToJsonString() ?? "";
        uint hash = 2166136261;
        foreach (var b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 16777619;
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        var builder = new StringBuilder();
        for (var i = 0; i < 10; i++)
        {
            builder.Append(alphabet[(int)(hash % (uint)alphabet.Length)]);
            hash = hash / (uint)alphabet.Length ^ (hash * 2654435761u);
        }

        return builder.ToString();
    }

    public static JsonObject NewPod(JsonObject workload, string kind, string hash, string? fixedName)
    {
        var metadata = workload["metadata"]!.AsObject();
        var template = workload["spec"]?["template"] as JsonObject ?? new JsonObject();
        var labels = (template["metadata"]?["labels"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
        var annotations = (template["metadata"]?["annotations"] as JsonObject)?.DeepClone() as JsonObject ?? new JsonObject();
        foreach (var key in UsageAnnotations.All)
        {
            if (annotations[key] is null && metadata["annotations"]?[key] is { } value)
                annotations[key] = value.DeepClone();
        }

        var podMetadata = new JsonObject
        {
            ["namespace"] = metadata["namespace"]?.DeepClone(),
            ["labels"] = labels,
            ["ownerReferences"] = new JsonArray(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = kind,
                ["name"] = metadata["name"]?.DeepClone(),
                ["uid"] = metadata["uid"]?.DeepClone(),
                ["controller"] = true,
                ["blockOwnerDeletion"] = true,
            }),
        };
        if (annotations.Count > 0)
            podMetadata["annotations"] = annotations;
        if (kind == "Deployment")
        {
            labels["pod-template-hash"] = hash;
            podMetadata["generateName"] = $"{metadata["name"]}-{hash}-";
        }
        else
        {
            labels["controller-revision-hash"] = $"{metadata["name"]}-{hash}";
            labels["statefulset.kubernetes.io/pod-name"] = fixedName;
            podMetadata["name"] = fixedName;
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = podMetadata,
            ["spec"] = template["spec"]?.DeepClone() ?? new JsonObject { ["containers"] = new JsonArray() },
        };
    }

    public static JsonObject RunningStatus(JsonObject pod, string now, int ordinal)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        JsonObject Condition(string type) => new() { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = now };
        var ip = $"10.244.{ordinal / 250 % 250}.{ordinal % 250 + 2}";
        return new JsonObject
        {
            ["phase"] = "Running",
            ["conditions"] = new JsonArray(Condition("PodReadyToStartContainers"), Condition("Initialized"), Condition("Ready"), Condition("ContainersReady"), Condition("PodScheduled")),
            ["hostIP"] = "10.0.0.1",
            ["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = "10.0.0.1" }),
            ["podIP"] = ip,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = ip }),
            ["startTime"] = now,
            ["qosClass"] = QosClass(pod),
            ["containerStatuses"] = new JsonArray(containers.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c["name"]?.DeepClone(),
                ["image"] = c["image"]?.DeepClone(),
                ["imageID"] = $"sandbox://{c["image"]}",
                ["containerID"] = $"sandbox://{Guid.NewGuid():N}",
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } },
                ["lastState"] = new JsonObject(),
                ["allocatedResources"] = c["resources"]?["requests"]?.DeepClone() ?? new JsonObject(),
                ["resources"] = c["resources"]?.DeepClone() ?? new JsonObject(),
            }).ToArray()),
        };
    }

    public static string QosClass(JsonObject pod)
    {
        var containers = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        var any = containers.Any(c => (c["resources"]?["requests"] as JsonObject)?.Count > 0 || (c["resources"]?["limits"] as JsonObject)?.Count > 0);
        if (!any)
            return "BestEffort";
        var guaranteed = containers.All(c =>
        {
            var limits = c["resources"]?["limits"] as JsonObject;
            var requests = c["resources"]?["requests"] as JsonObject;
            return ComputeResources.All(r =>
                limits?[r] is { } limit
                && Quantity.Parse(limit.ToString()) == Quantity.Parse((requests?[r] ?? limit).ToString()));
        });
        return guaranteed ? "Guaranteed" : "Burstable";
    }

    /// <summary>Total requests of a pod's containers (requests default to limits, as the API server defaults them).</summary>
    public static (decimal Cpu, decimal Memory) Requests(JsonObject pod)
    {
        decimal cpu = 0, memory = 0;
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var resources = container["resources"];
            cpu += Quantity.TryParse((resources?["requests"]?["cpu"] ?? resources?["limits"]?["cpu"])?.ToString(), out var c) ? c : 0;
            memory += Quantity.TryParse((resources?["requests"]?["memory"] ?? resources?["limits"]?["memory"])?.ToString(), out var m) ? m : 0;
        }

        return (cpu, memory);
    }

    public static bool IsReady(JsonObject pod) =>
        pod["metadata"]?["deletionTimestamp"] is null
        && pod["status"]?["phase"]?.ToString() == "Running"
        && (pod["status"]?["conditions"] as JsonArray ?? []).Any(c => c?["type"]?.ToString() == "Ready" && c["status"]?.ToString() == "True");
}
