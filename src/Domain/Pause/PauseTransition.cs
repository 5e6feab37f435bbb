using Thoras.Domain.Audit;

namespace Thoras.Domain.Pause;

/// <summary>The result of a pause command: the state before and after, and one audit record per change made.</summary>
public sealed record PauseTransition(PauseState Before, PauseState After, IReadOnlyList<AuditRecord> Records)
{
    /// <summary>The audit subject of every pause change.</summary>
    public const string Subject = "system";

    /// <summary>True when the command changed the state.</summary>
    public bool Changed => Records.Count > 0;

    /// <summary>True when the command took the system from paused to running.</summary>
    public bool Resumed => Before.IsPaused && !After.IsPaused;

    /// <summary>A transition that changes nothing.</summary>
    public static PauseTransition Unchanged(PauseState state) => new(state, state, []);

    /// <summary>Applies <paramref name="next"/> to the state after this transition and joins both.</summary>
    public PauseTransition Then(Func<PauseState, PauseTransition> next)
    {
        ArgumentNullException.ThrowIfNull(next);
        var following = next(After);
        return following.Changed ? new PauseTransition(Before, following.After, [.. Records, .. following.Records]) : this;
    }
}
