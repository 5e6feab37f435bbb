using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Thoras.Domain.Fanout;

namespace Thoras.Infrastructure.Storage.Queues;

/// <summary>
/// The fan-out's queues in Azure Storage: each batch is one message (JSON, base64 on the wire, as the queue trigger
/// reads it) on its stage's queue, which is created the first time it is used.
/// </summary>
public sealed class StorageWorkQueues(QueueServiceClient service, WorkQueueNames names) : IWorkQueues
{
    /// <summary>Messages sent at once: enough to put a tick of 10,000 targets on the queue in well under a second.</summary>
    private const int Parallelism = 16;

    private readonly ConcurrentDictionary<string, Lazy<Task<QueueClient>>> queues = new(StringComparer.Ordinal);

    public async Task EnqueueAsync(IReadOnlyList<TargetBatch> batches, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batches);
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken }, async (batch, token) =>
        {
            var queue = await QueueAsync(names.For(batch.Stage));
            await queue.SendMessageAsync(new BinaryData(TargetBatches.Serialize(batch)), cancellationToken: token);
        });
    }

    private async Task<QueueClient> QueueAsync(string name)
    {
        var creation = queues.GetOrAdd(name, n => new Lazy<Task<QueueClient>>(async () =>
        {
            var queue = service.GetQueueClient(n);
            // Not cancelled with one caller's token: the creation is shared by every caller.
            await queue.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None);
            return queue;
        }));
        try
        {
            return await creation.Value;
        }
        catch
        {
            // A failed creation is tried again by the next caller.
            queues.TryRemove(new KeyValuePair<string, Lazy<Task<QueueClient>>>(name, creation));
            throw;
        }
    }
}
