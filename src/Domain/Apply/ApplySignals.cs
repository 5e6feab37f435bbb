using System.Globalization;
using Thoras.Domain.Events;
using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Apply;

/// <summary>
/// What an apply pass did, as operators see it (docs/observability.md): the Kubernetes Events on each target (and on
/// the workload or HPA that changed) and the scale and OOM counters. Everything follows from each target's plan, what
/// the executor reported for each item, and the target's result; nothing is decided again. Recording never fails the
/// pass: the event recorder drops what it cannot write, and a pass being stopped drops the events not yet written.
/// </summary>
/// <param name="events">Where the events go; null records the metrics only.</param>
public sealed class ApplySignals(IEventRecorder? events)
{
    /// <summary>Records the events and metrics of every target of <paramref name="plan"/>.</summary>
    public async Task RecordAsync(
        ApplyPlan plan, IReadOnlyDictionary<TargetKey, IReadOnlyList<ApplyItemOutcome>> outcomes, IReadOnlyList<TargetApplyResult> results, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(results);
        var resultOf = results.ToDictionary(r => r.Key);
        var pending = new List<TargetEvent>();
        foreach (var target in plan.Targets)
        {
            var done = outcomes.TryGetValue(target.Key, out var reported) ? reported : [];
            Count(target, done);
            pending.AddRange(EventsOf(target, done, resultOf.GetValueOrDefault(target.Key)));
        }

        if (events is null)
            return;
        try
        {
            foreach (var targetEvent in pending)
                await events.RecordAsync(targetEvent, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // A pass being stopped still writes its audit records; the events it has not written yet are dropped.
        }
    }

    /// <summary>
    /// The events of one target: an OOM kill answered, pods resized in place (or whose resize the node can never fit),
    /// pods evicted, the HPA floor set, and the target's failure when it failed.
    /// </summary>
    public static IReadOnlyList<TargetEvent> EventsOf(TargetApplyPlan plan, IReadOnlyList<ApplyItemOutcome> outcomes, TargetApplyResult? result)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(outcomes);
        var (key, uid) = (plan.Key, plan.Target.Metadata.Uid);
        var workload = WorkloadReference.Of(plan.Target.Spec.ScaleTargetRef);
        var suggestion = plan.Suggestion?.SuggestionUID;
        var list = new List<TargetEvent>();

        foreach (var kill in outcomes.Where(o => o.Status == ApplyItemStatus.Done).Select(o => o.Item).OfType<RecordOomKill>())
            list.Add(TargetEvent.Warn(key, uid, EventReasons.OomFloorRaised, "RaiseMemory", Sentence(kill.Reason)) with { Workload = workload });

        var resized = PodsWith(outcomes, ApplyItemStatus.Resized);
        var deferred = PodsWith(outcomes, ApplyItemStatus.Deferred);
        if (resized.Count + deferred.Count > 0)
        {
            var note = $"Resized {resized.Count + deferred.Count} pod(s) in place to suggestion {suggestion}: {string.Join(", ", resized.Concat(deferred))}"
                + (deferred.Count > 0 ? $" ({deferred.Count} deferred by the kubelet until the node has room)." : ".");
            list.Add(TargetEvent.Normal(key, uid, EventReasons.ResizedInPlace, "Resize", note) with { Workload = workload });
        }

        var infeasible = PodsWith(outcomes, ApplyItemStatus.Infeasible);
        if (infeasible.Count > 0)
        {
            var note = $"The node cannot fit the resize of {string.Join(", ", infeasible)} to suggestion {suggestion}, and update_mode "
                + $"{plan.Target.Spec.Vertical?.EffectiveUpdateMode.ToWireName()} does not allow eviction: they keep their requests.";
            list.Add(TargetEvent.Warn(key, uid, EventReasons.ResizeInfeasible, "Resize", note) with { Workload = workload });
        }

        var evicted = PodsWith(outcomes, ApplyItemStatus.Evicted);
        if (evicted.Count > 0)
        {
            var note = $"Evicted {evicted.Count} pod(s) so they are recreated with suggestion {suggestion}: {string.Join(", ", evicted)}.";
            list.Add(TargetEvent.Normal(key, uid, EventReasons.Evicted, "Evict", note) with { Workload = workload });
        }

        foreach (var floor in outcomes.Where(o => o.Status == ApplyItemStatus.Done).Select(o => o.Item).OfType<SetHpaFloor>())
        {
            var note = $"Set the minReplicas of HPA {floor.Hpa.Name} from {Replicas(floor.Hpa.MinReplicas)} to {Replicas(floor.Floor)} (suggestion {suggestion}); "
                + $"the original {Replicas(floor.OriginalMinReplicas)} is restored on revert.";
            list.Add(TargetEvent.Normal(key, uid, EventReasons.HpaFloorSet, "SetFloor", note) with { Workload = WorkloadReference.Autoscaler(floor.Hpa.Name) });
        }

        if (result is { Outcome: ApplyOutcome.Failed })
            list.Add(TargetEvent.Warn(key, uid, EventReasons.ApplyFailed, "Apply", $"Applying the latest suggestion failed and is retried on the next tick: {result.Detail}"));
        return list;
    }

    private static void Count(TargetApplyPlan plan, IReadOnlyList<ApplyItemOutcome> outcomes)
    {
        var resized = outcomes.Count(o => o.Status is ApplyItemStatus.Resized or ApplyItemStatus.Deferred);
        if (resized > 0)
            ThorasMetrics.VerticalScaled(plan.Key, "resize", resized);
        var evicted = outcomes.Count(o => o.Status == ApplyItemStatus.Evicted);
        if (evicted > 0)
            ThorasMetrics.VerticalScaled(plan.Key, "evict", evicted);
        foreach (var outcome in outcomes.Where(o => o.Status == ApplyItemStatus.Done))
        {
            if (outcome.Item is SetHpaFloor)
                ThorasMetrics.HorizontalScaled(plan.Key, "floor_set");
            else if (outcome.Item is RecordOomKill kill)
                ThorasMetrics.OomKilled(plan.Key, kill.Kill.Floor.Container);
        }
    }

    private static List<string> PodsWith(IReadOnlyList<ApplyItemOutcome> outcomes, ApplyItemStatus status) =>
        [.. outcomes.Where(o => o.Status == status).Select(o => o.Item switch
        {
            ResizePod r => r.Pod.Name,
            EvictPod e => e.Pod.Name,
            _ => null,
        }).OfType<string>()];

    private static string Sentence(string reason) => char.ToUpperInvariant(reason[0]) + reason[1..] + ".";

    private static string Replicas(int? replicas) => replicas?.ToString(CultureInfo.InvariantCulture) ?? "unset";
}
