using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Apply;
using Thoras.Domain.Fanout;
using Thoras.Domain.Stages;

namespace Thoras.Functions.Apply;

/// <summary>
/// The apply timer (app setting <c>ApplySchedule</c>, default every minute at second 30) lists the targets of
/// <c>Apply__Namespaces</c> and puts them on the apply queue in batches; <c>ApplyBatch</c> runs the apply stage over one
/// batch and logs a summary. Disabling <c>Apply</c> in the portal stops new actions within a tick while forecasting goes
/// on (batches already queued still run; disable <c>ApplyBatch</c> too to stop those).
/// </summary>
public sealed class ApplyFunction(FanoutCoordinator coordinator, ApplyStage stage, ApplyOptions options, FanoutOptions fanout, ILogger<ApplyFunction> logger)
{
    [Function("Apply")]
    public async Task Run([TimerTrigger("%ApplySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var tick = await coordinator.EnqueueAsync(BatchStage.Apply, [.. options.Namespaces], cancellationToken);
        logger.LogInformation("Apply tick {Tick}: {Targets} targets enqueued in {Batches} batches", tick.Tick, tick.Targets, tick.Batches);
    }

    [Function("ApplyBatch")]
    public async Task RunBatch([QueueTrigger("%ApplyQueue%")] TargetBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(fanout.BatchTimeBudget);
        var pass = await stage.RunOnceAsync(FanoutCoordinator.ScopeOf(batch), budget.Token);
        foreach (var failed in pass.Targets.Where(t => t.Outcome == ApplyOutcome.Failed))
            logger.LogError("Applying {Target} failed, retried next tick: {Error}", failed.Key, failed.Detail);
        foreach (var applied in pass.Targets.Where(t => t.Outcome is ApplyOutcome.Applied or ApplyOutcome.InProgress))
            logger.LogInformation("Applied to {Target}: {Detail}", applied.Key, applied.Detail);
        logger.LogInformation(
            "Apply of batch {Batch} finished ({Gate}): {Applied} applied, {InProgress} in progress, {UpToDate} up to date, {NotApplied} not applied, {Failed} failed",
            batch.ToString(), pass.Gate.Reason, pass.Count(ApplyOutcome.Applied), pass.Count(ApplyOutcome.InProgress), pass.Count(ApplyOutcome.UpToDate),
            pass.Count(ApplyOutcome.NotApplied), pass.Count(ApplyOutcome.Failed));
        logger.LogInformation("Apply steps: {Steps}", StepTiming.Describe(pass.Steps));
        if (pass.AuditError is not null)
            logger.LogError("The audit records of this apply pass could not be written: {Error}", pass.AuditError);
    }
}
