namespace Thoras.Domain.Targets;

/// <summary>Status writes that report on a target without being able to hold up or fail the run that reports.</summary>
public static class StatusWrites
{
    /// <summary>
    /// Changes the target's status within <paramref name="budget"/> (measured on <paramref name="time"/>); true when it
    /// was written. A failure or a spent budget is swallowed: the caller's result already carries what happened and
    /// its next tick writes again. Only <paramref name="cancellationToken"/> (the run stopping) propagates.
    /// </summary>
    public static async Task<bool> TryUpdateStatusAsync(
        this ITargetCluster cluster, TargetKey key, string uid, Func<TargetStatus, TargetStatus> change, TimeSpan budget, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        using var spent = new CancellationTokenSource(budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, spent.Token);
        try
        {
            await cluster.UpdateStatusAsync(key, uid, change, linked.Token);
            return true;
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
