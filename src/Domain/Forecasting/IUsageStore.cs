namespace Thoras.Domain.Forecasting;

/// <summary>
/// Durable 5-minute usage aggregates per target: each target (by UID) holds named series such as
/// <c>container:web:cpu</c> or <c>pod:memory</c>, each a sequence of <see cref="UsageBlock"/>s.
/// </summary>
/// <example>
/// <code>
/// await store.AppendAsync(target.Uid, "container:web:cpu", blocks, ct);
/// var history = await store.ListAsync(target.Uid, "container:web:cpu", now - TimeSpan.FromDays(14), ct);
/// </code>
/// </example>
public interface IUsageStore
{
    /// <summary>Stores (or replaces, by block start) <paramref name="blocks"/> of one series.</summary>
    Task AppendAsync(string targetUid, string series, IReadOnlyList<UsageBlock> blocks, CancellationToken cancellationToken);

    /// <summary>The series' blocks starting at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<UsageBlock>> ListAsync(string targetUid, string series, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Deletes the target's blocks (all series) that start before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(string targetUid, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes everything stored for the target (on unenrolment).</summary>
    Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken);
}
