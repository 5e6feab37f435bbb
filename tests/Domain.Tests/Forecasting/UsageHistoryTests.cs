using Thoras.Domain.Forecasting;
using Xunit;

namespace Thoras.Domain.Tests.Forecasting;

public sealed class UsageHistoryTests
{
    [Fact]
    public void Windowed_BlocksWithAGap_GapLeftOut()
    {
        // Peaks 1, 4, (gap carrying 9), 2.
        var history = Of((1, 1), (4, 1), (9, 0), (2, 1));

        Assert.Equal((3, 7 / 3.0, 4.0), (history.ObservedIn(0, 4), history.MeanIn(0, 4), history.MaxIn(0, 4)));
    }

    [Fact]
    public void Windowed_OnlyGaps_NaN()
    {
        var history = Of((1, 1), (9, 0), (9, 0));

        Assert.Equal((double.NaN, double.NaN, 0), (history.MeanIn(1, 3), history.MaxIn(1, 3), history.ObservedIn(1, 3)));
    }

    [Fact]
    public void VolatilityIn_GapBetween_OnlyNeighbouringMeasuredBlocksCount()
    {
        // log steps with epsilon 0: |ln 4 − ln 1| counts; the pairs next to the gap do not.
        var history = Of((1, 1), (4, 1), (9, 0), (2, 1));

        Assert.Equal(Math.Log(4), history.VolatilityIn(0, 4), 12);
    }

    [Fact]
    public void LastObservedBefore_GapAtTheEnd_TheMeasuredOneBeforeIt()
    {
        var history = Of((1, 1), (4, 1), (9, 0));

        Assert.Equal((1, -1), (history.LastObservedBefore(0, 3), history.LastObservedBefore(2, 3)));
    }

    private static UsageHistory Of(params (double Max, int Count)[] blocks)
    {
        var history = new UsageHistory();
        history.UseEpsilon(0);
        for (var i = 0; i < blocks.Length; i++)
        {
            history.Append(new UsageBlock(UsageSeriesBuilder.Monday.AddMinutes(5 * i), blocks[i].Max, blocks[i].Max, blocks[i].Count));
        }

        return history;
    }
}
