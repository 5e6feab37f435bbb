namespace Thoras.Cli.Backtest;

/// <summary>How one policy at one setting did on one series (the JSON <c>results</c> entry).</summary>
/// <param name="Policy"><c>thoras</c>, <c>naive</c>, <c>vpa</c> or <c>static</c>.</param>
/// <param name="Setting">The swept parameter: the risk target (thoras, naive), the percentile (vpa), the margin (static).</param>
/// <param name="RiskTarget">The risk target asked for; null for vpa and static.</param>
/// <param name="UnderProvisionedShare">Share of scored intervals where usage exceeded the allocation.</param>
/// <param name="Slack">Sum of (allocated − used) where positive, over the sum of used.</param>
/// <param name="Deficit">Sum of (used − allocated) where positive, over the sum of used.</param>
/// <param name="Changes">How often the allocation changed between consecutive intervals.</param>
public sealed record PolicyResult(string Policy, double? Setting, double? RiskTarget, double UnderProvisionedShare, double Slack, double Deficit, int Changes);

/// <summary>Scores an allocation against usage over the scored intervals.</summary>
public static class Scoring
{
    /// <summary>Scores <paramref name="allocated"/> against <paramref name="used"/> from index <paramref name="from"/> on.</summary>
    public static PolicyResult Score(string policy, double? setting, double? riskTarget, IReadOnlyList<double> used, IReadOnlyList<double> allocated, int from)
    {
        ArgumentNullException.ThrowIfNull(used);
        ArgumentNullException.ThrowIfNull(allocated);
        double total = 0, slack = 0, deficit = 0;
        int under = 0, changes = 0, count = 0;
        for (var i = from; i < used.Count; i++)
        {
            var u = used[i];
            var a = allocated[i];
            total += u;
            slack += Math.Max(0, a - u);
            deficit += Math.Max(0, u - a);
            under += u > a ? 1 : 0;
            changes += i > from && a != allocated[i - 1] ? 1 : 0;
            count++;
        }

        return new PolicyResult(
            policy,
            setting,
            riskTarget,
            count == 0 ? 0 : (double)under / count,
            total > 0 ? slack / total : 0,
            total > 0 ? deficit / total : 0,
            changes);
    }
}
