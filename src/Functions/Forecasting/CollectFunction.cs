using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Forecasting;

namespace Thoras.Functions.Forecasting;

/// <summary>
/// The collection timer (app setting <c>CollectSchedule</c>, default every minute): reads PodMetrics for every
/// enrolled target and folds them into its 5-minute usage blocks, then logs a summary.
/// </summary>
public sealed class CollectFunction(CollectStage stage, ILogger<CollectFunction> logger)
{
    [Function("Collect")]
    public async Task Run([TimerTrigger("%CollectSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var pass = await stage.RunOnceAsync(cancellationToken);
        foreach (var failed in pass.Targets.Where(t => t.Failed))
            logger.LogError("Collecting {Target} failed, retried next tick: {Error}", failed.Key, failed.Note);
        logger.LogInformation(
            "Collect finished: {Targets} targets, {Pods} pods measured, {Skipped} skipped (warm-up or not running), {Failed} failed",
            pass.Targets.Count, pass.Targets.Sum(t => t.PodsMeasured), pass.Targets.Sum(t => t.PodsSkipped), pass.Targets.Count(t => t.Failed));
    }
}
