using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Backtest;

/// <summary>How one policy at one setting did on one series (the JSON <c>results</c> entry).</summary>
/// <param name="Policy"><c>thoras</c>, <c>naive</c>, <c>vpa</c> or <c>static</c>.</param>
/// <param name="Setting">The swept parameter: the risk target (thoras, naive), the percentile (vpa), the margin (static).</param>
/// <param name="RiskTarget">The risk target asked for; null for vpa and static.</param>
/// <param name="UnderProvisionedShare">Share of scored, measured blocks where usage exceeded the allocation.</param>
/// <param name="Slack">Sum of (allocated − used) where positive, over the sum of used (measured blocks).</param>
/// <param name="Deficit">Sum of (used − allocated) where positive, over the sum of used (measured blocks).</param>
/// <param name="Changes">How often the allocation changed between consecutive blocks of the scored span (gaps included: a change is a change).</param>
/// <param name="ChangesPerDay"><paramref name="Changes"/> per day of the scored span.</param>
public sealed record PolicyResult(string Policy, double? Setting, double? RiskTarget, double UnderProvisionedShare, double Slack, double Deficit, int Changes, double ChangesPerDay);

/// <summary>Scores an allocation against usage over the scored blocks.</summary>
public static class Scoring
{
    /// <summary>
    /// Scores <paramref name="allocated"/> against the usage of <paramref name="blocks"/> from index
    /// <paramref name="from"/> on. A gap (a block with no samples) is left out of the share, slack and deficit of
    /// every policy alike; changes are counted over the whole span.
    /// </summary>
    public static PolicyResult Score(string policy, double? setting, double? riskTarget, IReadOnlyList<UsageBlock> blocks, IReadOnlyList<double> allocated, int from)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        ArgumentNullException.ThrowIfNull(allocated);
        double total = 0, slack = 0, deficit = 0;
        int under = 0, changes = 0, count = 0;
        for (var i = from; i < blocks.Count; i++)
        {
            var a = allocated[i];
            changes += i > from && a != allocated[i - 1] ? 1 : 0;
            if (blocks[i].Count == 0)
            {
                continue;
            }

            var u = blocks[i].Max;
            total += u;
            slack += Math.Max(0, a - u);
            deficit += Math.Max(0, u - a);
            under += u > a ? 1 : 0;
            count++;
        }

        var days = Math.Max(0, blocks.Count - from) * UsageSeries.Block / TimeSpan.FromDays(1);
        return new PolicyResult(
            policy,
            setting,
            riskTarget,
            count == 0 ? 0 : (double)under / count,
            total > 0 ? slack / total : 0,
            total > 0 ? deficit / total : 0,
            changes,
            days > 0 ? changes / days : 0);
    }
}
