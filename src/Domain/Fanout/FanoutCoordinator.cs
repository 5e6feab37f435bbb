using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Fanout;

/// <summary>
/// What the collect, forecast and apply timers do: list the targets once and put their work on the stage's queue in
/// batches (<see cref="TargetBatches.Split"/>), so the work spreads over as many instances as the queue asks for.
/// Collect and apply leave out targets being deleted; forecast keeps invalid targets, whose conditions it reports.
/// </summary>
public sealed class FanoutCoordinator(ITargetCluster cluster, IWorkQueues queues, FanoutOptions options, TimeProvider time)
{
    /// <summary>Lists the targets of <paramref name="namespaces"/> (every namespace when empty) and enqueues <paramref name="stage"/>'s batches.</summary>
    public async Task<FanoutTick> EnqueueAsync(BatchStage stage, IReadOnlyCollection<string> namespaces, CancellationToken cancellationToken)
    {
        var tick = time.GetUtcNow();
        var listing = await cluster.ListAsync(namespaces, cancellationToken);
        // The collect tick is the one that sees every target each minute: it keeps the fleet-wide gauge current.
        if (stage == BatchStage.Collect)
            ThorasMetrics.ReportTargets(listing.Targets);
        var targets = listing.Targets.Where(t => !t.Metadata.IsDeleting)
            .Select(t => new BatchTarget(t.Metadata.Namespace, t.Metadata.Name, t.Metadata.Uid, stage == BatchStage.Apply ? t.Status.LatestSuggestion?.SuggestionUID : null))
            .ToList();
        if (stage == BatchStage.Forecast)
            targets.AddRange(listing.Invalid.Where(i => !i.Metadata.IsDeleting).Select(i => new BatchTarget(i.Metadata.Namespace, i.Metadata.Name, i.Metadata.Uid)));
        var batches = TargetBatches.Split(stage, tick, targets, options.BatchSize);
        await queues.EnqueueAsync(batches, cancellationToken);
        return new FanoutTick(stage, tick, targets.Count, batches.Count);
    }

    /// <summary>The scope a batch's pass covers: its targets' UIDs, in its namespaces.</summary>
    public static TargetScope ScopeOf(TargetBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return TargetScope.OfUids(batch.Targets.Select(t => t.Uid), batch.Targets.Select(t => t.Namespace));
    }
}

/// <summary>What one coordinator tick enqueued.</summary>
public sealed record FanoutTick(BatchStage Stage, DateTimeOffset Tick, int Targets, int Batches);
