namespace Thoras.Domain.Pause;

/// <summary>
/// Starts an immediate reconcile of the autonomous targets (the apply stage runs for them at once) instead of
/// waiting for the next scheduled tick. Called when scaling goes from paused to running.
/// </summary>
public interface IReconcileTrigger
{
    /// <summary>Starts the reconcile; <paramref name="reason"/> is recorded with it.</summary>
    Task TriggerAsync(string reason, CancellationToken cancellationToken);
}
