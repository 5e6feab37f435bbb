using System.Collections.Concurrent;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Pause;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class ForecastStageTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly string[] AppSeries = ["container:app:cpu", "container:app:memory"];

    [Fact]
    public async Task RunOnce_ObservationMode_PublishesNoSuggestion()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Observation));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.Observed, pass.Targets.Single().Outcome);
        Assert.Null(world.Status("web").LatestSuggestion);
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
    public async Task RunOnce_TargetWithTwoSeries_ReadsAndSavesTheirStatesInOneCallEach()
    {
        // Two days of 5-minute blocks: enough to train, so both series have a state to save.
        var world = new StageWorld(ATarget.Vertical(TargetMode.Observation), historyBlocks: 2 * 288);

        await world.Stage.RunOnceAsync(CancellationToken.None);

        world.Models.Verify(
            m => m.LoadAllAsync("uid-web", It.Is<IReadOnlyCollection<string>>(r => r.Order(StringComparer.Ordinal).SequenceEqual(AppSeries)), It.IsAny<CancellationToken>()),
            Times.Once);
        world.Models.Verify(
            m => m.SaveAllAsync("uid-web", It.Is<IReadOnlyList<SeriesState>>(s => s.Select(x => x.Resource).SequenceEqual(AppSeries) && s.All(x => x.State.Length > 0)), It.IsAny<CancellationToken>()),
            Times.Once);
        world.Models.Verify(m => m.SaveAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<Stream>(), It.IsAny<CancellationToken>()), Times.Never);
        world.Models.Verify(m => m.LoadAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
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

        var settings = new TargetRecommender(new ForecastOptions()).SettingsFor(spec, ScalingDirection.Vertical);

        Assert.Equal((0.01, TimeSpan.FromMinutes(30), 10.0, TimeSpan.FromHours(2)), (Math.Round(settings.RiskTarget, 6), settings.ForecastHorizon, settings.BufferPercentage, settings.MinLookback));
    }

    [Fact]
    public async Task RunOnce_HorizontalWithHpa_ReplicasFromForecastRequestAndHpaTarget()
    {
        var target = ATarget.Horizontal(TargetMode.Recommendation);
        var hpa = new HorizontalAutoscaler("web", 1, 20, new Dictionary<string, string>(), "1", TargetCpuUtilization: 50);
        var world = new StageWorld(target, historyBlocks: 288, autoscalers: [hpa]);

        var result = (await world.Stage.RunOnceAsync(CancellationToken.None)).Targets.Single();

        // The forecast total over what one pod may use at the HPA's target (250m × 50 %), within 1..20.
        var total = result.Series.Single(s => s.Series == "total:cpu").Forecast.Suggestion!.Value;
        Assert.Equal(Math.Clamp((int)Math.Ceiling(Math.Round(total / 0.125, 9)), 1, 20), result.Published!.Suggestion.SuggestedReplicas);
    }

    [Fact]
    public async Task RunOnce_AutonomousHorizontalWithoutHpa_RecordsNoSingleHpa()
    {
        var world = new StageWorld(ATarget.Horizontal(TargetMode.Autonomous), historyBlocks: 288);

        var result = (await world.Stage.RunOnceAsync(CancellationToken.None)).Targets.Single();

        Assert.Equal((true, false), (result.Published!.Suggestion.HasEnoughDataToScale, result.Published.ExpectedToApply));
        Assert.StartsWith("no single HPA", result.Published.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(TargetMode.Observation)]
    [InlineData(TargetMode.Recommendation)]
    public async Task RunOnce_Forecast_SetsReadyResolved(TargetMode mode)
    {
        var world = new StageWorld(ATarget.Vertical(mode));

        await world.Stage.RunOnceAsync(CancellationToken.None);

        var ready = world.Status("web").Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.True, TargetConditionReasons.Resolved), (ready.Status, ready.Reason));
        Assert.Contains("Deployment/web", ready.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_ObservationTargetWithinItsInterval_NotForecastAgain()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Observation));
        await world.Stage.RunOnceAsync(CancellationToken.None);
        world.Time.Advance(TargetDefaults.ForecastInterval - TimeSpan.FromMinutes(1));

        var second = await world.Stage.RunOnceAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromMinutes(1));
        var third = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal((ForecastOutcome.NotDue, ForecastOutcome.Observed), (second.Targets.Single().Outcome, third.Targets.Single().Outcome));
        world.Usage.Verify(u => u.ListAsync("uid-web", It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    [Fact]
    public async Task RunOnce_ObservationTargetFailed_ForecastAgainAtTheNextTick()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Observation));
        world.LoadWith("web", _ => Task.FromException(new InvalidOperationException("the API server answered 500")));
        await world.Stage.RunOnceAsync(CancellationToken.None);
        world.LoadNormally("web");
        world.Time.Advance(TimeSpan.FromMinutes(1));

        var second = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.Observed, second.Targets.Single().Outcome);
    }

    [Fact]
    public async Task RunOnce_OneTargetHangs_OthersPublishAndItFailsWhenItsBudgetRunsOut()
    {
        var world = new StageWorld([ATarget.Vertical(TargetMode.Recommendation, "slow"), ATarget.Vertical(TargetMode.Recommendation, "web")]);
        var hanging = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        world.LoadWith("slow", async cancellationToken =>
        {
            hanging.TrySetResult();
            await Task.Delay(Timeout.Infinite, cancellationToken);
        });
        var published = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        world.History.Setup(h => h.AppendAsync("uid-web", It.IsAny<SuggestionRecord>(), It.IsAny<CancellationToken>()))
            .Callback(() => published.TrySetResult()).Returns(Task.CompletedTask);

        var running = world.Stage.RunOnceAsync(CancellationToken.None);
        await Task.WhenAll(hanging.Task, published.Task).WaitAsync(TimeSpan.FromSeconds(30));
        world.Time.Advance(new ForecastOptions().TargetTimeBudget);
        var pass = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal([ForecastOutcome.Failed, ForecastOutcome.Published], pass.Targets.Select(t => t.Outcome));
        Assert.Equal("it took longer than its time budget of 20 s", pass.Targets[0].Detail);
        var ready = world.Status("slow").Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.False, TargetConditionReasons.ForecastFailed), (ready.Status, ready.Reason));
        Assert.EndsWith("it took longer than its time budget of 20 s", ready.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunOnce_OneTargetThrows_ItIsReadyFalseForecastFailedWhileOthersPublish()
    {
        var world = new StageWorld([ATarget.Vertical(TargetMode.Recommendation, "bad"), ATarget.Vertical(TargetMode.Recommendation, "web")]);
        world.LoadWith("bad", _ => Task.FromException(new InvalidOperationException("the API server answered 500")));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal([ForecastOutcome.Failed, ForecastOutcome.Published], pass.Targets.Select(t => t.Outcome));
        var ready = world.Status("bad").Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.False, TargetConditionReasons.ForecastFailed), (ready.Status, ready.Reason));
        Assert.Equal("Forecasting failed and is retried on the next tick: the API server answered 500", ready.Message);
        Assert.NotNull(world.Status("web").LatestSuggestion);
    }

    [Fact]
    public async Task RunOnce_SucceedsAfterAFailure_ReadyBackToResolved()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Recommendation));
        world.LoadWith("web", _ => Task.FromException(new InvalidOperationException("the API server answered 500")));
        await world.Stage.RunOnceAsync(CancellationToken.None);
        world.LoadNormally("web");
        world.Time.Advance(TimeSpan.FromMinutes(1));

        var second = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.Published, second.Targets.Single().Outcome);
        var ready = world.Status("web").Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.True, TargetConditionReasons.Resolved, world.Time.GetUtcNow()), (ready.Status, ready.Reason, ready.LastTransitionTime));
    }

    [Fact]
    public async Task RunOnce_WorkloadMissing_FailsAndIsReadyFalseWorkloadNotFound()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Recommendation));
        world.RemoveWorkload("web");

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.Failed, pass.Targets.Single().Outcome);
        var ready = world.Status("web").Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.False, TargetConditionReasons.WorkloadNotFound), (ready.Status, ready.Reason));
    }

    [Fact]
    public async Task RunOnce_FailureConditionCannotBeWritten_PassStillCompletes()
    {
        var world = new StageWorld([ATarget.Vertical(TargetMode.Recommendation, "bad"), ATarget.Vertical(TargetMode.Recommendation, "web")]);
        world.LoadWith("bad", _ => Task.FromException(new InvalidOperationException("the API server answered 500")));
        world.FailStatusWrites("bad");

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal([ForecastOutcome.Failed, ForecastOutcome.Published], pass.Targets.Select(t => t.Outcome));
        Assert.Null(world.Status("bad").Conditions);
    }

    [Fact]
    public async Task RunOnce_ManyTargets_NoMoreThanMaxParallelTargetsAtOnce()
    {
        var targets = Enumerable.Range(0, 12).Select(i => ATarget.Vertical(TargetMode.Recommendation, $"t{i:00}")).ToList();
        var world = new StageWorld(targets, options: new ForecastOptions { MaxParallelTargets = 3 });
        var (current, most, gate) = (0, 0, new object());
        using var entered = new SemaphoreSlim(0);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        foreach (var target in targets)
        {
            world.LoadWith(target.Metadata.Name, async cancellationToken =>
            {
                lock (gate)
                    most = Math.Max(most, ++current);
                entered.Release();
                await release.Task.WaitAsync(cancellationToken);
                lock (gate)
                    current--;
            });
        }

        var running = world.Stage.RunOnceAsync(CancellationToken.None);
        for (var i = 0; i < 3; i++)
            Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(30)), $"only {i} target(s) started");
        var fourth = await entered.WaitAsync(TimeSpan.FromMilliseconds(300));
        release.SetResult();
        var pass = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.False(fourth, "a fourth target started while three were in progress");
        Assert.Equal((12, 3), (pass.Count(ForecastOutcome.Published), most));
    }

    [Fact]
    public async Task RunOnce_TargetsListedInAnyOrder_ResultsOrderedByKey()
    {
        var world = new StageWorld([ATarget.Vertical(TargetMode.Recommendation, "zeta"), ATarget.Vertical(TargetMode.Recommendation, "alpha"), ATarget.Vertical(TargetMode.Recommendation, "mid")]);

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["alpha", "mid", "zeta"], pass.Targets.Select(t => t.Key.Name));
    }

    [Fact]
    public async Task RunOnce_SeveralAutonomousTargets_ReadsThePauseStateOnce()
    {
        var targets = Enumerable.Range(0, 4).Select(i => ATarget.Vertical(TargetMode.Autonomous, $"t{i}", minLookback: TimeSpan.FromHours(2))).ToList();
        var world = new StageWorld(targets, historyBlocks: 288);

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.All(pass.Targets, t => Assert.Equal((true, "autonomous and not paused"), (t.Published!.ExpectedToApply, t.Published.Reason)));
        world.Pause.Verify(p => p.ReadAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunOnce_InvalidTarget_ReadyAndScalingFalseInvalidSpecOnce()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Autonomous));
        var problem = new SpecProblem("spec.vertical.lowerbound", "must not exceed upperbound");
        world.AddInvalid(new InvalidTarget(new TargetMetadata { Namespace = "shop", Name = "broken", Uid = "uid-broken", Generation = 3 }, [problem]));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);
        await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.Invalid, pass.Targets.Single(t => t.Key.Name == "broken").Outcome);
        var ready = world.Status("broken").Condition(TargetConditionTypes.Ready)!;
        var scaling = world.Status("broken").Condition(TargetConditionTypes.Scaling)!;
        Assert.Equal((ConditionStatus.False, "InvalidSpec", 3L), (ready.Status, ready.Reason, ready.ObservedGeneration));
        Assert.Contains("must not exceed upperbound", ready.Message, StringComparison.Ordinal);
        Assert.Equal((ConditionStatus.False, "InvalidSpec"), (scaling.Status, scaling.Reason));
        world.Cluster.Verify(c => c.UpdateStatusAsync(It.Is<TargetKey>(k => k.Name == "broken"), It.IsAny<string>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunOnce_InvalidTargetWriteFails_RetriedNextPass()
    {
        var world = new StageWorld(ATarget.Vertical(TargetMode.Autonomous));
        world.AddInvalid(new InvalidTarget(new TargetMetadata { Namespace = "shop", Name = "broken", Uid = "uid-broken" }, [new SpecProblem("spec", "bad")]));
        world.FailStatusWrites("broken");

        await world.Stage.RunOnceAsync(CancellationToken.None);
        world.Cluster.Verify(c => c.UpdateStatusAsync(It.Is<TargetKey>(k => k.Name == "broken"), It.IsAny<string>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()), Times.Once);
        await world.Stage.RunOnceAsync(CancellationToken.None);

        world.Cluster.Verify(c => c.UpdateStatusAsync(It.Is<TargetKey>(k => k.Name == "broken"), It.IsAny<string>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()), Times.Exactly(2));
    }

    /// <summary>
    /// A stage over mocked ports: targets whose workload has one container, an hour of usage history each, and a
    /// cluster that keeps each target's status, so conditions written in one pass are read by the next.
    /// </summary>
    private sealed class StageWorld
    {
        private readonly ConcurrentDictionary<string, TargetStatus> statuses = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, Func<CancellationToken, Task>> loaders = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> failingWrites = new(StringComparer.Ordinal);
        private readonly ConcurrentDictionary<string, bool> missing = new(StringComparer.Ordinal);

        public StageWorld(AIScaleTarget target, int historyBlocks = 12, IReadOnlyList<HorizontalAutoscaler>? autoscalers = null)
            : this([target], historyBlocks, autoscalers)
        {
        }

        public StageWorld(IReadOnlyList<AIScaleTarget> targets, int historyBlocks = 12, IReadOnlyList<HorizontalAutoscaler>? autoscalers = null, ForecastOptions? options = null)
        {
            foreach (var target in targets)
                statuses[target.Metadata.Name] = target.Status;
            Cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(() => new TargetListing([.. targets.Select(t => t with { Status = statuses[t.Metadata.Name] })], [.. Invalid]));
            Cluster.Setup(c => c.ListWorkloadsAsync("shop", ScaleTargetRef.Deployment, It.IsAny<CancellationToken>()))
                .ReturnsAsync(() => [.. targets.Where(t => !missing.ContainsKey(t.Metadata.Name)).Select(Workload)]);
            var scaling = (autoscalers ?? []).Select(a => a with { ScaleTarget = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = a.Name } }).ToList();
            Cluster.Setup(c => c.ListAutoscalersAsync("shop", It.IsAny<CancellationToken>())).ReturnsAsync(scaling);
            Cluster.Setup(c => c.UpdateStatusAsync(It.IsAny<TargetKey>(), It.IsAny<string>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()))
                .Returns((TargetKey key, string _, Func<TargetStatus, TargetStatus> change, CancellationToken cancellationToken) => Write(key, change, cancellationToken));
            Cluster.Setup(c => c.UpdateStatusAsync(It.IsAny<AIScaleTarget>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()))
                .Returns((AIScaleTarget seen, Func<TargetStatus, TargetStatus> change, CancellationToken cancellationToken) => Write(seen.Key, change, cancellationToken));
            var hour = Enumerable.Range(0, historyBlocks)
                .Select(i => new UsageBlock(Now.AddMinutes(-5 * (historyBlocks - i)), 0.8 + (0.2 * Math.Sin(i / 12.0)), 0.6, 5)).ToList();
            Usage.Setup(u => u.ListAsync(It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
                .Returns(async (string uid, IReadOnlyCollection<string> series, DateTimeOffset _, CancellationToken cancellationToken) =>
                {
                    if (loaders.TryGetValue(uid["uid-".Length..], out var load))
                        await load(cancellationToken);
                    return (IReadOnlyDictionary<string, IReadOnlyList<UsageBlock>>)series.ToDictionary(s => s, _ => (IReadOnlyList<UsageBlock>)hour);
                });
            Pause.Setup(s => s.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PauseState.Running);
            Models.Setup(m => m.LoadAllAsync(It.IsAny<string>(), It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>()))
                .ReturnsAsync(new Dictionary<string, byte[]>());
            var mirror = Mock.Of<IPauseMirror>(m => m.ReadAsync(It.IsAny<CancellationToken>()) == Task.FromResult(MirrorObservation.Missing));
            var gate = new SuggestionGate(Pause.Object, mirror, new PauseOptions());
            options ??= new ForecastOptions();
            Stage = new ForecastStage(Cluster.Object, Usage.Object, Models.Object, History.Object, gate, new TargetRecommender(options), options, Time);
        }

        public Mock<ITargetCluster> Cluster { get; } = new();

        /// <summary>Invalid targets the cluster lists (their statuses start empty).</summary>
        public List<InvalidTarget> Invalid { get; } = [];

        /// <summary>Lists <paramref name="invalid"/> as an invalid target from now on.</summary>
        public void AddInvalid(InvalidTarget invalid)
        {
            statuses[invalid.Metadata.Name] = new TargetStatus();
            Invalid.Add(invalid);
        }

        public Mock<IUsageStore> Usage { get; } = new();

        public Mock<IModelStore> Models { get; } = new();

        public Mock<ISuggestionHistory> History { get; } = new();

        public Mock<IPauseStore> Pause { get; } = new();

        public FakeTimeProvider Time { get; } = new(Now);

        public ForecastStage Stage { get; }

        /// <summary>The target's status as the cluster holds it now.</summary>
        public TargetStatus Status(string name) => statuses[name];

        /// <summary>Reading what the target named <paramref name="name"/> needs (its usage) runs <paramref name="load"/> first.</summary>
        public void LoadWith(string name, Func<CancellationToken, Task> load) => loaders[name] = load;

        /// <summary>The target named <paramref name="name"/> loads normally again.</summary>
        public void LoadNormally(string name) => loaders.TryRemove(name, out _);

        /// <summary>The Deployment of the target named <paramref name="name"/> is not in its namespace.</summary>
        public void RemoveWorkload(string name) => missing[name] = true;

        /// <summary>Every status write of the target named <paramref name="name"/> fails.</summary>
        public void FailStatusWrites(string name) => failingWrites[name] = true;

        /// <summary>The target's Deployment with one container (250m, 256Mi) and no pods.</summary>
        private static Workload Workload(AIScaleTarget target)
        {
            var container = new ContainerResources("app", new ResourceAmounts { Cpu = Quantity.Parse("250m"), Memory = Quantity.Parse("256Mi") }, new ResourceAmounts());
            return new Workload("Deployment", target.Metadata.Name, "w-" + target.Metadata.Name, 2, new Dictionary<string, string>(), new Dictionary<string, string>(), [container]);
        }

        private Task<TargetStatus> Write(TargetKey key, Func<TargetStatus, TargetStatus> change, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (failingWrites.ContainsKey(key.Name))
                return Task.FromException<TargetStatus>(new InvalidOperationException("the API server answered 503"));
            return Task.FromResult(statuses[key.Name] = change(statuses[key.Name]));
        }
    }

    private static class ATarget
    {
        public static AIScaleTarget Vertical(TargetMode mode, string name = "web", TimeSpan? minLookback = null) => new(
            new TargetMetadata { Namespace = "shop", Name = name, Uid = "uid-" + name },
            new TargetSpec
            {
                ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = name },
                Model = minLookback is { } lookback ? new ModelSpec { MinLookbackToScale = lookback } : null,
                Vertical = new VerticalSpec { Mode = mode },
            },
            new TargetStatus());

        public static AIScaleTarget Horizontal(TargetMode mode) => new(
            new TargetMetadata { Namespace = "shop", Name = "web", Uid = "uid-web" },
            new TargetSpec
            {
                ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = "web" },
                Model = new ModelSpec { MinLookbackToScale = TimeSpan.FromHours(2) },
                Horizontal = new HorizontalSpec { Mode = mode, MinReplicas = 1, MaxReplicas = 20 },
            },
            new TargetStatus());
    }
}
