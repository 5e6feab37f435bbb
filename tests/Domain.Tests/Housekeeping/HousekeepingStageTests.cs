using Moq;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Housekeeping;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Housekeeping;

public sealed class HousekeepingStageTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(14, 14, 14)]
    [InlineData(3, 14, 14)]
    [InlineData(20, 14, 20)]
    [InlineData(1, 2, 2)]
    public async Task RunOnce_UsageRetentionAndTrainingWindow_PrunesUsageBeforeTheLonger(int retentionDays, int trainingDays, int keptDays)
    {
        var world = new StageWorld([ATarget.Valid("web", "uid-1")], usageRetention: TimeSpan.FromDays(retentionDays), trainingWindow: TimeSpan.FromDays(trainingDays));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(Now.AddDays(-keptDays), pass.UsageBefore);
        world.Usage.Verify(u => u.PruneAsync("uid-1", Now.AddDays(-keptDays), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunOnce_SuggestionRetention_PrunesHistoryBeforeIt()
    {
        var world = new StageWorld([ATarget.Valid("web", "uid-1")], suggestionRetention: TimeSpan.FromDays(30));

        await world.Stage.RunOnceAsync(CancellationToken.None);

        world.History.Verify(h => h.PruneAsync("uid-1", Now.AddDays(-30), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunOnce_RowsDeleted_ReportedPerTarget()
    {
        var world = new StageWorld([ATarget.Valid("web", "uid-1"), ATarget.Valid("api", "uid-2")]);
        world.Deletes("uid-1", usage: 250, suggestions: 3);
        world.Deletes("uid-2", usage: 0, suggestions: 0);

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal([("uid-1", 250, 3, false), ("uid-2", 0, 0, false)], pass.Targets.Select(t => (t.Uid, t.UsageRowsDeleted, t.SuggestionsDeleted, t.Failed)));
    }

    [Fact]
    public async Task RunOnce_OneTargetFails_TheOthersArePruned()
    {
        var world = new StageWorld([ATarget.Valid("a", "uid-1"), ATarget.Valid("b", "uid-2"), ATarget.Valid("c", "uid-3")]);
        world.Deletes("uid-1", usage: 5, suggestions: 1);
        world.Usage.Setup(u => u.PruneAsync("uid-2", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("table unreachable"));
        world.Deletes("uid-3", usage: 7, suggestions: 2);

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal([("uid-1", 5, null), ("uid-2", 0, "table unreachable"), ("uid-3", 7, null)], pass.Targets.Select(t => (t.Uid, t.UsageRowsDeleted, t.Error)));
        world.History.Verify(h => h.PruneAsync("uid-3", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunOnce_HistoryPruneFails_UsageRowsAlreadyDeletedAreCounted()
    {
        var world = new StageWorld([ATarget.Valid("web", "uid-1")]);
        world.Usage.Setup(u => u.PruneAsync("uid-1", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(40);
        world.History.Setup(h => h.PruneAsync("uid-1", It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ThrowsAsync(new InvalidOperationException("throttled"));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal((40, 0, true), (pass.Targets.Single().UsageRowsDeleted, pass.Targets.Single().SuggestionsDeleted, pass.Targets.Single().Failed));
    }

    [Fact]
    public async Task RunOnce_InvalidAndDeletingTargets_ArePrunedToo()
    {
        var deleting = ATarget.Valid("old", "uid-2") with { Metadata = ATarget.Metadata("old", "uid-2") with { DeletionTimestamp = Now } };
        var world = new StageWorld([ATarget.Valid("web", "uid-1"), deleting], [new InvalidTarget(ATarget.Metadata("broken", "uid-3"), [])]);

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["uid-1", "uid-2", "uid-3"], pass.Targets.Select(t => t.Uid));
    }

    [Fact]
    public async Task RunOnce_ListingFails_Throws()
    {
        var world = new StageWorld([]);
        world.Cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("API server down"));

        await Assert.ThrowsAsync<HttpRequestException>(() => world.Stage.RunOnceAsync(CancellationToken.None));
        world.Usage.VerifyNoOtherCalls();
    }

    /// <summary>A stage over mocked ports listing <c>targets</c>; every prune deletes nothing unless set up otherwise.</summary>
    private sealed class StageWorld
    {
        public StageWorld(
            IReadOnlyList<AIScaleTarget> targets,
            IReadOnlyList<InvalidTarget>? invalid = null,
            TimeSpan? usageRetention = null,
            TimeSpan? suggestionRetention = null,
            TimeSpan? trainingWindow = null)
        {
            Cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(new TargetListing(targets, invalid ?? []));
            Usage.Setup(u => u.PruneAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(0);
            History.Setup(h => h.PruneAsync(It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(0);
            var options = new HousekeepingOptions();
            options.UsageRetention = usageRetention ?? options.UsageRetention;
            options.SuggestionRetention = suggestionRetention ?? options.SuggestionRetention;
            var forecast = new ForecastOptions();
            forecast.TrainingWindow = trainingWindow ?? forecast.TrainingWindow;
            var time = new Mock<TimeProvider>();
            time.Setup(t => t.GetUtcNow()).Returns(Now);
            Stage = new HousekeepingStage(Cluster.Object, Usage.Object, History.Object, options, forecast, time.Object);
        }

        public Mock<ITargetCluster> Cluster { get; } = new();

        public Mock<IUsageStore> Usage { get; } = new();

        public Mock<ISuggestionHistory> History { get; } = new();

        public HousekeepingStage Stage { get; }

        public void Deletes(string uid, int usage, int suggestions)
        {
            Usage.Setup(u => u.PruneAsync(uid, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(usage);
            History.Setup(h => h.PruneAsync(uid, It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync(suggestions);
        }
    }

    private static class ATarget
    {
        public static TargetMetadata Metadata(string name, string uid) => new() { Namespace = "shop", Name = name, Uid = uid };

        public static AIScaleTarget Valid(string name, string uid) => new(
            Metadata(name, uid),
            new TargetSpec { ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = name }, Vertical = new VerticalSpec { Mode = TargetMode.Recommendation } },
            new TargetStatus());
    }
}
