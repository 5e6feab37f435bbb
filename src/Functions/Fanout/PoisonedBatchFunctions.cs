using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Fanout;
using Thoras.Infrastructure.Storage.Queues;

namespace Thoras.Functions.Fanout;

/// <summary>
/// The poison queues' triggers: a batch the host moved to <c>&lt;queue&gt;-poison</c> after <c>maxDequeueCount</c>
/// failed deliveries gives each of its targets a <c>BatchPoisoned</c> condition and an audit record
/// (<see cref="PoisonedBatches"/>), and is logged as an error.
/// </summary>
public sealed class PoisonedBatchFunctions(PoisonedBatches poisoned, WorkQueueNames names, ILogger<PoisonedBatchFunctions> logger)
{
    [Function("CollectPoison")]
    public Task Collect([QueueTrigger("%CollectQueue%-poison")] TargetBatch batch, CancellationToken cancellationToken) =>
        RecordAsync(batch, WorkQueueNames.PoisonOf(names.Collect), cancellationToken);

    [Function("ForecastPoison")]
    public Task Forecast([QueueTrigger("%ForecastQueue%-poison")] TargetBatch batch, CancellationToken cancellationToken) =>
        RecordAsync(batch, WorkQueueNames.PoisonOf(names.Forecast), cancellationToken);

    [Function("ApplyPoison")]
    public Task Apply([QueueTrigger("%ApplyQueue%-poison")] TargetBatch batch, CancellationToken cancellationToken) =>
        RecordAsync(batch, WorkQueueNames.PoisonOf(names.Apply), cancellationToken);

    private async Task RecordAsync(TargetBatch batch, string poisonQueue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var recorded = await poisoned.RecordAsync(batch, poisonQueue, cancellationToken);
        logger.LogError("Batch {Batch} failed on every delivery and was moved to {Queue}: {Recorded} of {Targets} targets marked {Reason}",
            batch.ToString(), poisonQueue, recorded, batch.Targets.Count, PoisonedBatches.Reason);
    }
}
