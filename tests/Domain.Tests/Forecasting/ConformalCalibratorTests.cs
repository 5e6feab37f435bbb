using Xunit;
using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Tests.Forecasting;

public class ConformalCalibratorTests
{
    private static readonly PeakPrediction AtTen = new(Math.Log(10), 1, 0);

    [Fact]
    public void Threshold_NoScores_UsesUncalibratedMargin()
    {
        var calibrator = new ConformalCalibrator(0.02, 100);

        Assert.Equal(4.0, calibrator.Threshold());
    }

    [Fact]
    public void Threshold_HundredScores_FiniteSampleCorrectedQuantile()
    {
        // Scores 1..99 and risk 0.1: rank ceil(100 × 0.9) = 90, the 90th smallest score.
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0);
        calibrator.Seed(Enumerable.Range(1, 99).Select(i => (double)i));

        Assert.Equal(90.0, calibrator.Threshold());
    }

    [Fact]
    public void Threshold_RiskBelowOneOverN_WorstScore()
    {
        var calibrator = new ConformalCalibrator(0.005, 1000, adaptationRate: 0);
        calibrator.Seed([1.0, 3.0, 2.0]);

        Assert.Equal(3.0, calibrator.Threshold());
    }

    [Fact]
    public void Seed_MoreThanCapacity_KeepsNewest()
    {
        var calibrator = new ConformalCalibrator(0.1, 3);

        calibrator.Seed([1.0, 2.0, 3.0, 4.0]);

        Assert.Equal([2.0, 3.0, 4.0], calibrator.Scores);
    }

    [Fact]
    public void Bound_ThresholdOneInLogSpace_PredictionTimesE()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0);
        calibrator.Seed(Enumerable.Repeat(1.0, 50));

        var bound = calibrator.Bound(AtTen, 0, 1);

        Assert.Equal(10 * Math.E, bound, 6);
    }

    [Fact]
    public void Bound_AboveCap_Capped()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0);

        Assert.Equal(12.0, calibrator.Bound(AtTen, 0, 1, cap: 12));
    }

    [Fact]
    public void Bound_BelowFloor_RaisedToFloor()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0);
        calibrator.Seed([0.0]);

        Assert.Equal(15.0, calibrator.Bound(AtTen, 0, 1, cap: 20, floor: 15));
    }

    [Fact]
    public void Bound_FloorAboveCap_CapWins()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0);
        calibrator.Seed([0.0]);

        Assert.Equal(10.0, calibrator.Bound(AtTen, 0, 1, cap: 12, floor: 15), 9);
    }

    [Fact]
    public void Observe_UsageAboveCalibratedButBelowFloor_NotAMiss()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0.01);
        calibrator.Seed([0.0]);
        calibrator.Bound(AtTen, 0, 1, floor: 15);

        calibrator.Observe(0, 12);

        Assert.Equal(0.1 + (0.01 * 0.1), calibrator.AdaptiveRisk, 12);
    }

    [Fact]
    public void Observe_BlockUnderTheBound_AddsItsScore()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000);
        calibrator.Bound(AtTen, 5, 1);

        calibrator.Observe(5, 10 * Math.E);

        Assert.Equal(1.0, Assert.Single(calibrator.Scores), 6);
    }

    [Fact]
    public void Observe_BlockOutsideTheInterval_Ignored()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000);
        calibrator.Bound(AtTen, 5, 2);

        calibrator.Observe(7, 20);

        Assert.Empty(calibrator.Scores);
    }

    [Fact]
    public void Observe_Miss_LowersAdaptiveRisk()
    {
        var calibrator = new ConformalCalibrator(0.02, 1000, adaptationRate: 0.01);
        calibrator.Bound(AtTen, 0, 1);

        calibrator.Observe(0, 1000);

        Assert.Equal(0.02 + (0.01 * (0.02 - 1)), calibrator.AdaptiveRisk, 10);
    }

    [Fact]
    public void Observe_Hit_RaisesAdaptiveRisk()
    {
        var calibrator = new ConformalCalibrator(0.02, 1000, adaptationRate: 0.01);
        calibrator.Bound(AtTen, 0, 1);

        calibrator.Observe(0, 1);

        Assert.Equal(0.02 + (0.01 * 0.02), calibrator.AdaptiveRisk, 10);
    }

    [Fact]
    public void Bound_ExchangeableScores_MissRateNearRiskTarget()
    {
        var random = new Random(3);
        var calibrator = new ConformalCalibrator(0.05, 2000);
        var prediction = new PeakPrediction(0, 1, 0);
        var misses = 0;
        const int steps = 20000;
        for (var i = 0; i < steps; i++)
        {
            var bound = calibrator.Bound(prediction, i, 1);
            var used = Math.Exp(random.NextDouble() * 3);
            misses += used > bound ? 1 : 0;
            calibrator.Observe(i, used);
        }

        Assert.InRange(misses / (double)steps, 0.045, 0.055);
    }

    [Fact]
    public void Bound_NewBoundWithinBand_KeepsBoundInForce()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0, hysteresisBand: 0.1);
        calibrator.Seed([0.0]);
        var first = calibrator.Bound(new PeakPrediction(Math.Log(100), 1, 0), 0, 1);

        var second = calibrator.Bound(new PeakPrediction(Math.Log(95), 1, 0), 1, 1);

        Assert.Equal(first, second, 9);
    }

    [Fact]
    public void Bound_NewBoundHigher_RaisesAtOnce()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0, hysteresisBand: 0.1);
        calibrator.Seed([0.0]);
        calibrator.Bound(new PeakPrediction(Math.Log(100), 1, 0), 0, 1);

        var second = calibrator.Bound(new PeakPrediction(Math.Log(101), 1, 0), 1, 1);

        Assert.Equal(101, second, 9);
    }

    [Fact]
    public void Bound_HeldBoundAboveCap_TakesNewBound()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0, hysteresisBand: 0.1);
        calibrator.Seed([0.0]);
        calibrator.Bound(new PeakPrediction(Math.Log(100), 1, 0), 0, 1);

        var second = calibrator.Bound(new PeakPrediction(Math.Log(95), 1, 0), 1, 1, cap: 97);

        Assert.Equal(95, second, 9);
    }

    [Fact]
    public void Observe_UsageAboveCalibratedButBelowHeldBound_NotAMiss()
    {
        var calibrator = new ConformalCalibrator(0.1, 1000, adaptationRate: 0.01, hysteresisBand: 0.1);
        calibrator.Seed([0.0]);
        calibrator.Bound(new PeakPrediction(Math.Log(100), 1, 0), 0, 1);
        calibrator.Bound(new PeakPrediction(Math.Log(95), 1, 0), 1, 1);

        calibrator.Observe(1, 98);

        // No miss: the level moves up by rate × risk, away from the miss direction.
        Assert.Equal(0.1 + (0.01 * 0.1), calibrator.AdaptiveRisk, 12);
    }
}
