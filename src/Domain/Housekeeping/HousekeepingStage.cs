using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Housekeeping;

/// <summary>
/// The housekeeping stage: for every target in the cluster (valid or not, also while being deleted), deletes the
/// usage blocks older than the usage retention (never less than the forecaster's training window) and the
/// suggestion history older than the suggestion retention. Model state and the audit log are never touched here.
/// One target failing never stops the others.
/// </summary>
public sealed class HousekeepingStage(
    ITargetCluster cluster,
    IUsageStore usage,
    ISuggestionHistory history,
    HousekeepingOptions options,
    ForecastOptions forecast,
    TimeProvider time)
{
    /// <summary>The usage actually kept: the configured retention, raised to the training window when shorter.</summary>
    public TimeSpan UsageRetention => options.UsageRetention > forecast.TrainingWindow ? options.UsageRetention : forecast.TrainingWindow;

    /// <summary>Prunes every listed target once.</summary>
    public async Task<HousekeepingPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var usageBefore = now - UsageRetention;
        var suggestionsBefore = now - options.SuggestionRetention;
        var listing = await cluster.ListAsync([], cancellationToken);
        var targets = listing.Targets.Select(t => t.Metadata).Concat(listing.Invalid.Select(t => t.Metadata));
        var results = new List<PrunedTarget>();
        foreach (var target in targets)
        {
            var usageDeleted = 0;
            try
            {
                usageDeleted = await usage.PruneAsync(target.Uid, usageBefore, cancellationToken);
                var suggestionsDeleted = await history.PruneAsync(target.Uid, suggestionsBefore, cancellationToken);
                results.Add(new PrunedTarget(target.Key, target.Uid, usageDeleted, suggestionsDeleted));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                results.Add(new PrunedTarget(target.Key, target.Uid, usageDeleted, 0, ex.Message));
            }
        }

        return new HousekeepingPass(now, usageBefore, suggestionsBefore, results);
    }
}

/// <summary>What one housekeeping tick did: the cut-offs it used and what it deleted per target.</summary>
/// <param name="At">When the tick ran.</param>
/// <param name="UsageBefore">Usage blocks starting before this were deleted.</param>
/// <param name="SuggestionsBefore">Suggestions published before this were deleted.</param>
/// <param name="Targets">One entry per listed target.</param>
public sealed record HousekeepingPass(DateTimeOffset At, DateTimeOffset UsageBefore, DateTimeOffset SuggestionsBefore, IReadOnlyList<PrunedTarget> Targets);

/// <summary>
/// What housekeeping deleted for one target: usage rows and suggestion records, and the error that stopped it if
/// one did (rows deleted before the error are counted).
/// </summary>
public sealed record PrunedTarget(TargetKey Key, string Uid, int UsageRowsDeleted, int SuggestionsDeleted, string? Error = null)
{
    /// <summary>Whether pruning this target stopped on an error; the next tick tries again.</summary>
    public bool Failed => Error is not null;
}
