namespace Thoras.Domain.Pause;

/// <summary>
/// The cluster-side copy of the pause state (the <c>thoras-operator-system-config</c> ConfigMap), which
/// in-cluster tools and operators read and may edit directly.
/// </summary>
public interface IPauseMirror
{
    /// <summary>What the mirror is, for messages: <c>ConfigMap thoras/thoras-operator-system-config</c>.</summary>
    string Name { get; }

    /// <summary>Reads the mirror. A missing mirror reads as not paused. Throws when it cannot be read.</summary>
    Task<MirrorObservation> ReadAsync(CancellationToken cancellationToken);

    /// <summary>Writes <paramref name="state"/> to the mirror, creating it when missing; see <see cref="MirrorWriteMode"/> for when it skips.</summary>
    Task WriteAsync(PauseState state, MirrorWriteMode mode, CancellationToken cancellationToken);
}

/// <summary>How a mirror write treats what the mirror already shows.</summary>
public enum MirrorWriteMode
{
    /// <summary>
    /// After a change: skips when the mirror already shows this or a later revision (so concurrent write-throughs
    /// cannot roll it back), and when it holds a direct edit not yet adopted (so the edit is not lost).
    /// </summary>
    WriteThrough,

    /// <summary>From the sync step, after adopting any edit: writes unless the mirror shows exactly this state.</summary>
    Reconcile,
}

/// <summary>What the mirror shows.</summary>
/// <param name="Exists">False when the ConfigMap is missing.</param>
/// <param name="ScalingPaused">The value of <c>scaling-paused</c>; false when missing.</param>
/// <param name="WrittenPaused">The value the app itself last wrote (kept beside the data); null when the app never wrote it.</param>
/// <param name="WrittenRevision">The pause-state revision the app last wrote; null when the app never wrote it.</param>
public sealed record MirrorObservation(bool Exists, bool ScalingPaused, bool? WrittenPaused, long? WrittenRevision)
{
    /// <summary>The mirror of a cluster where it does not exist yet.</summary>
    public static MirrorObservation Missing { get; } = new(false, false, null, null);

    /// <summary>
    /// True when someone changed <c>scaling-paused</c> since the app last wrote it: the edit the sync step adopts.
    /// A ConfigMap the app never wrote counts as written with <c>false</c>, matching "missing means not paused".
    /// </summary>
    public bool IsDirectEdit => Exists && ScalingPaused != (WrittenPaused ?? false);

    /// <summary>True when the mirror shows exactly <paramref name="state"/>.</summary>
    public bool Reflects(PauseState state) =>
        Exists && !IsDirectEdit && ScalingPaused == state.IsPaused && WrittenRevision == state.Revision;
}
