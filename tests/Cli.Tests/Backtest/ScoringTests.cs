using Thoras.Cli.Backtest;
using Xunit;

namespace Thoras.Cli.Tests.Backtest;

public class ScoringTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Score_HandComputedCase_SlackDeficitShareChanges()
    {
        // Scored from index 1: used 10, 10, 20, 10 against 12, 12, 15, 15.
        double[] allocated = [double.NaN, 12, 12, 15, 15];

        var result = Scoring.Score("p", 1, 0.02, Blocks((99, 1), (10, 1), (10, 1), (20, 1), (10, 1)), allocated, 1);

        Assert.Equal(0.25, result.UnderProvisionedShare);
        Assert.Equal((2 + 2 + 5) / 50.0, result.Slack, 12);
        Assert.Equal(5 / 50.0, result.Deficit, 12);
        Assert.Equal(1, result.Changes);
    }

    [Fact]
    public void Score_Gap_LeftOutOfShareSlackAndDeficitButChangesCount()
    {
        // The gap carries 50 forward and the allocation changes under it: not usage, but a change.
        double[] allocated = [12, 12, 30, 15];

        var result = Scoring.Score("p", 1, 0.02, Blocks((10, 1), (50, 0), (10, 1), (10, 1)), allocated, 0);

        Assert.Equal((0.0, (2 + 20 + 5) / 30.0, 0.0, 2), (result.UnderProvisionedShare, result.Slack, result.Deficit, result.Changes));
    }

    [Fact]
    public void Score_OneDayScored_ChangesPerDayIsTheCount()
    {
        var blocks = Enumerable.Range(0, 288).Select(i => new Thoras.Domain.Forecasting.UsageBlock(T0.AddMinutes(5 * i), 1, 1, 1)).ToArray();
        var allocated = Enumerable.Range(0, 288).Select(i => i < 144 ? 1.0 : 2.0).ToArray();

        Assert.Equal(1, Scoring.Score("p", null, null, blocks, allocated, 0).ChangesPerDay, 12);
    }

    [Fact]
    public void Score_NoUsage_ZeroRatios()
    {
        var result = Scoring.Score("p", null, null, Blocks((0, 1), (0, 1)), [1.0, 1.0], 0);

        Assert.Equal((0.0, 0.0), (result.Slack, result.Deficit));
    }

    private static Thoras.Domain.Forecasting.UsageBlock[] Blocks(params (double Max, int Count)[] blocks) =>
        blocks.Select((b, i) => new Thoras.Domain.Forecasting.UsageBlock(T0.AddMinutes(5 * i), b.Max, b.Max, b.Count)).ToArray();
}

public class FrontierTests
{
    private static readonly PolicyResult[] Vpa =
    [
        new("vpa", 0.9, null, 0.04, 0.2, 0.02, 0, 1),
        new("vpa", 0.99, null, 0.01, 0.5, 0.005, 0, 3),
    ];

    [Fact]
    public void VpaAt_BetweenSweepPoints_LinearInterpolation()
    {
        var (slack, deficit, changesPerDay) = Frontier.VpaAt(Vpa, 0.02);

        Assert.Equal(0.4, slack, 12);
        Assert.Equal(0.01, deficit, 12);
        Assert.Equal(7 / 3.0, changesPerDay, 12);
    }

    [Fact]
    public void VpaAt_SaferThanSweep_MostConservativePoint()
    {
        Assert.Equal((0.5, 0.005, 3.0), Frontier.VpaAt(Vpa, 0.001));
    }

    [Fact]
    public void Summarise_OneSeries_RatiosAgainstInterpolatedVpa()
    {
        PolicyResult[] results =
        [
            .. Vpa,
            new("thoras", 0.02, 0.02, 0.02, 0.2, 0.005, 3, 1.5),
            new("naive", 0.02, 0.02, 0.04, 0.3, 0.02, 3, 1.5),
            new("static", 0.15, null, 0, 1, 0, 0, 0),
        ];

        var frontier = Frontier.Summarise([new SeriesResults("s", 10, 0, null, results)], [0.02]);

        var thoras = frontier.Single(f => f.Policy == "thoras");
        Assert.Equal(0.5, thoras.MedianSlackRatioVsVpa!.Value, 12);
        Assert.Equal(0.5, thoras.MedianDeficitRatioVsVpa!.Value, 12);
        Assert.Equal(1, thoras.WithinTolerance);
        Assert.Equal(0, frontier.Single(f => f.Policy == "naive").WithinTolerance);
        Assert.Equal(0.4, frontier.Single(f => f.Policy == "vpa").MedianSlack, 12);
        Assert.Equal(1.5, thoras.MedianChangesPerDay, 12);
    }

    [Fact]
    public void Median_EvenCount_MeanOfMiddleTwo()
    {
        Assert.Equal(2.5, Frontier.Median([4, 1, 2, 3]));
    }
}
