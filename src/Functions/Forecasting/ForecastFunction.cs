using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Fanout;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Stages;

namespace Thoras.Functions.Forecasting;

/// <summary>
/// The forecast timer (app setting <c>ForecastSchedule</c>, default every 5 minutes) lists the targets and puts them on
/// the forecast queue in batches; <c>ForecastBatch</c> forecasts one batch's targets that are due and publishes their
/// suggestions (also while paused: pausing only stops apply), then logs a summary.
/// </summary>
public sealed class ForecastFunction(FanoutCoordinator coordinator, ForecastStage stage, FanoutOptions fanout, ILogger<ForecastFunction> logger)
{
    [Function("Forecast")]
    public async Task Run([TimerTrigger("%ForecastSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var tick = await coordinator.EnqueueAsync(BatchStage.Forecast, [], cancellationToken);
        logger.LogInformation("Forecast tick {Tick}: {Targets} targets enqueued in {Batches} batches", tick.Tick, tick.Targets, tick.Batches);
    }

    [Function("ForecastBatch")]
    public async Task RunBatch([QueueTrigger("%ForecastQueue%")] TargetBatch batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        using var budget = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        budget.CancelAfter(fanout.BatchTimeBudget);
        var pass = await stage.RunOnceAsync(FanoutCoordinator.ScopeOf(batch), budget.Token);
        foreach (var failed in pass.Targets.Where(t => t.Outcome == ForecastOutcome.Failed))
            logger.LogError("Forecasting {Target} failed, retried next tick: {Error}", failed.Key, failed.Detail);
        foreach (var published in pass.Targets.Where(t => t.Published is not null))
            logger.LogInformation("Published {Suggestion} to {Target}: {Reason}", published.Published!.Suggestion.SuggestionUID, published.Key, published.Detail);
        logger.LogInformation(
            "Forecast of batch {Batch} finished: {Published} published, {Held} held, {Observed} observed, {NotDue} not due, {Failed} failed, {Invalid} invalid",
            batch.ToString(), pass.Count(ForecastOutcome.Published), pass.Count(ForecastOutcome.Held), pass.Count(ForecastOutcome.Observed), pass.Count(ForecastOutcome.NotDue), pass.Count(ForecastOutcome.Failed),
            pass.Count(ForecastOutcome.Invalid));
        logger.LogInformation("Forecast steps: {Steps}", StepTiming.Describe(pass.Steps));
    }
}
