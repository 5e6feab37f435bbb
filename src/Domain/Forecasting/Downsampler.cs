namespace Thoras.Domain.Forecasting;

/// <summary>
/// Turns raw samples into contiguous fixed-length blocks (max and mean per block), the form in which usage is
/// stored and forecast. Collection and the backtest both use it, so the backtest sees what the app sees.
/// </summary>
public static class Downsampler
{
    /// <summary>The default block length: 5 minutes.</summary>
    public static readonly TimeSpan DefaultBlock = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Aggregates <paramref name="samples"/> (any order) into blocks aligned to multiples of <paramref name="block"/>
    /// since the Unix epoch. Blocks without samples between the first and the last are filled with the previous
    /// block's values and <see cref="UsageBlock.Count"/> 0, so the block index always maps to time (a day ago is
    /// always 288 blocks back); features rely on that.
    /// </summary>
    public static IReadOnlyList<UsageBlock> Downsample(IEnumerable<UsageSample> samples, TimeSpan block)
    {
        ArgumentNullException.ThrowIfNull(samples);
        if (block <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(block), block, "The block length must be positive.");
        }

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
