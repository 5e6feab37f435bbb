namespace Thoras.Domain.Forecasting;

/// <summary>
/// The names of the usage series stored per target (<see cref="IUsageStore"/>): per container and resource the
/// max and mean across pods, the pod-level totals across pods, and the replica count.
/// </summary>
public static class UsageSeries
{
    /// <summary>The CPU resource name.</summary>
    public const string Cpu = "cpu";

    /// <summary>The memory resource name.</summary>
    public const string Memory = "memory";

    /// <summary>The replica count series.</summary>
    public const string Replicas = "replicas";

    /// <summary>
    /// The length of every usage block, stored and forecast: 5 minutes. One length for the whole product, because
    /// the features' windows (an hour, a day, a week) and the model's cost per training are sized in these blocks.
    /// </summary>
    public static readonly TimeSpan Block = TimeSpan.FromMinutes(5);

    /// <summary>One container's usage of a resource: block max = the highest pod, block mean = the mean across pods.</summary>
    public static string Container(string container, string resource) => $"container:{container}:{resource}";

    /// <summary>The usage of a resource summed over the target's pods.</summary>
    public static string Total(string resource) => $"total:{resource}";

    /// <summary>
    /// The blocks of <paramref name="stored"/> that are complete at <paramref name="now"/>, with each gap a block of count
    /// 0 carrying the previous values, so the block index always maps to time as the forecaster requires; a count-0
    /// block is read as missing, never as usage.
    /// </summary>
    public static IReadOnlyList<UsageBlock> CompleteAndContiguous(IEnumerable<UsageBlock> stored, TimeSpan block, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var result = new List<UsageBlock>();
        foreach (var each in stored.Where(b => b.Start + block <= now).OrderBy(b => b.Start))
        {
            while (result.Count > 0 && result[^1].Start + block < each.Start)
            {
                result.Add(result[^1] with { Start = result[^1].Start + block, Count = 0 });
            }

            if (result.Count == 0 || result[^1].Start < each.Start)
            {
                result.Add(each);
            }
        }

        return result;
    }

    /// <summary>The start of the block holding <paramref name="at"/> (blocks are aligned to the Unix epoch).</summary>
    public static DateTimeOffset BlockStart(DateTimeOffset at, TimeSpan block)
    {
        var ticks = at.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return DateTimeOffset.UnixEpoch.AddTicks(ticks - (ticks % block.Ticks));
    }
}
