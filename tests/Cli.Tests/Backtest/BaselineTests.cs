using Xunit;
using Thoras.Cli.Backtest.Baselines;

namespace Thoras.Cli.Tests.Backtest;

public class DecayingHistogramTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void BucketStart_FivePercentGrowth_MatchesVpaFormula()
    {
        var histogram = new DecayingHistogram(1000, 0.01, 1.05, TimeSpan.FromHours(24));

        // start(k) = 0.01 × (1.05^k − 1) / 0.05: 0, 0.01, 0.0205.
        Assert.Equal(0.0, histogram.BucketStart(0), 12);
        Assert.Equal(0.01, histogram.BucketStart(1), 12);
        Assert.Equal(0.0205, histogram.BucketStart(2), 12);
    }

    [Fact]
    public void Percentile_OneSample_EndOfItsBucket()
    {
        var histogram = new DecayingHistogram(1000, 0.01, 1.05, TimeSpan.FromHours(24));
        histogram.AddSample(0.015, 1, Now);

        // 0.015 lies in bucket 1 [0.01, 0.0205); VPA returns the bucket's end.
        Assert.Equal(0.0205, histogram.Percentile(0.9), 12);
    }

    [Fact]
    public void Percentile_OldSampleOneHalfLifeEarlier_CountsHalf()
    {
        // Weights: 1 (value 1, at t0) and 2 (value 0.01·k-bucket of 5, one half-life later). P50 needs 1.5 of 3.
        var histogram = new DecayingHistogram(1000, 0.01, 1.05, TimeSpan.FromHours(24));
        histogram.AddSample(1, 1, Now);
        histogram.AddSample(5, 1, Now.AddHours(24));

        var p30 = histogram.Percentile(0.3);
        var p50 = histogram.Percentile(0.5);

        Assert.InRange(p30, 1, 1.06);
        Assert.InRange(p50, 5, 5.3);
    }

    [Fact]
    public void Percentile_Empty_Zero()
    {
        var histogram = new DecayingHistogram(1000, 0.01, 1.05, TimeSpan.FromHours(24));

        Assert.Equal(0, histogram.Percentile(0.9));
    }

    [Fact]
    public void AddSample_YearsOfSamples_StaysFinite()
    {
        var histogram = new DecayingHistogram(1000, 0.01, 1.05, TimeSpan.FromHours(24));
        for (var day = 0; day < 400; day++)
        {
            histogram.AddSample(2, 1, Now.AddDays(day));
        }

        Assert.InRange(histogram.Percentile(0.9), 2, 2.1);
    }
}

public class VpaRecommenderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Target_TenSamples_P90BucketEndTimesMargin()
    {
        var vpa = new VpaRecommender(new VpaSettings());
        for (var i = 1; i <= 10; i++)
        {
            vpa.AddSample(i, Now);
        }

        // P90 of 1..10 falls in the bucket of 9; its end times 1.15.
        var histogram = new DecayingHistogram(1000, 0.01, 1.05, TimeSpan.FromHours(24));
        var end = histogram.BucketStart(histogram.BucketOf(9) + 1);
        Assert.Equal(end * 1.15, vpa.Target(), 9);
    }
}

public class StaticPeakTests
{
    [Fact]
    public void Request_FirstDays_PeakPlusFifteenPercent()
    {
        Assert.Equal(11.5, StaticPeak.Request([3, 10, 7]), 10);
    }
}

public class NaiveForecasterTests
{
    [Fact]
    public void Suggest_NoErrorsYet_PreviousUsage()
    {
        var naive = new NaiveForecaster(0.1);
        naive.Observe(4);

        Assert.Equal(4, naive.Suggest(1));
    }

    [Fact]
    public void Suggest_KnownErrors_PreviousPlusErrorQuantile()
    {
        // Usage 10, then per block the suggestion's basis is the previous block: errors +1, −2, +3, +4.
        var naive = new NaiveForecaster(0.25);
        naive.Observe(10);
        foreach (var used in new[] { 11.0, 9, 12, 16 })
        {
            naive.Suggest(1);
            naive.Observe(used);
        }

        // Errors sorted −2, 1, 3, 4; rank ceil(5 × 0.75) = 4 → 4. Basis 16.
        Assert.Equal(20, naive.Suggest(1));
    }

    [Fact]
    public void Observe_WindowFull_DropsOldestError()
    {
        var naive = new NaiveForecaster(0.01, window: 2);
        naive.Observe(0);
        foreach (var used in new[] { 100.0, 100, 101 })
        {
            naive.Suggest(1);
            naive.Observe(used);
        }

        // Errors +100 (dropped), 0, +1.
        Assert.Equal(1, naive.Margin());
    }
}
