namespace Thoras.Domain.Forecasting;

/// <summary>
/// Durable 5-minute usage aggregates per target: each target (by UID) holds named series such as
/// <c>container:web:cpu</c> or <c>pod:memory</c>, each a sequence of <see cref="UsageBlock"/>s.
/// </summary>
/// <example>
/// <code>
/// await store.AppendAsync(target.Uid, "container:web:cpu", blocks, ct);
/// var history = await store.ListAsync(target.Uid, "container:web:cpu", now - TimeSpan.FromDays(14), ct);
/// await store.FoldAsync(target.Uid, blockStart, new Dictionary&lt;string, Func&lt;UsageBlock?, UsageBlock&gt;&gt; { ["pod:cpu"] = b => ... }, ct);
/// </code>
/// </example>
public interface IUsageStore
{
    /// <summary>Stores (or replaces, by block start) <paramref name="blocks"/> of one series.</summary>
    Task AppendAsync(string targetUid, string series, IReadOnlyList<UsageBlock> blocks, CancellationToken cancellationToken);

    /// <summary>The series' blocks starting at or after <paramref name="since"/>, oldest first.</summary>
    Task<IReadOnlyList<UsageBlock>> ListAsync(string targetUid, string series, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// The blocks of each of <paramref name="series"/> starting at or after <paramref name="since"/>, oldest first, in
    /// one read; a series without blocks maps to an empty list.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<UsageBlock>>> ListAsync(string targetUid, IReadOnlyCollection<string> series, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>
    /// Folds a sample into the block starting at <paramref name="blockStart"/> of each series of <paramref name="folds"/>:
    /// each fold gets the stored block (null when there is none) and returns the block to store. The target's blocks are
    /// read once and written together, conditionally on what was read, so concurrent writers never lose each other's
    /// samples; after a lost race the folds run again on what the other writer stored, so they must have no side effects.
    /// </summary>
    Task FoldAsync(string targetUid, DateTimeOffset blockStart, IReadOnlyDictionary<string, Func<UsageBlock?, UsageBlock>> folds, CancellationToken cancellationToken);

    /// <summary>Deletes the target's blocks (all series) that start before <paramref name="before"/>; returns how many.</summary>
    Task<int> PruneAsync(string targetUid, DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>Deletes everything stored for the target (on unenrolment).</summary>
    Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken);
}
