namespace Thoras.Domain.Apply;

/// <summary>
/// The OOM kills the apply stage has answered, per target, with the memory floor each one set (Table Storage in
/// production). Keyed by pod, container and restart count, so one kill raises memory once, however many ticks see it.
/// </summary>
public interface IOomKillLedger
{
    /// <summary>Every kill recorded for the target with UID <paramref name="targetUid"/>.</summary>
    Task<IReadOnlyList<OomKill>> ListAsync(string targetUid, CancellationToken cancellationToken);

    /// <summary>
    /// Every target's kills whose floor still holds at <paramref name="now"/>, by target UID, in one read: a pass needs
    /// all of a target's kills only when its pods show one.
    /// </summary>
    Task<IReadOnlyDictionary<string, IReadOnlyList<OomKill>>> ListHoldingAsync(DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Records a kill and the floor it set.</summary>
    Task RecordAsync(string targetUid, OomKill kill, CancellationToken cancellationToken);
}

/// <summary>One OOM kill of a container: which pod, at which restart count, and the floor it set.</summary>
/// <param name="PodUid">The pod's UID.</param>
/// <param name="RestartCount">The container's restart count that reported the kill.</param>
/// <param name="Floor">The raised memory and until when it holds.</param>
public sealed record OomKill(string PodUid, int RestartCount, OomFloor Floor);
