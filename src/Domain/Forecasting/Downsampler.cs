namespace Thoras.Domain.Forecasting;

/// <summary>
/// Turns raw samples into contiguous blocks of <see cref="UsageSeries.Block"/> (max and mean per block), the form
/// in which usage is stored and forecast, so the backtest sees what the app stores.
/// </summary>
public static class Downsampler
{
    /// <summary>
    /// Aggregates <paramref name="samples"/> (any order) into blocks aligned to multiples of the block length since
    /// the Unix epoch. Blocks without samples between the first and the last are gaps: they hold the previous
    /// block's values and <see cref="UsageBlock.Count"/> 0, like the app's stored usage, so the block index always
    /// maps to time (a day ago is always 288 blocks back); nothing reads a gap's values as usage.
    /// </summary>
    public static IReadOnlyList<UsageBlock> Downsample(IEnumerable<UsageSample> samples)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var block = UsageSeries.Block;
        var byBlock = new SortedDictionary<long, (double Max, double Sum, int Count)>();
        foreach (var sample in samples)
        {
            if (!double.IsFinite(sample.Value))
            {
                throw new ArgumentException($"Sample at {sample.Timestamp:O} has a non-finite value.", nameof(samples));
            }

            var key = BlockIndex(sample.Timestamp, block);
            byBlock[key] = byBlock.TryGetValue(key, out var agg)
                ? (Math.Max(agg.Max, sample.Value), agg.Sum + sample.Value, agg.Count + 1)
                : (sample.Value, sample.Value, 1);
        }

        var blocks = new List<UsageBlock>(byBlock.Count);
        long? previousKey = null;
        foreach (var (key, agg) in byBlock)
        {
            if (previousKey is { } prev)
            {
                var last = blocks[^1];
                for (var gap = prev + 1; gap < key; gap++)
                {
                    blocks.Add(last with { Start = BlockStart(gap, block), Count = 0 });
                }
            }

            blocks.Add(new UsageBlock(BlockStart(key, block), agg.Max, agg.Sum / agg.Count, agg.Count));
            previousKey = key;
        }

        return blocks;
    }

    private static long BlockIndex(DateTimeOffset timestamp, TimeSpan block) =>
        (long)Math.Floor((timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / (double)block.Ticks);

    private static DateTimeOffset BlockStart(long index, TimeSpan block) =>
        DateTimeOffset.UnixEpoch.AddTicks(index * block.Ticks);
}
