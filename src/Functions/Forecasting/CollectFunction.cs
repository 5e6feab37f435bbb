using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Fanout;
using Thoras.Domain.Forecasting;

namespace Thoras.Functions.Forecasting;

/// <summary>
/// The collection timer (app setting <c>CollectSchedule</c>, default every minute) lists the targets and puts them on
/// the collect queue in batches; <c>CollectBatch</c> reads PodMetrics for one batch's targets and folds them into
/// their 5-minute usage blocks, then logs a summary.
/// </summary>
public sealed class CollectFunction(FanoutCoordinator coordinator, CollectStage stage, FanoutOptions fanout, ILogger<CollectFunction> logger)
{
    [Function("Collect")]
    public async Task Run([TimerTrigger("%CollectSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var tick = await coordinator.EnqueueAsync(BatchStage.Collect, [], cancellationToken);
        logger.LogInformation("Collect tick {Tick}: {Targets} targets enqueued in {Batches} batches", tick.Tick, tick.Targets, tick.Batches);
    }

    [Function("CollectBatch")]
    public async Task RunBatch([QueueTrigger("%CollectQueue%")] TargetBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(fanout.BatchTimeBudget);
        var pass = await stage.RunOnceAsync(FanoutCoordinator.ScopeOf(batch), budget.Token);
        foreach (var failed in pass.Targets.Where(t => t.Failed))
            logger.LogError("Collecting {Target} failed, retried next tick: {Error}", failed.Key, failed.Note);
        logger.LogInformation(
            "Collect of batch {Batch} finished: {Targets} targets, {Pods} pods measured, {Skipped} skipped (warm-up or not running), {Failed} failed",
            batch.ToString(), pass.Targets.Count, pass.Targets.Sum(t => t.PodsMeasured), pass.Targets.Sum(t => t.PodsSkipped), pass.Targets.Count(t => t.Failed));
    }
}
