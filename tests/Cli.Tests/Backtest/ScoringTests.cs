using Thoras.Cli.Backtest;
using Xunit;

namespace Thoras.Cli.Tests.Backtest;

public class ScoringTests
{
    [Fact]
    public void Score_HandComputedCase_SlackDeficitShareChanges()
    {
        // Scored from index 1: used 10, 10, 20, 10 against 12, 12, 15, 15.
        double[] used = [99, 10, 10, 20, 10];
        double[] allocated = [double.NaN, 12, 12, 15, 15];

        var result = Scoring.Score("p", 1, 0.02, used, allocated, 1);

        Assert.Equal(0.25, result.UnderProvisionedShare);
        Assert.Equal((2 + 2 + 5) / 50.0, result.Slack, 12);
        Assert.Equal(5 / 50.0, result.Deficit, 12);
        Assert.Equal(1, result.Changes);
    }

    [Fact]
    public void Score_NoUsage_ZeroRatios()
    {
        var result = Scoring.Score("p", null, null, [0.0, 0.0], [1.0, 1.0], 0);

        Assert.Equal(0, result.Slack);
        Assert.Equal(0, result.Deficit);
    }
}

public class FrontierTests
{
    private static readonly PolicyResult[] Vpa =
    [
        new("vpa", 0.9, null, 0.04, 0.2, 0.02, 0),
        new("vpa", 0.99, null, 0.01, 0.5, 0.005, 0),
    ];

    [Fact]
    public void VpaAt_BetweenSweepPoints_LinearInterpolation()
    {
        var (slack, deficit) = Frontier.VpaAt(Vpa, 0.02);

        Assert.Equal(0.4, slack, 12);
        Assert.Equal(0.01, deficit, 12);
    }

    [Fact]
    public void VpaAt_SaferThanSweep_MostConservativePoint()
    {
        Assert.Equal((0.5, 0.005), Frontier.VpaAt(Vpa, 0.001));
    }

    [Fact]
    public void Summarise_OneSeries_RatiosAgainstInterpolatedVpa()
    {
        PolicyResult[] results =
        [
            .. Vpa,
            new("thoras", 0.02, 0.02, 0.02, 0.2, 0.005, 3),
            new("naive", 0.02, 0.02, 0.04, 0.3, 0.02, 3),
            new("static", 0.15, null, 0, 1, 0, 0),
        ];

        var frontier = Frontier.Summarise([new SeriesResults("s", 10, results)], [0.02]);

        var thoras = frontier.Single(f => f.Policy == "thoras");
        Assert.Equal(0.5, thoras.MedianSlackRatioVsVpa!.Value, 12);
        Assert.Equal(0.5, thoras.MedianDeficitRatioVsVpa!.Value, 12);
        Assert.Equal(1, thoras.WithinTolerance);
        Assert.Equal(0, frontier.Single(f => f.Policy == "naive").WithinTolerance);
        Assert.Equal(0.4, frontier.Single(f => f.Policy == "vpa").MedianSlack, 12);
    }

    [Fact]
    public void Median_EvenCount_MeanOfMiddleTwo()
    {
        Assert.Equal(2.5, Frontier.Median([4, 1, 2, 3]));
    }
}
