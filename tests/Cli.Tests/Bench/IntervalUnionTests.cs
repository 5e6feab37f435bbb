using Thoras.Cli.Bench;
using Xunit;

namespace Thoras.Cli.Tests.Bench;

public sealed class IntervalUnionTests
{
    [Theory]
    [InlineData(new long[] { }, 0)]
    [InlineData(new long[] { 0, 10 }, 10)]
    [InlineData(new long[] { 0, 10, 20, 30 }, 20)]
    [InlineData(new long[] { 0, 10, 5, 15 }, 15)]
    [InlineData(new long[] { 0, 100, 10, 20, 30, 40 }, 100)]
    [InlineData(new long[] { 0, 10, 10, 20 }, 20)]
    [InlineData(new long[] { 20, 30, 0, 10, 5, 25 }, 30)]
    [InlineData(new long[] { 0, 10, 0, 10, 0, 10 }, 10)]
    [InlineData(new long[] { 5, 5, 9, 3 }, 0)]
    [InlineData(new long[] { 0, 10, 2, 4, 8, 30, 40, 50 }, 40)]
    public void Length_Intervals_CoveredTimeWithOverlapsOnce(long[] bounds, long expected)
    {
        var intervals = bounds.Chunk(2).Select(b => (b[0], b[1]));

        Assert.Equal(expected, IntervalUnion.Length(intervals));
    }

    [Fact]
    public void Length_ManyOverlappingCalls_NeverMoreThanTheirSpan()
    {
        var random = new Random(3);
        var intervals = Enumerable.Range(0, 500).Select(_ => random.Next(0, 1000)).Select(s => ((long)s, (long)s + random.Next(1, 50))).ToList();

        var union = IntervalUnion.Length(intervals);

        Assert.InRange(union, intervals.Max(i => i.Item2 - i.Item1), intervals.Max(i => i.Item2) - intervals.Min(i => i.Item1));
        Assert.Equal(Covered(intervals), union);
    }

    /// <summary>The same length counted unit by unit.</summary>
    private static long Covered(IEnumerable<(long Start, long End)> intervals)
    {
        var units = new HashSet<long>();
        foreach (var (start, end) in intervals)
        {
            for (var t = start; t < end; t++)
                units.Add(t);
        }

        return units.Count;
    }
}
