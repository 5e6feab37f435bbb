namespace Thoras.Domain.Fanout;

/// <summary>The queues the coordinators put work on: one per <see cref="BatchStage"/>.</summary>
public interface IWorkQueues
{
    /// <summary>Puts every batch on its stage's queue; returns once all are stored.</summary>
    Task EnqueueAsync(IReadOnlyList<TargetBatch> batches, CancellationToken cancellationToken);
}
