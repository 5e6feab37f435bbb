using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Apply;
using Thoras.Domain.Stages;

namespace Thoras.Functions.Apply;

/// <summary>
/// The apply timer (app setting <c>ApplySchedule</c>, default every minute at second 30): runs the apply stage once
/// and logs a summary. Disabling this one function in the portal stops actions while forecasting goes on.
/// </summary>
public sealed class ApplyFunction(ApplyStage stage, ILogger<ApplyFunction> logger)
{
    [Function("Apply")]
    public async Task Run([TimerTrigger("%ApplySchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var pass = await stage.RunOnceAsync(cancellationToken);
        foreach (var failed in pass.Targets.Where(t => t.Outcome == ApplyOutcome.Failed))
            logger.LogError("Applying {Target} failed, retried next tick: {Error}", failed.Key, failed.Detail);
        foreach (var applied in pass.Targets.Where(t => t.Outcome is ApplyOutcome.Applied or ApplyOutcome.InProgress))
            logger.LogInformation("Applied to {Target}: {Detail}", applied.Key, applied.Detail);
        logger.LogInformation(
            "Apply finished ({Gate}): {Applied} applied, {InProgress} in progress, {UpToDate} up to date, {NotApplied} not applied, {Failed} failed",
            pass.Gate.Reason, pass.Count(ApplyOutcome.Applied), pass.Count(ApplyOutcome.InProgress), pass.Count(ApplyOutcome.UpToDate),
            pass.Count(ApplyOutcome.NotApplied), pass.Count(ApplyOutcome.Failed));
        logger.LogInformation("Apply steps: {Steps}", StepTiming.Describe(pass.Steps));
        if (pass.AuditError is not null)
            logger.LogError("The audit records of this apply pass could not be written: {Error}", pass.AuditError);
    }
}
