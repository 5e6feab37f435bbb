namespace Thoras.Domain.Forecasting;

/// <summary>
/// One series' blocks as the features read them: the peak, its logarithm and whether the block was observed. A block
/// with <see cref="UsageBlock.Count"/> 0 is a gap (nothing was measured): it keeps its place, so an index still maps
/// to time, but no feature, label or score reads its value. Windowed sums are summed afresh over the window, never
/// taken from running totals: the result must not depend on how much older history is held (the app holds the
/// training window, the backtest the whole trace), down to the last bit.
/// </summary>
public sealed class UsageHistory
{
    private readonly List<UsageBlock> blocks = [];
    private readonly List<double> logs = [];
    private readonly List<int> observedBefore = [0];
    private readonly List<int> lastObserved = [];
    private double? epsilon;

    /// <summary>How many blocks there are, gaps included.</summary>
    public int Count => blocks.Count;

    /// <summary>The blocks, oldest first.</summary>
    public IReadOnlyList<UsageBlock> Blocks => blocks;

    /// <summary>The offset that keeps the logarithm of zero finite; null until <see cref="UseEpsilon"/>.</summary>
    public double? Epsilon => epsilon;

    /// <summary>Block <paramref name="index"/>.</summary>
    public UsageBlock this[int index] => blocks[index];

    /// <summary>Appends the next block (the caller keeps blocks contiguous).</summary>
    public void Append(UsageBlock block)
    {
        var index = blocks.Count;
        var observed = block.Count > 0;
        blocks.Add(block);
        observedBefore.Add(observedBefore[^1] + (observed ? 1 : 0));
        lastObserved.Add(observed ? index : index > 0 ? lastObserved[^1] : -1);
        if (epsilon is { } e)
        {
            logs.Add(LogOf(block, e));
        }
    }

    /// <summary>Sets the log offset; the logarithms are computed from then on.</summary>
    public void UseEpsilon(double value)
    {
        if (epsilon == value)
        {
            return;
        }

        epsilon = value;
        logs.Clear();
        logs.AddRange(blocks.Select(b => LogOf(b, value)));
    }

    /// <summary>Whether block <paramref name="index"/> was measured (false for a gap and for indexes before 0).</summary>
    public bool IsObserved(int index) => index >= 0 && index < blocks.Count && blocks[index].Count > 0;

    /// <summary>log(peak + ε) of block <paramref name="index"/>.</summary>
    public double Log(int index) => logs[index];

    /// <summary>How many blocks of [<paramref name="from"/>, <paramref name="to"/>) were observed.</summary>
    public int ObservedIn(int from, int to) => observedBefore[to] - observedBefore[from];

    /// <summary>The mean peak of the observed blocks of [<paramref name="from"/>, <paramref name="to"/>), or NaN when none was.</summary>
    public double MeanIn(int from, int to)
    {
        var sum = 0.0;
        var count = 0;
        for (var i = from; i < to; i++)
        {
            if (blocks[i].Count > 0)
            {
                sum += blocks[i].Max;
                count++;
            }
        }

        return count == 0 ? double.NaN : sum / count;
    }

    /// <summary>The highest observed peak of [<paramref name="from"/>, <paramref name="to"/>), or NaN when none was observed.</summary>
    public double MaxIn(int from, int to)
    {
        var max = double.NaN;
        for (var i = from; i < to; i++)
        {
            if (blocks[i].Count > 0 && !(blocks[i].Max <= max))
            {
                max = blocks[i].Max;
            }
        }

        return max;
    }

    /// <summary>
    /// The mean absolute log step between neighbouring observed blocks whose later block lies in
    /// [<paramref name="from"/> + 1, <paramref name="to"/>), or 0 when there is no such pair: how jumpy the series is.
    /// </summary>
    public double VolatilityIn(int from, int to)
    {
        var sum = 0.0;
        var steps = 0;
        for (var i = from + 1; i < to; i++)
        {
            if (blocks[i].Count > 0 && blocks[i - 1].Count > 0)
            {
                sum += Math.Abs(logs[i] - logs[i - 1]);
                steps++;
            }
        }

        return steps == 0 ? 0 : sum / steps;
    }

    /// <summary>The latest observed block before <paramref name="to"/> and at or after <paramref name="from"/>, or -1.</summary>
    public int LastObservedBefore(int from, int to)
    {
        if (to <= from || to == 0)
        {
            return -1;
        }

        var last = lastObserved[to - 1];
        return last >= from ? last : -1;
    }

    private static double LogOf(UsageBlock block, double e) => Math.Log(Math.Max(0, block.Max) + e);
}
