namespace Thoras.Domain.Enrollment;

/// <summary>
/// Deletes everything the app stored for one target UID: usage samples, suggestions, model state. The enrollment
/// record is not part of it; unenroll deletes that last, because it holds the unenroll's progress.
/// </summary>
public interface ITargetDataPurger
{
    /// <summary>Deletes every row and blob of <paramref name="uid"/>; returns how many were deleted. Idempotent.</summary>
    Task<int> PurgeAsync(string uid, CancellationToken cancellationToken);
}

/// <summary>One store that keeps data per target UID (a UID-partitioned table, a blob container with UID prefixes).</summary>
public interface ITargetDataStore
{
    /// <summary>A short name for logs and audit, e.g. <c>table:Samples</c>.</summary>
    string Name { get; }

    /// <summary>Deletes everything of <paramref name="uid"/> in this store; returns how many items were deleted. Idempotent.</summary>
    Task<int> DeleteAsync(string uid, CancellationToken cancellationToken);
}

/// <summary><see cref="ITargetDataPurger"/> over every registered <see cref="ITargetDataStore"/>, one after the other.</summary>
public sealed class TargetDataPurger(IEnumerable<ITargetDataStore> stores) : ITargetDataPurger
{
    public async Task<int> PurgeAsync(string uid, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(uid);
        var deleted = 0;
        foreach (var store in stores)
            deleted += await store.DeleteAsync(uid, cancellationToken);
        return deleted;
    }
}
