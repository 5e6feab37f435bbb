using Thoras.Domain.Events;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Pause;

/// <summary>
/// Records <see cref="EventReasons.ScalingPaused"/> or <see cref="EventReasons.ScalingResumed"/> on every
/// autonomous target when a pause change makes scaling paused or running: those are the targets it affects.
/// Like every event, this never fails the change: a target list that cannot be read records nothing.
/// </summary>
public sealed class PauseEvents(IAutonomousTargets targets, IEventRecorder events)
{
    /// <summary>Records the events of <paramref name="transition"/>, if it paused or resumed scaling.</summary>
    public async Task RecordAsync(PauseTransition transition, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(transition);
        if (transition.Before.IsPaused == transition.After.IsPaused)
            return;

        IReadOnlyList<AutonomousTarget> affected;
        try
        {
            affected = await targets.ListAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var paused = transition.After.IsPaused;
        var last = transition.Records[^1];
        var note = paused
            ? $"Scaling paused system-wide ({transition.After.Describe()}): suggestions are still published and recorded as not applied."
            : $"Scaling resumed by {last.Actor}: running pods are reconciled to the latest suggestion.";
        foreach (var target in affected)
        {
            await events.RecordAsync(
                TargetEvent.Normal(
                    new TargetKey(target.Namespace, target.Name), target.Uid,
                    paused ? EventReasons.ScalingPaused : EventReasons.ScalingResumed, paused ? "Pause" : "Resume", note),
                cancellationToken);
        }
    }
}
