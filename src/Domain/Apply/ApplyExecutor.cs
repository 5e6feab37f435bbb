using Thoras.Domain.Enrollment;

namespace Thoras.Domain.Apply;

/// <summary>What the executor did for one target: each item's outcome, and the enrollment record as last saved.</summary>
/// <param name="Outcomes">One outcome per item of the plan, in order.</param>
/// <param name="Saved">The enrollment record as the executor last saved it (with its new ETag); null when it saved none.</param>
public sealed record TargetActOutcome(IReadOnlyList<ApplyItemOutcome> Outcomes, EnrolledTarget? Saved);

/// <summary>
/// Carries out one target's apply plan, item by item, and reports what happened to each; it decides nothing the plan
/// has not. Evictions (planned, or an infeasible resize's fallback) are made within the plan's
/// <see cref="EvictionAllowance"/>: a pod beyond it, or after the Eviction API refused one, waits. An item that fails
/// ends the target's work for this pass; later items are reported as not reached. Cancellation (the target's time
/// budget) propagates.
/// </summary>
public sealed class ApplyExecutor(IScalingActions actions, IEnrollmentStore enrollments, IOomKillLedger oomKills, IDisruptionLedger disruptions)
{
    /// <summary>Carries out <paramref name="plan"/>, evictions dated <paramref name="now"/>.</summary>
    public async Task<TargetActOutcome> ExecuteAsync(TargetApplyPlan plan, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var outcomes = new List<ApplyItemOutcome>();
        EnrolledTarget? saved = null;
        var (evicted, budgetRefused) = (0, false);
        foreach (var item in plan.Items)
        {
            // A target whose budget is spent stops between items, not only inside a call that happens to observe it.
            cancellationToken.ThrowIfCancellationRequested();
            if (outcomes.Count > 0 && outcomes[^1].Status is ApplyItemStatus.Failed or ApplyItemStatus.NotReached)
            {
                outcomes.Add(new ApplyItemOutcome(item, ApplyItemStatus.NotReached));
                continue;
            }

            try
            {
                switch (item)
                {
                    case Refusal:
                        outcomes.Add(new ApplyItemOutcome(item, ApplyItemStatus.Refused, item.Reason));
                        break;
                    case RecordOomKill kill:
                        await oomKills.RecordAsync(kill.TargetUid, kill.Kill, cancellationToken);
                        outcomes.Add(new ApplyItemOutcome(item, ApplyItemStatus.Done));
                        break;
                    case SaveBaseline baseline:
                        saved = await SaveAsync(baseline.Record, cancellationToken);
                        outcomes.Add(new ApplyItemOutcome(item, ApplyItemStatus.Done));
                        break;
                    case KeepPod:
                        outcomes.Add(new ApplyItemOutcome(item, ApplyItemStatus.Done));
                        break;
                    case ResizePod resize:
                        var resized = await actions.ResizePodAsync(resize.Target.Namespace, resize.Pod.Name, resize.Desired, cancellationToken);
                        if (resized == ResizeOutcome.Infeasible && resize.EvictIfInfeasible)
                        {
                            var (outcome, refused) = await EvictAsync(item, resize.Pod.Name, plan.Evictions!, evicted, budgetRefused, now, cancellationToken);
                            (evicted, budgetRefused) = (outcome.Status == ApplyItemStatus.Evicted ? evicted + 1 : evicted, refused);
                            outcomes.Add(outcome);
                        }
                        else
                        {
                            outcomes.Add(new ApplyItemOutcome(item, resized switch
                            {
                                ResizeOutcome.Applied => ApplyItemStatus.Resized,
                                ResizeOutcome.Deferred => ApplyItemStatus.Deferred,
                                _ => ApplyItemStatus.Infeasible,
                            }));
                        }

                        break;
                    case EvictPod evict:
                        var (eviction, blocked) = await EvictAsync(item, evict.Pod.Name, plan.Evictions!, evicted, budgetRefused, now, cancellationToken);
                        (evicted, budgetRefused) = (eviction.Status == ApplyItemStatus.Evicted ? evicted + 1 : evicted, blocked);
                        outcomes.Add(eviction);
                        break;
                    case SetHpaFloor floor:
                        await actions.SetAutoscalerFloorAsync(floor.Target.Namespace, floor.Hpa.Name, floor.Floor, floor.OriginalMinReplicas, floor.Hpa.ResourceVersion, cancellationToken);
                        outcomes.Add(new ApplyItemOutcome(item, ApplyItemStatus.Done));
                        break;
                    default:
                        throw new InvalidOperationException($"The executor does not know the apply item {item.Kind}.");
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                outcomes.Add(new ApplyItemOutcome(item, ApplyItemStatus.Failed, ex.Message));
            }
        }

        return new TargetActOutcome(outcomes, saved);
    }

    /// <summary>
    /// Saves the enrollment record as the record step has it; when another writer (sync, a mode change) saved it since
    /// it was read, the apply stage's own fields are written onto the current record instead.
    /// </summary>
    public async Task<EnrolledTarget> SaveAsync(EnrolledTarget record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        try
        {
            return await enrollments.SaveAsync(record, cancellationToken);
        }
        catch (EnrollmentConflictException)
        {
            return await enrollments.UpdateAsync(record.Key, record.Uid, r => r with { Vertical = record.Vertical, Horizontal = record.Horizontal }, cancellationToken)
                ?? await enrollments.SaveAsync(record with { ETag = null }, cancellationToken);
        }
    }

    private async Task<(ApplyItemOutcome Outcome, bool BudgetRefused)> EvictAsync(
        ApplyItem item, string pod, EvictionAllowance allowance, int evicted, bool budgetRefused, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (allowance.WaitReason(evicted, budgetRefused) is { } wait)
            return (new ApplyItemOutcome(item, ApplyItemStatus.Waiting, wait), budgetRefused);
        switch (await actions.EvictPodAsync(item.Target.Namespace, pod, cancellationToken))
        {
            case EvictionOutcome.Blocked:
                return (new ApplyItemOutcome(item, ApplyItemStatus.Waiting, EvictionAllowance.BudgetReason), true);
            case EvictionOutcome.Evicted:
                await disruptions.RecordAsync(item.TargetUid, pod, now, cancellationToken);
                return (new ApplyItemOutcome(item, ApplyItemStatus.Evicted), budgetRefused);
            default:
                return (new ApplyItemOutcome(item, ApplyItemStatus.Gone), budgetRefused);
        }
    }
}
