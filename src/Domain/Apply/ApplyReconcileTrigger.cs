using Thoras.Domain.Pause;

namespace Thoras.Domain.Apply;

/// <summary>
/// On resume, runs the apply stage at once (DESIGN.md §1: running pods whose requests differ from the latest
/// suggestion are resized without waiting for the next tick). Throws when the run fails, so resume reports it.
/// </summary>
public sealed class ApplyReconcileTrigger(ApplyStage stage) : IReconcileTrigger
{
    public async Task TriggerAsync(string reason, CancellationToken cancellationToken)
    {
        var pass = await stage.RunOnceAsync(cancellationToken);
        var failed = pass.Targets.Where(t => t.Outcome == ApplyOutcome.Failed).ToList();
        if (failed.Count > 0)
            throw new ApplyFailedException($"Reconcile after '{reason}': {failed.Count} target(s) failed and are retried on the next tick: "
                + string.Join("; ", failed.Select(f => $"{f.Key}: {f.Detail}")));
    }
}

/// <summary>Some targets could not be applied; the next tick retries them.</summary>
public sealed class ApplyFailedException : Exception
{
    public ApplyFailedException()
    {
    }

    public ApplyFailedException(string message)
        : base(message)
    {
    }

    public ApplyFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
