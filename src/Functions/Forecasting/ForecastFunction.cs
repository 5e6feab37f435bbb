using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Stages;

namespace Thoras.Functions.Forecasting;

/// <summary>
/// The forecast timer (app setting <c>ForecastSchedule</c>, default every 5 minutes): forecasts every target that is
/// due and publishes its suggestion (also while paused: pausing only stops apply), then logs a summary.
/// </summary>
public sealed class ForecastFunction(ForecastStage stage, ILogger<ForecastFunction> logger)
{
    [Function("Forecast")]
    public async Task Run([TimerTrigger("%ForecastSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var pass = await stage.RunOnceAsync(cancellationToken);
        foreach (var failed in pass.Targets.Where(t => t.Outcome == ForecastOutcome.Failed))
            logger.LogError("Forecasting {Target} failed, retried next tick: {Error}", failed.Key, failed.Detail);
        foreach (var published in pass.Targets.Where(t => t.Published is not null))
            logger.LogInformation("Published {Suggestion} to {Target}: {Reason}", published.Published!.Suggestion.SuggestionUID, published.Key, published.Detail);
        logger.LogInformation(
            "Forecast finished: {Published} published, {Observed} observed, {NotDue} not due, {Failed} failed, {Invalid} invalid",
            pass.Count(ForecastOutcome.Published), pass.Count(ForecastOutcome.Observed), pass.Count(ForecastOutcome.NotDue), pass.Count(ForecastOutcome.Failed),
            pass.Count(ForecastOutcome.Invalid));
        logger.LogInformation("Forecast steps: {Steps}", StepTiming.Describe(pass.Steps));
    }
}
