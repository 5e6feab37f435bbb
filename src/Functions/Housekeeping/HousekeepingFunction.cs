using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Housekeeping;

namespace Thoras.Functions.Housekeeping;

/// <summary>
/// The housekeeping timer (app setting <c>HousekeepingSchedule</c>, default hourly at minute 7): deletes usage and
/// suggestion history past their retention for every target, and logs what it deleted.
/// </summary>
public sealed class HousekeepingFunction(HousekeepingStage stage, ILogger<HousekeepingFunction> logger)
{
    [Function("Housekeeping")]
    public async Task Run([TimerTrigger("%HousekeepingSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        var pass = await stage.RunOnceAsync(cancellationToken);
        foreach (var target in pass.Targets.Where(t => t.UsageRowsDeleted > 0 || t.SuggestionsDeleted > 0))
        {
            logger.LogInformation(
                "Pruned {UsageRows} usage rows and {Suggestions} suggestion records of {Target} ({Uid})",
                target.UsageRowsDeleted, target.SuggestionsDeleted, target.Key, target.Uid);
        }

        foreach (var failed in pass.Targets.Where(t => t.Failed))
            logger.LogError("Housekeeping of {Target} ({Uid}) failed, retried next tick: {Error}", failed.Key, failed.Uid, failed.Error);
        logger.LogInformation(
            "Housekeeping finished: {Targets} targets, {UsageRows} usage rows before {UsageBefore} and {Suggestions} suggestion records before {SuggestionsBefore} deleted, {Failed} failed",
            pass.Targets.Count, pass.Targets.Sum(t => t.UsageRowsDeleted), pass.UsageBefore,
            pass.Targets.Sum(t => t.SuggestionsDeleted), pass.SuggestionsBefore, pass.Targets.Count(t => t.Failed));
    }
}
