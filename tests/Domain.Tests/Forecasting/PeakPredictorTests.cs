using Thoras.Domain.Forecasting;
using Xunit;

namespace Thoras.Domain.Tests.Forecasting;

public sealed class PeakPredictorTests
{
    private static readonly ForecastSettings Settings = new() { MinLookback = TimeSpan.FromHours(6), TrainingWindow = TimeSpan.FromDays(1) };

    [Theory]
    [InlineData(71, false)]  // 5 h 55 min: less than min_lookback_to_scale
    [InlineData(72, true)]   // 6 h
    public void HasEnoughDataToScale_History_FromMinLookback(int blocks, bool expected)
    {
        Assert.Equal(expected, Fed(new UsageSeriesBuilder().WithConstant(blocks, 2).Build()).HasEnoughDataToScale);
    }

    [Fact]
    public void HasEnoughDataToScale_MinLookbackShorterThanHorizon_NotUntilTrainable()
    {
        // min_lookback 10 min, horizon 15 min (3 blocks): training needs 5 blocks, so 4 are not enough.
        var settings = Settings with { MinLookback = TimeSpan.FromMinutes(10) };
        var blocks = new UsageSeriesBuilder().WithConstant(5, 2).Build();

        Assert.Equal((false, true), (Fed(blocks.Take(4), settings).HasEnoughDataToScale, Fed(blocks, settings).HasEnoughDataToScale));
    }

    [Fact]
    public void HasEnoughDataToScale_WindowAllGaps_False()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(300, 2).Build();
        var gaps = blocks.Take(10).Concat(blocks.Skip(10).Select(b => b with { Count = 0 }));

        Assert.False(Fed(gaps).HasEnoughDataToScale);
    }

    [Fact]
    public void Predict_FlatSeries_PeakIsTheLevel()
    {
        var predictor = Fed(new UsageSeriesBuilder().WithConstant(300, 4).Build());
        predictor.Train(withHoldoutScores: false);

        Assert.Equal(4, predictor.Predict().Peak, 2);
    }

    [Fact]
    public void Predict_HistoryBeforeTheTrainingWindowChanged_SamePrediction()
    {
        // The app keeps only the training window; what lies before it must not matter.
        var blocks = new UsageSeriesBuilder().WithDailyWave(700, 10, 3, 1).Build();
        var changed = blocks.Select((b, i) => i < 700 - 288 ? b with { Max = b.Max * 3 } : b).ToList();

        Assert.Equal(Trained(blocks).Predict(), Trained(changed).Predict());
    }

    [Fact]
    public void Predict_GapValuesChanged_SamePrediction()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(400, 10, 3, 1).Build();
        var gapped = blocks.Select((b, i) => i % 7 == 0 ? b with { Count = 0 } : b).ToList();
        var otherValues = gapped.Select(b => b.Count == 0 ? b with { Max = 77, Mean = 77 } : b).ToList();

        Assert.Equal(Trained(gapped).Predict(), Trained(otherValues).Predict());
    }

    [Fact]
    public void Train_HoldoutRequested_ScoresFromTheNewestQuarter()
    {
        var predictor = Fed(new UsageSeriesBuilder().WithDailyWave(400, 10, 3, 1).Build());

        var holdout = predictor.Train(withHoldoutScores: true);

        // 288 blocks of window, rows 1..285, the newest quarter from row 214: about 72 scored blocks.
        Assert.InRange(holdout.Count, 60, 80);
    }

    [Fact]
    public void IsTrainingDue_AfterTrainingUntilTheCadence_False()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(400, 2).Build();
        var predictor = Fed(blocks.Take(300));
        predictor.Train(withHoldoutScores: false);
        foreach (var block in blocks.Skip(300).Take(71))
        {
            predictor.Append(block);
        }

        var before = predictor.IsTrainingDue;
        predictor.Append(blocks[371]);

        Assert.Equal((false, true), (before, predictor.IsTrainingDue));
    }

    [Fact]
    public void RecentPeak_GapWithAHighCarriedValue_Ignored()
    {
        var blocks = new UsageSeriesBuilder().WithConstant(10, 2).WithValues(50).Build();
        blocks[^1] = blocks[^1] with { Count = 0 };

        Assert.Equal((2.0, 2.0), (Fed(blocks).RecentPeak(), Fed(blocks).LatestPeak(3)));
    }

    [Fact]
    public void Predict_BeforeTraining_Throws()
    {
        Assert.Throws<InvalidOperationException>(() => Fed(new UsageSeriesBuilder().WithConstant(100, 2).Build()).Predict());
    }

    private static PeakPredictor Trained(IEnumerable<UsageBlock> blocks)
    {
        var predictor = Fed(blocks);
        predictor.Train(withHoldoutScores: false);
        return predictor;
    }

    private static PeakPredictor Fed(IEnumerable<UsageBlock> blocks, ForecastSettings? settings = null)
    {
        var predictor = new PeakPredictor(settings ?? Settings);
        foreach (var block in blocks)
        {
            predictor.Append(block);
        }

        return predictor;
    }
}
