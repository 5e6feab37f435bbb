using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Fanout;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Fanout;

public sealed class FanoutCoordinatorTests
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 10, 5, 30, TimeSpan.Zero);
    private readonly Mock<ITargetCluster> cluster = new();
    private readonly List<TargetBatch> enqueued = [];
    private readonly Mock<IWorkQueues> queues = new();

    public FanoutCoordinatorTests()
    {
        queues.Setup(q => q.EnqueueAsync(It.IsAny<IReadOnlyList<TargetBatch>>(), It.IsAny<CancellationToken>()))
            .Callback((IReadOnlyList<TargetBatch> b, CancellationToken _) => enqueued.AddRange(b))
            .Returns(Task.CompletedTask);
    }

    [Fact]
    public async Task Enqueue_Apply_CarriesEachTargetsLatestSuggestionAndLeavesOutDeletedOnes()
    {
        List(targets: [Target("a", "u-1", "s-1"), Target("a", "u-2", null, deleting: true)]);

        var tick = await Coordinator().EnqueueAsync(BatchStage.Apply, [], CancellationToken.None);

        var target = Assert.Single(Assert.Single(enqueued).Targets);
        Assert.Equal(("u-1", "s-1"), (target.Uid, target.SuggestionUid));
        Assert.Equal((BatchStage.Apply, Now, 1, 1), (tick.Stage, tick.Tick, tick.Targets, tick.Batches));
    }

    [Fact]
    public async Task Enqueue_Forecast_IncludesInvalidTargetsSoTheirConditionIsReported()
    {
        List(targets: [Target("a", "u-1", null)], invalid: [new InvalidTarget(new TargetMetadata { Namespace = "a", Name = "bad", Uid = "u-bad" }, [])]);

        await Coordinator().EnqueueAsync(BatchStage.Forecast, [], CancellationToken.None);

        Assert.Equal(["u-1", "u-bad"], Assert.Single(enqueued).Targets.Select(t => t.Uid).Order());
    }

    [Fact]
    public async Task Enqueue_MoreTargetsThanTheBatchSize_SplitsThemOverMessages()
    {
        List(targets: [.. Enumerable.Range(0, 5).Select(i => Target("a", $"u-{i}", null))]);

        var tick = await Coordinator(batchSize: 2).EnqueueAsync(BatchStage.Collect, [], CancellationToken.None);

        Assert.Equal(3, tick.Batches);
        Assert.Equal([2, 2, 1], enqueued.Select(b => b.Targets.Count));
    }

    [Fact]
    public void ScopeOf_Batch_CoversItsUidsInItsNamespaces()
    {
        var batch = new TargetBatch { Stage = BatchStage.Apply, Tick = Now, Targets = [new BatchTarget("a", "w1", "u-1"), new BatchTarget("b", "w2", "u-2")] };

        var scope = FanoutCoordinator.ScopeOf(batch);

        Assert.Equal(["a", "b"], scope.Namespaces.Order());
        Assert.True(scope.Includes(new TargetMetadata { Namespace = "b", Name = "w2", Uid = "u-2" }));
        Assert.False(scope.Includes(new TargetMetadata { Namespace = "b", Name = "w2", Uid = "u-other" }));
    }

    private FanoutCoordinator Coordinator(int batchSize = 100) =>
        new(cluster.Object, queues.Object, new FanoutOptions { BatchSize = batchSize }, new FakeTimeProvider(Now));

    private void List(IReadOnlyList<AIScaleTarget> targets, IReadOnlyList<InvalidTarget>? invalid = null) =>
        cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync(new TargetListing(targets, invalid ?? []));

    private static AIScaleTarget Target(string ns, string uid, string? suggestion, bool deleting = false)
    {
        var builder = TargetBuilder.Target("w-" + uid, ns).WithUid(uid);
        builder = suggestion is null ? builder : builder.WithSuggestion(suggestion);
        return (deleting ? builder.Deleting() : builder).Build();
    }
}
