using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Targets;
using Thoras.Domain.Tests.Forecasting;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class AppBacktestParityTests
{
    private const string Cpu = "container:app:cpu";

    [Fact]
    public void Recommend_TickByTickThroughSavedStates_SameBoundsAsTheBacktestsUninterruptedReplay()
    {
        var blocks = new UsageSeriesBuilder().WithDailyWave(330, 10, 3, 2).WithConstant(12, 16).WithDailyWave(30, 10, 3, 2).Build();
        var app = new TargetRecommender(new ForecastOptions { RetrainEvery = TimeSpan.FromHours(2) });
        var resolved = ResolvedBuilder.For(TargetBuilder.Target().Vertical(TargetMode.Autonomous).Build()).WithPods(1).Build();
        var settings = app.SettingsFor(resolved.Target.Spec, ScalingDirection.Vertical, UsageSeries.Cpu);
        var replay = new SeriesRecommender(settings);
        var first = (int)(settings.MinLookback / UsageSeries.Block) + 10;
        foreach (var block in blocks.Take(first))
            replay.Observe(block);
        var saved = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        var appBounds = new List<double?>();
        var replayBounds = new List<double?>();

        for (var t = first; t < blocks.Count; t++)
        {
            replayBounds.Add(replay.Recommend().Suggestion);
            var usage = new Dictionary<string, IReadOnlyList<UsageBlock>>(StringComparer.Ordinal) { [Cpu] = blocks.Take(t).ToList() };
            var recommendation = app.Recommend(new RecommendationInput(resolved, usage, new Dictionary<string, byte[]>(saved, StringComparer.Ordinal), blocks[t].Start));
            appBounds.Add(recommendation.Series.Single(s => s.Series == Cpu).Forecast.Suggestion);
            foreach (var (series, state) in recommendation.StatesToSave)
                saved[series] = state;
            replay.Observe(blocks[t]);
        }

        Assert.True(replayBounds.Distinct().Count() > 2, "the series must make the policy change its bound");
        Assert.Equal(replayBounds, appBounds);
    }
}
