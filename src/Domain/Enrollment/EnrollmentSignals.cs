using Thoras.Domain.Events;
using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// What a revert and an unenroll did, as operators see it (docs/observability.md): <c>RestartedToRevert</c> and
/// <c>HpaFloorRestored</c> on the target and on the workload or HPA that changed, <c>Unenrolled</c> on the target, and
/// the scale counters. It follows from <see cref="RevertOutcome"/> and <see cref="UnenrollResult"/> alone, so the
/// revert and the unenroll only hand over what they did. Like every event, it never fails what it reports.
/// </summary>
public sealed class EnrollmentSignals(IEventRecorder events)
{
    /// <summary>
    /// Records what <see cref="WorkloadRevert"/> changed for the target <paramref name="key"/> with UID
    /// <paramref name="uid"/> (null when unknown: nothing is recorded), whose workload was <paramref name="resolved"/>.
    /// </summary>
    public async Task RevertedAsync(TargetKey key, string? uid, ResolvedTarget? resolved, RevertOutcome outcome, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (uid is null)
            return;
        if (outcome.Restarted is { } restarted)
        {
            var pods = resolved?.Pods.Count ?? 0;
            if (pods > 0)
                ThorasMetrics.VerticalScaled(key, "restart", pods);
            var workload = resolved?.Workload is { } w ? new WorkloadReference("apps/v1", w.Kind, w.Name, w.Uid) : null;
            await events.RecordAsync(
                TargetEvent.Normal(key, uid, EventReasons.RestartedToRevert, "Restart", $"Restarted {restarted} so its pods come back with the controller spec: the applied suggestions are reverted.")
                    with { Workload = workload },
                cancellationToken);
        }

        if (outcome.RestoredFloor is { } floor)
        {
            ThorasMetrics.HorizontalScaled(key, "floor_restored");
            var original = floor.MinReplicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset";
            await events.RecordAsync(
                TargetEvent.Normal(key, uid, EventReasons.HpaFloorRestored, "RestoreFloor", $"Restored the original minReplicas {original} of HPA {floor.HpaName}: the predictive floor is removed.")
                    with { Workload = WorkloadReference.Autoscaler(floor.HpaName) },
                cancellationToken);
        }
    }

    /// <summary>Records that <see cref="Unenrollment"/> finished <paramref name="result"/>; <paramref name="target"/> is null when its spec was invalid or it is gone.</summary>
    public Task UnenrolledAsync(UnenrollResult result, AIScaleTarget? target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(result);
        var note = $"Unenrolled: {result.Revert.Describe()}; {result.PurgedItems} stored row(s) and blob(s) of the target deleted.";
        var workload = result.Revert.ChangedAnything ? WorkloadReference.Of(target?.Spec.ScaleTargetRef) : null;
        return events.RecordAsync(TargetEvent.Normal(result.Key, result.Uid, EventReasons.Unenrolled, "Unenroll", note) with { Workload = workload }, cancellationToken);
    }
}
