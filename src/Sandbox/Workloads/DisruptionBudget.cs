using System.Globalization;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Workloads;

/// <summary>What a PodDisruptionBudget allows right now, computed as the disruption controller does.</summary>
internal sealed record DisruptionBudget(int ExpectedPods, int CurrentHealthy, int DesiredHealthy, int DisruptionsAllowed)
{
    public static DisruptionBudget Evaluate(ObjectStore store, JsonObject pdb)
    {
        var ns = pdb["metadata"]!["namespace"]!.ToString();
        var selector = pdb["spec"]?["selector"] as JsonObject;
        var pods = store.List(ResourceCatalog.Pods, ns).Items
            .Where(p => Selectors.Matches(selector, p["metadata"]?["labels"] as JsonObject))
            .ToList();

        // Expected pods come from the owning workloads' scale, so a pod that is already gone still counts as missing.
        var expected = 0;
        foreach (var group in pods.GroupBy(p => p["metadata"]?["ownerReferences"]?[0]?["uid"]?.ToString() ?? ""))
        {
            var owner = group.First()["metadata"]?["ownerReferences"]?[0];
            var kind = owner?["kind"]?.ToString();
            var type = kind switch { "Deployment" => ResourceCatalog.Deployments, "StatefulSet" => ResourceCatalog.StatefulSets, _ => null };
            var workload = type is null ? null : store.TryGet(type, ns, owner!["name"]!.ToString());
            expected += JsonNumbers.Int(workload?["spec"]?["replicas"]) ?? group.Count();
        }

        var healthy = pods.Count(PodTemplates.IsReady);
        var desired = pdb["spec"]?["minAvailable"] is { } min
            ? Resolve(min, expected, roundUp: true)
            : pdb["spec"]?["maxUnavailable"] is { } max
                ? Math.Max(0, expected - Resolve(max, expected, roundUp: true))
                : expected;
        return new DisruptionBudget(expected, healthy, desired, Math.Max(0, healthy - desired));
    }

    private static int Resolve(JsonNode value, int total, bool roundUp)
    {
        var text = value.ToString();
        if (text.EndsWith('%') && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var percent))
        {
            var exact = total * percent / 100;
            return (int)(roundUp ? Math.Ceiling(exact) : Math.Floor(exact));
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : 0;
    }
}
