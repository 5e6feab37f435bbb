using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Pause;

/// <summary>
/// Decides whether the apply stage (and admission) may act, from the one <see cref="PauseStatus"/>: it fails closed,
/// so when the pause state or its mirror cannot be read nothing is applied and the decision says why. While the mirror
/// is out of date, a pause on either side counts, and the app setting counts before the sync step has turned it into a
/// holder.
/// </summary>
public sealed class SuggestionGate(IPauseStore store, IPauseMirror mirror, PauseOptions options)
{
    /// <summary>Reads the pause state and its mirror and decides.</summary>
    public async Task<GateDecision> DecideAsync(CancellationToken cancellationToken)
    {
        var status = await PauseStatus.ReadAsync(store, mirror, options, cancellationToken);
        ThorasMetrics.ReportPause(status.Paused, status.State?.Holders.Keys);
        return status.Gate;
    }

    /// <summary>The decision for a state that was read.</summary>
    public static GateDecision Decide(PauseState state, MirrorObservation mirror, bool appSettingPaused) =>
        PauseStatus.Of(state, mirror, appSettingPaused).Gate;
}

/// <summary>The gate's answer: apply, or do not apply because of <see cref="Reason"/>.</summary>
public sealed record GateDecision(bool MayApply, string Reason)
{
    /// <summary>Scaling is not paused.</summary>
    public static GateDecision Apply { get; } = new(true, PauseStatus.NotPaused);

    /// <summary>Do not apply, because of <paramref name="reason"/>.</summary>
    public static GateDecision DoNotApply(string reason) => new(false, reason);
}
