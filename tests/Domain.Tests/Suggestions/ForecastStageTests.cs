using Moq;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Pause;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Suggestions;

public sealed class ForecastStageTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task RunOnce_ObservationMode_PublishesNothing()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Observation));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.Observed, pass.Targets.Single().Outcome);
        world.Cluster.Verify(c => c.UpdateStatusAsync(It.IsAny<TargetKey>(), It.IsAny<string>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()), Times.Never);
        world.History.Verify(h => h.AppendAsync(It.IsAny<string>(), It.IsAny<SuggestionRecord>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task RunOnce_ObservationMode_StillForecastsEverySeries()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Observation));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["container:app:cpu", "container:app:memory"], pass.Targets.Single().Series.Select(s => s.Series));
    }

    [Fact]
    public async Task RunOnce_ShortHistory_PublishesNotEnoughDataAndSaysWhy()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Autonomous));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        var record = pass.Targets.Single().Published!;
        Assert.Equal((false, false, null), (record.Suggestion.HasEnoughDataToScale, record.ExpectedToApply, record.Suggestion.ResourceRecommendations));
        Assert.StartsWith("not enough data", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_RecommendationMode_RecordedAsNotExpectedToApply()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Recommendation));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.StartsWith("recommendation mode", pass.Targets.Single().Published!.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_LastSuggestionWithinInterval_NotDue()
    {
        var target = ATarget.Vertical(TargetMode.Recommendation) with
        {
            Status = new TargetStatus { LatestSuggestion = new Suggestion { SuggestionUID = "s1", Start = Now.AddMinutes(-4) } },
        };
        var world = new StageWorld(target);

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.NotDue, pass.Targets.Single().Outcome);
    }

    [Fact]
    public void SettingsFor_ModelSpec_MapsModeAndDurations()
    {
        var spec = ATarget.Vertical(TargetMode.Recommendation).Spec with
        {
            Model = new ModelSpec { Mode = Thoras.Domain.Targets.ModelMode.Percentile, PercentileValue = 99, ForecastBlocks = TimeSpan.FromMinutes(30), ForecastBufferPercentage = 10 },
        };
        spec = spec with { Vertical = spec.Vertical! with { Model = new ModelSpec { MinLookbackToScale = TimeSpan.FromHours(2) } } };

        var settings = new StageWorld(ATarget.Vertical(TargetMode.Recommendation)).Stage.SettingsFor(spec, ScalingDirection.Vertical);

        Assert.Equal((0.01, TimeSpan.FromMinutes(30), 10.0, TimeSpan.FromHours(2)), (Math.Round(settings.RiskTarget, 6), settings.ForecastHorizon, settings.BufferPercentage, settings.MinLookback));
    }

    [Fact]
    public async Task RunOnce_HorizontalWithHpa_ReplicasFromForecastRequestAndHpaTarget()
    {
        var target = ATarget.Horizontal(TargetMode.Recommendation);
        var hpa = new HorizontalAutoscaler("web", 1, 20, new Dictionary<string, string>(), "1", TargetCpuUtilization: 50);
        var world = new StageWorld(target, historyBlocks: 288, autoscalers: [hpa]);

        var result = (await world.Stage.RunOnceAsync(CancellationToken.None)).Targets.Single();

        var total = result.Series.Single(s => s.Series == "total:cpu").Forecast.Suggestion!.Value;
        Assert.Equal(SuggestionBuilder.Replicas(target.Spec.Horizontal!, total, 0.25, 50, 20), result.Published!.Suggestion.SuggestedReplicas);
    }

    [Fact]
    public async Task RunOnce_AutonomousHorizontalWithoutHpa_RecordsNoSingleHpa()
    {
        var world = new StageWorld(ATarget.Horizontal(TargetMode.Autonomous), historyBlocks: 288);

        var result = (await world.Stage.RunOnceAsync(CancellationToken.None)).Targets.Single();

        Assert.Equal((true, false), (result.Published!.Suggestion.HasEnoughDataToScale, result.Published.ExpectedToApply));
        Assert.StartsWith("no single HPA", result.Published.Reason, StringComparison.Ordinal);
    }

    /// <summary>A stage over mocked ports: one target with one workload container and an hour of usage history.</summary>
    private sealed class StageWorld
    {
        public StageWorld(AIScaleTarget target, int historyBlocks = 12, IReadOnlyList<HorizontalAutoscaler>? autoscalers = null)
        {
            Cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(new TargetListing([target], []));
            var container = new ContainerResources("app", new ResourceAmounts { Cpu = Quantity.Parse("250m"), Memory = Quantity.Parse("256Mi") }, new ResourceAmounts());
            var workload = new Workload("Deployment", "web", "w1", 2, new Dictionary<string, string>(), new Dictionary<string, string>(), [container]);
            Cluster.Setup(c => c.ResolveAsync(target, It.IsAny<CancellationToken>()))
                .ReturnsAsync(new ResolvedTarget(target, workload, new LabelSelector(), [], autoscalers ?? [], []));
            Cluster.Setup(c => c.UpdateStatusAsync(target.Key, target.Metadata.Uid, It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync((TargetKey _, string _, Func<TargetStatus, TargetStatus> change, CancellationToken _) => change(target.Status));
            var hour = Enumerable.Range(0, historyBlocks)
                .Select(i => new UsageBlock(Now.AddMinutes(-5 * (historyBlocks - i)), 0.8 + (0.2 * Math.Sin(i / 12.0)), 0.6, 5)).ToList();
            Usage.Setup(u => u.ListAsync(target.Metadata.Uid, It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(hour);
            var time = new Mock<TimeProvider>();
            time.Setup(t => t.GetUtcNow()).Returns(Now);
            var gate = new SuggestionGate(Mock.Of<IPauseStore>(s => s.ReadAsync(It.IsAny<CancellationToken>()) == Task.FromResult(PauseState.Running)), Mock.Of<IPauseMirror>(), new PauseOptions());
            Stage = new ForecastStage(Cluster.Object, Usage.Object, Models.Object, History.Object, gate, new ForecastOptions(), time.Object);
        }

        public Mock<ITargetCluster> Cluster { get; } = new();

        public Mock<IUsageStore> Usage { get; } = new();

        public Mock<IModelStore> Models { get; } = new();

        public Mock<ISuggestionHistory> History { get; } = new();

        public ForecastStage Stage { get; }
    }

    private static class ATarget
    {
        public static AIScaleTarget Vertical(TargetMode mode) => new(
            new TargetMetadata { Namespace = "shop", Name = "web", Uid = "uid-1" },
            new TargetSpec { ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = "web" }, Vertical = new VerticalSpec { Mode = mode } },
            new TargetStatus());

        public static AIScaleTarget Horizontal(TargetMode mode) => new(
            new TargetMetadata { Namespace = "shop", Name = "web", Uid = "uid-1" },
            new TargetSpec
            {
                ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = "web" },
                Model = new ModelSpec { MinLookbackToScale = TimeSpan.FromHours(2) },
                Horizontal = new HorizontalSpec { Mode = mode, MinReplicas = 1, MaxReplicas = 20 },
            },
            new TargetStatus());
    }
}
