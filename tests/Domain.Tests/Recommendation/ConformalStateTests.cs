using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class ConformalStateTests
{
    private static readonly PeakPrediction AtTen = new(Math.Log(10), 1, 0);

    [Fact]
    public void Threshold_NoScores_UsesUncalibratedMargin()
    {
        Assert.Equal(4.0, ConformalState.Start(0.02, 100).Threshold());
    }

    [Theory]
    [InlineData(0.1, 90.0)]   // rank ceil(100 × 0.9) = 90: the 90th smallest of 1..99
    [InlineData(0.5, 50.0)]   // rank ceil(100 × 0.5) = 50
    [InlineData(0.005, 99.0)] // rank 100 > 99 scores: the worst score seen
    public void Threshold_ScoresOneToNinetyNine_FiniteSampleCorrectedQuantile(double risk, double expected)
    {
        var state = ConformalState.Start(risk, 1000, adaptationRate: 0).Seed(Enumerable.Range(1, 99).Select(i => (double)i));

        Assert.Equal(expected, state.Threshold());
    }

    [Fact]
    public void Seed_MoreThanCapacity_KeepsNewest()
    {
        var state = ConformalState.Start(0.1, 3).Seed([1.0, 2.0, 3.0, 4.0]);

        Assert.Equal([2f, 3f, 4f], state.Scores);
    }

    [Fact]
    public void Bound_ThresholdOneInLogSpace_PredictionTimesE()
    {
        var state = ConformalState.Start(0.1, 1000, adaptationRate: 0).Seed(Enumerable.Repeat(1.0, 50));

        Assert.Equal(10 * Math.E, state.Bound(AtTen), 5);
    }

    [Fact]
    public void Observe_AnyBlock_LeavesTheOriginalUnchanged()
    {
        var before = ConformalState.Start(0.02, 100, adaptationRate: 0.01);

        var after = before.Observe(AtTen, applied: 10, used: 20);

        Assert.Equal((0.02, 0), (before.AdaptiveRisk, before.ScoreCount));
        Assert.Equal(1, after.ScoreCount);
    }

    [Fact]
    public void Observe_BlockUnderTheBound_AddsItsScore()
    {
        var state = ConformalState.Start(0.02, 100).Observe(AtTen, applied: 100, used: 10 * Math.E);

        Assert.Equal(1.0, Assert.Single(state.Scores), 6);
    }

    [Theory]
    [InlineData(20.0, 0.02 + (0.01 * (0.02 - 1)))] // a miss lowers the level: wider margins
    [InlineData(5.0, 0.02 + (0.01 * 0.02))]        // a hit raises it: tighter margins
    public void Observe_MissOrHit_MovesTheLevelByGammaTimesTheError(double used, double expected)
    {
        var state = ConformalState.Start(0.02, 100, adaptationRate: 0.01).Observe(AtTen, applied: 10, used);

        Assert.Equal(expected, state.AdaptiveRisk, 12);
    }

    [Fact]
    public void Observe_UsageAboveCalibratedButBelowAppliedBound_NotAMiss()
    {
        // Calibrated at 10 × e but the change policy kept 40: usage 30 is no miss.
        var state = ConformalState.Start(0.1, 100, adaptationRate: 0.01).Observe(AtTen, applied: 40, used: 30);

        Assert.Equal(0.1 + (0.01 * 0.1), state.AdaptiveRisk, 12);
    }

    [Theory]
    [InlineData(1.0, 0.02 * 0.05)] // a storm of misses stops at risk × 0.05
    [InlineData(0.0, 0.02 * 10)]   // a long calm stops at risk × 10
    public void Observe_ManyMissesOrHits_LevelStaysWithinItsSpan(double used, double expected)
    {
        var state = ConformalState.Start(0.02, 100, adaptationRate: 0.5);
        var prediction = new PeakPrediction(Math.Log(0.5), 1, 0);
        for (var i = 0; i < 1000; i++)
        {
            state = state.Observe(prediction, applied: 0.5, used);
        }

        Assert.Equal(expected, state.AdaptiveRisk, 12);
    }

    [Fact]
    public void Bound_ExchangeableScores_MissRateNearRiskTarget()
    {
        // Standard normal scores around a fixed prediction: the bound is exceeded in about 5 % of blocks.
        var random = new Random(3);
        var state = ConformalState.Start(0.05, 2000);
        var prediction = new PeakPrediction(0, 1, 0);
        var misses = 0;
        const int Steps = 20000;
        for (var i = 0; i < Steps; i++)
        {
            var bound = state.Bound(prediction);
            var score = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var used = Math.Exp(score);
            misses += used > bound ? 1 : 0;
            state = state.Observe(prediction, bound, used);
        }

        Assert.InRange(misses / (double)Steps, 0.045, 0.055);
    }

    [Fact]
    public void Restore_SavedLevelAndScores_SameThreshold()
    {
        var original = ConformalState.Start(0.02, 100).Seed([1.0, 2.5, 3.0]).Observe(AtTen, 10, 30);

        var restored = ConformalState.Restore(0.02, 100, original.AdaptiveRisk, original.Scores);

        Assert.Equal((original.AdaptiveRisk, original.Threshold()), (restored.AdaptiveRisk, restored.Threshold()));
    }

    [Fact]
    public void Start_RiskTargetOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ConformalState.Start(1, 100));
    }
}
