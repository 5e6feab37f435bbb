using Moq;
using Thoras.Domain.Apply;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Apply;

/// <summary>What the admission webhook gives a new pod, over mocked ports.</summary>
public sealed class PodAdmissionPolicyTests
{
    private static readonly IReadOnlyDictionary<string, string> WebLabels = new Dictionary<string, string> { ["app"] = "web", ["pod-template-hash"] = "abc" };

    private readonly Mock<ITargetCluster> cluster = new();
    private readonly Mock<IOomKillLedger> oomKills = new();
    private readonly Mock<IPauseStore> pause = new();
    private readonly Mock<IPauseMirror> mirror = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider time = new(TargetBuilder.Now);

    public PodAdmissionPolicyTests()
    {
        pause.Setup(p => p.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PauseState.Running);
        mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(MirrorObservation.Missing);
        oomKills.Setup(o => o.ListAsync(It.IsAny<string>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
        cluster.Setup(c => c.ListWorkloadsAsync("shop", ScaleTargetRef.Deployment, It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new Workload(ScaleTargetRef.Deployment, "web", "w-web", 2, new Dictionary<string, string> { ["app"] = "web" }, new Dictionary<string, string>(), [ResolvedBuilder.App()])
            {
                Selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            },
        ]);
    }

    private PodAdmissionPolicy Policy(params AIScaleTarget[] targets)
    {
        cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync(new TargetListing(targets, []));
        return new PodAdmissionPolicy(cluster.Object, oomKills.Object, new SuggestionGate(pause.Object, mirror.Object, new PauseOptions()), time);
    }

    private static Task<AdmissionDecision> DecideAsync(PodAdmissionPolicy policy, IReadOnlyDictionary<string, string>? labels = null) =>
        policy.DecideAsync("shop", labels ?? WebLabels, [ResolvedBuilder.App()], CancellationToken.None);

    [Fact]
    public async Task DecideAsync_PodOfAnAutonomousTarget_GetsTheSuggestion()
    {
        var policy = Policy(TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m", memory: "384Mi").Build());

        var decision = await DecideAsync(policy);

        var app = Assert.Single(decision.Containers!);
        Assert.Equal(("400m", "384Mi", "1"), (app.Requests.Cpu.ToString(), app.Requests.Memory.ToString(), app.Limits.Cpu.ToString()));
    }

    [Fact]
    public async Task DecideAsync_PodSelectedByASelectorTarget_GetsItsSuggestionWithoutAWorkloadRead()
    {
        var policy = Policy(TargetBuilder.Target("batch").WithSelector("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m").Build());

        var decision = await DecideAsync(policy);

        Assert.NotNull(decision.Containers);
        cluster.Verify(c => c.ListWorkloadsAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    /// <summary>Pods left as they are, and what the reason says.</summary>
    public sealed record UnchangedCase(string Name, AIScaleTarget Target, string ReasonContains)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<UnchangedCase> Unchanged => new()
    {
        new("recommendation mode", TargetBuilder.Target("web").Vertical(TargetMode.Recommendation).WithSuggestion("s1", cpu: "400m").Build(), "no autonomous vertical target"),
        new("horizontal autonomy", TargetBuilder.Target("web").Horizontal(TargetMode.Autonomous).WithSuggestion("s1", replicas: 3).Build(), "no autonomous vertical target"),
        new("no suggestion yet", TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).Build(), "no suggestion has been published"),
        new("not enough data", TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m", enoughData: false).Build(), "not enough data"),
        new("already has it", TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "250m", memory: "256Mi").Build(), "already has suggestion s1"),
        new("another workload's target", TargetBuilder.Target("api").Vertical(TargetMode.Autonomous).WithSpec(s => s with { ScaleTargetRef = TargetBuilder.Deployment("api") }).WithSuggestion("s1", cpu: "400m").Build(), "no autonomous vertical target"),
    };

    [Theory]
    [MemberData(nameof(Unchanged))]
    public async Task DecideAsync_NothingToApply_PodUnchangedAndSaysWhy(UnchangedCase c)
    {
        var decision = await DecideAsync(Policy(c.Target));

        Assert.Null(decision.Containers);
        Assert.Contains(c.ReasonContains, decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_Paused_PodUnchangedWithTheGatesReason()
    {
        pause.Setup(p => p.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(PauseState.Running.Pause("alice", "freeze", TargetBuilder.Now).After);

        var decision = await DecideAsync(Policy(TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m").Build()));

        Assert.Null(decision.Containers);
        Assert.Contains("paused by manual (alice: freeze)", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DecideAsync_OomFloorHolds_MemoryRaisedAsTheApplyStageWould()
    {
        oomKills.Setup(o => o.ListAsync("uid-web", It.IsAny<CancellationToken>())).ReturnsAsync(
        [
            new OomKill("pod-0", 1, new OomFloor("app", Quantity.Parse("308Mi"), TargetBuilder.Now.AddMinutes(30))),
            new OomKill("pod-1", 1, new OomFloor("app", Quantity.Parse("900Mi"), TargetBuilder.Now.AddMinutes(-1))),
        ]);

        var decision = await DecideAsync(Policy(TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "250m", memory: "200Mi").Build()));

        Assert.Equal("308Mi", decision.Containers!.Single().Requests.Memory.ToString());
    }

    /// <summary>A pod both the webhook and the apply planner decide for.</summary>
    public sealed record SameAnswerCase(string Name, AIScaleTarget Target, bool OomFloor)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<SameAnswerCase> SameAnswers => new()
    {
        new("suggestion only", TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m", memory: "384Mi").Build(), false),
        new("limit ratio", TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "400m", memory: "384Mi")
            .WithSpec(s => s with { Vertical = s.Vertical! with { Containers = [new ContainerPolicy { Name = "*", Cpu = new ResourcePolicy { Limit = new LimitPolicy { Ratio = 2 } } }] } }).Build(), false),
        new("OOM floor holding", TargetBuilder.Target("web").Vertical(TargetMode.Autonomous).WithSuggestion("s1", cpu: "300m", memory: "200Mi").Build(), true),
    };

    [Theory]
    [MemberData(nameof(SameAnswers))]
    public async Task DecideAsync_PodTheApplyPlannerWouldResize_SameResourcesAsThePlanner(SameAnswerCase c)
    {
        var floor = new OomFloor("app", Quantity.Parse("308Mi"), TargetBuilder.Now.AddMinutes(30));
        IReadOnlyList<OomKill> kills = c.OomFloor ? [new OomKill("pod-9", 1, floor)] : [];
        oomKills.Setup(o => o.ListAsync("uid-web", It.IsAny<CancellationToken>())).ReturnsAsync(kills);
        var pod = ResolvedBuilder.Pod("web", 0);
        var snapshot = new ApplySnapshot([c.Target], new Dictionary<string, ResolvedTarget?> { ["uid-web"] = ResolvedBuilder.For(c.Target).WithPods(pod).Build() }, new Dictionary<string, string>());
        var ledgers = new ApplyLedgers(new Dictionary<string, IReadOnlyList<OomKill>> { ["uid-web"] = kills }, new Dictionary<string, IReadOnlyList<DateTimeOffset>>());
        var planned = ApplyPlanner.PlanTarget(c.Target, snapshot, GateDecision.Apply, null, ledgers, TargetBuilder.Now).Items.OfType<ResizePod>().Single().Desired;

        var admitted = (await DecideAsync(Policy(c.Target), pod.Labels)).Containers!;

        static string Text(IEnumerable<ContainerResources> containers) =>
            string.Join("; ", containers.Select(r => $"{r.Name} {r.Requests.Cpu}/{r.Requests.Memory} {r.Limits.Cpu}/{r.Limits.Memory}"));
        Assert.Equal(Text(planned), Text(admitted));
    }
}
