using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Pause;

/// <summary>
/// Decides whether the apply stage may act. It fails closed: when the pause state or its mirror cannot be
/// read, nothing is applied and the decision says why. While the mirror is out of date, a pause on either
/// side counts, and the app setting counts before the sync step has turned it into a holder.
/// </summary>
public sealed class SuggestionGate(IPauseStore store, IPauseMirror mirror, PauseOptions options)
{
    /// <summary>Reads the pause state and its mirror and decides.</summary>
    public async Task<GateDecision> DecideAsync(CancellationToken cancellationToken)
    {
        PauseState state;
        try
        {
            state = await store.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ThorasMetrics.ReportPause(paused: true, holders: null);
            return GateDecision.DoNotApply("the pause state cannot be read: " + ex.Message);
        }

        MirrorObservation observation;
        try
        {
            observation = await mirror.ReadAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ThorasMetrics.ReportPause(paused: true, state.Holders.Keys);
            return GateDecision.DoNotApply("the pause mirror ConfigMap cannot be read: " + ex.Message);
        }

        var decision = Decide(state, observation, options.ScalingPaused);
        ThorasMetrics.ReportPause(!decision.MayApply, state.Holders.Keys);
        return decision;
    }

    /// <summary>The decision for a state that was read.</summary>
    public static GateDecision Decide(PauseState state, MirrorObservation mirror, bool appSettingPaused)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(mirror);
        if (state.IsPaused)
        {
            var holders = state.Holders.Values.Select(h => h.Reason is { Length: > 0 } r ? $"{h.Id} ({h.Actor}: {r})" : $"{h.Id} ({h.Actor})");
            return GateDecision.DoNotApply("paused by " + string.Join(", ", holders));
        }

        if (appSettingPaused)
        {
            return GateDecision.DoNotApply("paused by app-setting (Thoras__ScalingPaused is true)");
        }

        return mirror.ScalingPaused
            ? GateDecision.DoNotApply("paused by the ConfigMap mirror (scaling-paused: true), which the sync step has not yet reconciled")
            : GateDecision.Apply;
    }
}

/// <summary>The gate's answer: apply, or do not apply because of <see cref="Reason"/>.</summary>
public sealed record GateDecision(bool MayApply, string Reason)
{
    /// <summary>Scaling is not paused.</summary>
    public static GateDecision Apply { get; } = new(true, "not paused");

    /// <summary>Do not apply, because of <paramref name="reason"/>.</summary>
    public static GateDecision DoNotApply(string reason) => new(false, reason);
}
