using Thoras.Domain.Audit;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Fanout;

/// <summary>
/// What happens to a batch that failed on every delivery (<c>maxDequeueCount</c> in host.json) and was moved to its
/// poison queue: each target gets a condition saying so (<c>Ready=False</c> for collect and forecast, <c>Scaling=False</c>
/// for apply, reason <see cref="Reason"/>) and one audit record with the batch, so nothing is dropped silently. The
/// next tick lists the target again, and its next successful pass replaces the condition.
/// </summary>
public sealed class PoisonedBatches(ITargetCluster cluster, IAuditLog audit, TimeProvider time)
{
    /// <summary>The condition reason of a target whose batch was poisoned.</summary>
    public const string Reason = "BatchPoisoned";

    /// <summary>The audit action of a poisoned batch, one record per target.</summary>
    public const string AuditAction = "batch-poisoned";

    /// <summary>The audit actor: the fan-out itself.</summary>
    public const string Actor = "system";

    /// <summary>Records <paramref name="batch"/>, found on <paramref name="poisonQueue"/>, on each of its targets. Safe to run twice.</summary>
    /// <returns>The targets recorded; a target that no longer exists (or has another UID) is skipped.</returns>
    public async Task<int> RecordAsync(TargetBatch batch, string poisonQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var now = time.GetUtcNow();
        var recorded = 0;
        foreach (var target in batch.Targets)
        {
            var condition = Condition(batch, poisonQueue, now);
            try
            {
                await cluster.UpdateStatusAsync(target.Key, target.Uid, s => s.WithCondition(condition with { ObservedGeneration = s.Condition(condition.Type)?.ObservedGeneration }), cancellationToken);
            }
            catch (TargetNotFoundException)
            {
                continue;
            }

            await AuditOnceAsync(batch, target, condition.Message, now, cancellationToken);
            recorded++;
        }

        return recorded;
    }

    /// <summary>The condition a target of a poisoned <paramref name="batch"/> gets.</summary>
    public static TargetCondition Condition(TargetBatch batch, string poisonQueue, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var stage = batch.Stage.ToString().ToLowerInvariant();
        return new TargetCondition
        {
            Type = batch.Stage == BatchStage.Apply ? TargetConditionTypes.Scaling : TargetConditionTypes.Ready,
            Status = ConditionStatus.False,
            Reason = Reason,
            Message = $"The {stage} work of tick {batch.Tick.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ} (batch {batch.Part}/{batch.Parts}) failed on every delivery " +
                $"and was moved to queue {poisonQueue}; the next tick tries again.",
            LastTransitionTime = now,
        };
    }

    private async Task AuditOnceAsync(TargetBatch batch, BatchTarget target, string message, DateTimeOffset now, CancellationToken cancellationToken)
    {
        // A redelivered poison message must not audit twice: the batch's own record names it, and it is at most as old as the tick.
        var subject = target.Key.ToString();
        var existing = await audit.ListAsync(new AuditQuery { TargetUid = target.Uid, Since = batch.Tick, Until = now.AddSeconds(1), Limit = 1000 }, cancellationToken);
        if (existing.Any(r => r.Action == AuditAction && r.Current == batch.ToString()))
            return;
        await audit.AppendAsync(new AuditRecord(now, Actor, AuditAction, subject, message, null, batch.ToString(), target.Uid), cancellationToken);
    }
}
