namespace Thoras.Domain.Apply;

/// <summary>
/// The evictions the apply stage made per target, so <c>disruption.max_disrupted</c> per <c>disruption.interval</c>
/// holds across ticks and across function instances (Table Storage in production).
/// </summary>
public interface IDisruptionLedger
{
    /// <summary>When each eviction of the target with UID <paramref name="targetUid"/> at or after <paramref name="since"/> happened.</summary>
    Task<IReadOnlyList<DateTimeOffset>> ListSinceAsync(string targetUid, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Records one eviction of <paramref name="pod"/> at <paramref name="at"/>.</summary>
    Task RecordAsync(string targetUid, string pod, DateTimeOffset at, CancellationToken cancellationToken);
}
