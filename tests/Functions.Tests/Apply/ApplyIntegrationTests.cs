using k8s;
using System.Text.Json.Nodes;
using Thoras.Domain.Apply;
using Thoras.Domain.Events;
using Thoras.Domain.Targets;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Functions.Tests.Apply;

/// <summary>The apply stage and the admission webhook against the sandbox (real HTTP) and Azurite.</summary>
public sealed class ApplyIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static JsonObject VerticalSpec(string mode = "autonomous", string updateMode = "in_place", int? maxDisrupted = null, string? interval = null, string workload = "web")
    {
        var vertical = new JsonObject
        {
            ["mode"] = mode,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }),
            ["update_policy"] = new JsonObject { ["update_mode"] = updateMode },
        };
        if (maxDisrupted is not null)
            vertical["disruption"] = new JsonObject { ["max_disrupted"] = maxDisrupted, ["interval"] = interval ?? "1h" };
        return new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = workload },
            ["vertical"] = vertical,
        };
    }

    private static JsonObject HorizontalSpec() => new()
    {
        ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web" },
        ["horizontal"] = new JsonObject { ["mode"] = "autonomous" },
    };

    /// <summary>The events of <paramref name="reason"/> in the namespace, as <c>Type Kind/name xCount</c>, in order.</summary>
    private static async Task<List<string>> EventsAsync(ApplyWorld world, string reason) =>
        [.. (await world.Client.EventsV1.ListNamespacedEventAsync(ApplyWorld.Namespace)).Items
            .Where(e => e.Reason == reason)
            .Select(e => $"{e.Type} {e.Regarding.Kind}/{e.Regarding.Name} x{e.Series?.Count ?? 1}")
            .Order(StringComparer.Ordinal)];

    [Fact]
    public async Task RunOnce_AutonomousVerticalTarget_ResizesRunningPodsInPlace()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        var before = (await world.PodsAsync()).Select(p => p.Metadata.Name).ToList();
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        var uid = await world.PublishAsync(target, cpu: "400m", memory: "384Mi");

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ApplyOutcome.Applied, Assert.Single(pass.Targets).Outcome);
        var after = await world.PodsAsync();
        Assert.Equal(before, after.Select(p => p.Metadata.Name).ToList());
        Assert.All(after, p => Assert.Equal(("400m", "384Mi"), (ApplyWorld.Cpu(p), ApplyWorld.Memory(p))));
        Assert.Equal(uid, (await world.StatusAsync("web")).LastProcessedSuggestionUID);
        var record = await world.Enrollments.GetAsync(target.Key, CancellationToken.None);
        Assert.Equal(uid, record!.Vertical!.SuggestionUid);
        Assert.Equal(after.Select(p => p.Metadata.Uid).Order(), record.Vertical.DonePods.Order());
    }

    [Fact]
    public async Task RunOnce_PodsResizedInPlace_RecordsOneResizedInPlaceOnTheTargetAndOneOnTheDeployment()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        var uid = await world.PublishAsync(target, cpu: "400m", memory: "384Mi");

        await world.Stage.RunOnceAsync(CancellationToken.None);

        var events = (await world.Client.EventsV1.ListNamespacedEventAsync(ApplyWorld.Namespace)).Items.Where(e => e.Reason == "ResizedInPlace").ToList();
        Assert.Equal(["AIScaleTarget/web", "Deployment/web"], events.Select(e => $"{e.Regarding.Kind}/{e.Regarding.Name}").Order());
        Assert.All(events, e => Assert.StartsWith($"Resized 2 pod(s) in place to suggestion {uid}: ", e.Note, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Admission_PodCreatedAfterSuggestion_GetsSuggestionFromWebhook()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");
        var existing = (await world.PodsAsync()).Single().Metadata.Name;

        await world.ScaleAsync(2);

        var created = (await world.PodsAsync()).Single(p => p.Metadata.Name != existing);
        Assert.Equal(("400m", "384Mi"), (ApplyWorld.Cpu(created), ApplyWorld.Memory(created)));
    }

    [Fact]
    public async Task Admission_WrongPathSecret_Returns401()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        using var http = new HttpClient();
        var wrong = new Uri(world.WebhookUrl.ToString().Replace(ApplyWorld.PathSecret, "guess", StringComparison.Ordinal));

        using var response = await http.PostAsync(wrong, new StringContent("{}"));

        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Pause_ThenResume_NothingResizedWhilePausedAndRunningPodsResizedAtOnceOnResume()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");
        await world.Pause.PauseAsync("manual", "freeze", CancellationToken.None);

        var paused = await world.Stage.RunOnceAsync(CancellationToken.None);
        await world.ScaleAsync(2);
        var whilePaused = await world.PodsAsync();

        Assert.Equal(ApplyOutcome.NotApplied, Assert.Single(paused.Targets).Outcome);
        Assert.All(whilePaused, p => Assert.Equal(("250m", "256Mi"), (ApplyWorld.Cpu(p), ApplyWorld.Memory(p))));
        Assert.Equal(TargetConditionReasons.Paused, (await world.StatusAsync("web")).Condition(TargetConditionTypes.Scaling)!.Reason);

        await world.Pause.ResumeAsync("manual", "done", force: false, CancellationToken.None);

        var resumed = await world.PodsAsync();
        Assert.Equal(whilePaused.Select(p => p.Metadata.Name), resumed.Select(p => p.Metadata.Name));
        Assert.All(resumed, p => Assert.Equal(("400m", "384Mi"), (ApplyWorld.Cpu(p), ApplyWorld.Memory(p))));
    }

    [Fact]
    public async Task RunOnce_ConfigMapScalingPausedMaybe_NothingAppliedAndTheReasonNamesTheConfigMap()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");
        await world.Sandbox.Seed.ApplyAsync(Thoras.Sandbox.Seeding.Manifests.ConfigMap("thoras", "thoras-operator-system-config",
            new Dictionary<string, string> { ["system-config.yaml"] = "scaling-paused: maybe\n" }));

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        var result = Assert.Single(pass.Targets);
        Assert.Equal(ApplyOutcome.NotApplied, result.Outcome);
        Assert.StartsWith("the pause mirror ConfigMap thoras/thoras-operator-system-config cannot be read", result.Detail, StringComparison.Ordinal);
        Assert.All(await world.PodsAsync(), p => Assert.Equal(("250m", "256Mi"), (ApplyWorld.Cpu(p), ApplyWorld.Memory(p))));
        Assert.Equal(TargetConditionReasons.Paused, (await world.StatusAsync("web")).Condition(TargetConditionTypes.Scaling)!.Reason);
    }

    [Fact]
    public async Task RunOnce_RecommendationModeTarget_NeverTouchesPodsOrNewPods()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateTargetAsync("web", VerticalSpec(mode: "recommendation"));
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");
        var version = (await world.PodsAsync()).Single().Metadata.ResourceVersion;

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);
        await world.ScaleAsync(2);

        Assert.Equal(ApplyOutcome.NotApplied, Assert.Single(pass.Targets).Outcome);
        var pods = await world.PodsAsync();
        Assert.Contains(pods, p => p.Metadata.ResourceVersion == version);
        Assert.All(pods, p => Assert.Equal(("250m", "256Mi"), (ApplyWorld.Cpu(p), ApplyWorld.Memory(p))));
        Assert.Null((await world.Enrollments.GetAsync(target.Key, CancellationToken.None))?.Vertical);
        Assert.Equal(TargetConditionReasons.NotAutonomous, (await world.StatusAsync("web")).Condition(TargetConditionTypes.Scaling)!.Reason);
    }

    [Fact]
    public async Task RunOnce_HorizontalSuggestion_SetsHpaMinReplicasClampedAndRecordsOriginal()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        await world.Sandbox.Seed.ApplyAsync(Thoras.Sandbox.Seeding.Manifests.HorizontalPodAutoscaler(ApplyWorld.Namespace, "web", "Deployment", "web", minReplicas: 2, maxReplicas: 6));
        var target = await world.CreateTargetAsync("web", HorizontalSpec());
        await world.PublishAsync(target, replicas: 4);
        await world.Stage.RunOnceAsync(CancellationToken.None);
        target = (await world.Targets.GetAsync(target.Key, CancellationToken.None))!;
        var uid = await world.PublishAsync(target, replicas: 9);

        await world.Stage.RunOnceAsync(CancellationToken.None);

        var hpa = await world.Client.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ApplyWorld.Namespace);
        Assert.Equal(6, hpa.Spec.MinReplicas);
        Assert.Equal("2", hpa.Metadata.Annotations[IScalingActions.OriginalMinReplicasAnnotation]);
        var record = await world.Enrollments.GetAsync(target.Key, CancellationToken.None);
        Assert.Equal((2, 6, uid), (record!.Horizontal!.OriginalMinReplicas, record.Horizontal.AppliedMinReplicas, record.Horizontal.SuggestionUid));
    }

    [Fact]
    public async Task RunOnce_HorizontalTargetWithoutHpa_RecordsNoSingleHpa()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        var target = await world.CreateTargetAsync("web", HorizontalSpec());
        await world.PublishAsync(target, replicas: 4);

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ApplyOutcome.NotApplied, Assert.Single(pass.Targets).Outcome);
        Assert.Equal(TargetConditionReasons.NoSingleHpa, (await world.StatusAsync("web")).Condition(TargetConditionTypes.Scaling)!.Reason);
    }

    [Fact]
    public async Task RunOnce_RecreateMode_EvictsAtMostMaxDisruptedPerInterval()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 3);
        var original = (await world.PodsAsync()).Select(p => p.Metadata.Name).ToList();
        var target = await world.CreateTargetAsync("web", VerticalSpec(updateMode: "recreate", maxDisrupted: 1, interval: "1h"));
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");

        var first = await world.Stage.RunOnceAsync(CancellationToken.None);
        var second = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ApplyOutcome.InProgress, Assert.Single(first.Targets).Outcome);
        Assert.Equal(ApplyOutcome.InProgress, Assert.Single(second.Targets).Outcome);
        var pods = await world.PodsAsync();
        Assert.Equal(3, pods.Count);
        Assert.Equal(2, pods.Count(p => original.Contains(p.Metadata.Name)));
        var replacement = Assert.Single(pods, p => !original.Contains(p.Metadata.Name));
        Assert.Equal("400m", ApplyWorld.Cpu(replacement));
    }

    [Fact]
    public async Task RunOnce_RecreateModeUnderTightPdb_EvictsNothing()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        await world.Sandbox.Seed.ApplyAsync(Thoras.Sandbox.Seeding.Manifests.PodDisruptionBudget(
            ApplyWorld.Namespace, "web", new Dictionary<string, string> { ["app"] = "web" }, minAvailable: "2"));
        var original = (await world.PodsAsync()).Select(p => p.Metadata.Name).ToList();
        var target = await world.CreateTargetAsync("web", VerticalSpec(updateMode: "recreate", maxDisrupted: 5));
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");

        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        var result = Assert.Single(pass.Targets);
        Assert.Equal(ApplyOutcome.InProgress, result.Outcome);
        Assert.Contains("PodDisruptionBudget", result.Detail, StringComparison.Ordinal);
        Assert.Equal(original, (await world.PodsAsync()).Select(p => p.Metadata.Name).ToList());
    }

    [Fact]
    public async Task RunOnce_CrashBetweenTwoResizes_NextRunFinishesWithoutResizingFirstPodAgain()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        var uid = await world.PublishAsync(target, cpu: "400m", memory: "384Mi");
        var pods = await world.PodsAsync();
        world.Sandbox.Faults.FailNext("PATCH", $"/api/v1/namespaces/{ApplyWorld.Namespace}/pods/{pods[1].Metadata.Name}/resize");

        var crashed = await world.Stage.RunOnceAsync(CancellationToken.None);
        var firstAfterCrash = (await world.PodsAsync()).Single(p => p.Metadata.Name == pods[0].Metadata.Name);
        var finished = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ApplyOutcome.Failed, Assert.Single(crashed.Targets).Outcome);
        Assert.Equal("400m", ApplyWorld.Cpu(firstAfterCrash));
        Assert.Equal(ApplyOutcome.Applied, Assert.Single(finished.Targets).Outcome);
        var after = await world.PodsAsync();
        Assert.Equal(firstAfterCrash.Metadata.ResourceVersion, after[0].Metadata.ResourceVersion);
        Assert.Equal("400m", ApplyWorld.Cpu(after[1]));
        Assert.Equal(uid, (await world.StatusAsync("web")).LastProcessedSuggestionUID);
    }

    [Fact]
    public async Task RunOnce_OneTargetHangs_OtherTargetIsAppliedAndHangingOneFailsWithinItsBudget()
    {
        await using var world = await ApplyWorld.StartAsync(azurite, new Dictionary<string, string?> { ["Apply:TargetTimeBudget"] = "00:00:02" });
        await world.DeployAsync(replicas: 1, name: "slow");
        await world.DeployAsync(replicas: 1, name: "web");
        var slow = await world.CreateTargetAsync("slow", VerticalSpec(workload: "slow"));
        var web = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(slow, cpu: "400m", memory: "384Mi");
        await world.PublishAsync(web, cpu: "400m", memory: "384Mi");
        var slowPod = (await world.PodsAsync("slow")).Single().Metadata.Name;
        world.Sandbox.Faults.HangNext("PATCH", $"/api/v1/namespaces/{ApplyWorld.Namespace}/pods/{slowPod}/resize", duration: TimeSpan.FromSeconds(30));

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var pass = await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(15), $"the pass took {clock.Elapsed}");
        Assert.Equal(ApplyOutcome.Applied, pass.Targets.Single(t => t.Key.Name == "web").Outcome);
        Assert.Equal(ApplyOutcome.Failed, pass.Targets.Single(t => t.Key.Name == "slow").Outcome);
        Assert.Equal(ApplyConditions.ApplyFailedReason, (await world.StatusAsync("slow")).Condition(TargetConditionTypes.Scaling)!.Reason);
    }

    [Fact]
    public async Task Admission_TargetsCannotBeRead_PodAdmittedUnchanged()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");
        var existing = (await world.PodsAsync()).Single().Metadata.Name;
        world.Sandbox.Faults.FailNext("GET", $"/apis/thoras.ai/v1/namespaces/{ApplyWorld.Namespace}/aiscaletargets");

        await world.ScaleAsync(2);

        var created = (await world.PodsAsync()).Single(p => p.Metadata.Name != existing);
        Assert.Equal(("250m", "256Mi"), (ApplyWorld.Cpu(created), ApplyWorld.Memory(created)));
    }

    [Fact]
    public async Task RunOnce_ContainerOomKilled_RaisesMemoryAtOnceAboveSuggestionAndOnlyOncePerKill()
    {
        // Samples a day apart: the pod is OOM-killed once, when the sandbox first sees it, and not again during the test.
        await using var world = await ApplyWorld.StartAsync(azurite, usageSampleInterval: TimeSpan.FromDays(1));
        await world.DeployAsync(replicas: 1, usage: "ratio:5");
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(target, cpu: "250m", memory: "200Mi");
        var killed = (await world.PodsAsync()).Single();
        Assert.Equal("OOMKilled", killed.Status.ContainerStatuses.Single().LastState?.Terminated?.Reason);

        await world.Stage.RunOnceAsync(CancellationToken.None);
        var raised = (await world.PodsAsync()).Single();
        await world.Stage.RunOnceAsync(CancellationToken.None);
        var afterSecondRun = (await world.PodsAsync()).Single();

        var memory = Thoras.Domain.Targets.Quantity.Parse(ApplyWorld.Memory(raised)).Amount;
        Assert.True(memory >= 1.2m * 256 * 1024 * 1024, $"memory was raised to {ApplyWorld.Memory(raised)}");
        Assert.Equal(ApplyWorld.Memory(raised), ApplyWorld.Memory(afterSecondRun));
    }

    [Fact]
    public async Task RunOnce_HpaFloorSet_RecordsHpaFloorSetOnTheTargetAndTheHpa()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        await world.Sandbox.Seed.ApplyAsync(Thoras.Sandbox.Seeding.Manifests.HorizontalPodAutoscaler(ApplyWorld.Namespace, "web", "Deployment", "web", minReplicas: 2, maxReplicas: 6));
        var target = await world.CreateTargetAsync("web", HorizontalSpec());
        await world.PublishAsync(target, replicas: 4);

        await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["Normal AIScaleTarget/web x1", "Normal HorizontalPodAutoscaler/web x1"], await EventsAsync(world, EventReasons.HpaFloorSet));
    }

    [Fact]
    public async Task RunOnce_RecreateMode_RecordsEvictedOnTheTargetAndTheDeployment()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 2);
        var target = await world.CreateTargetAsync("web", VerticalSpec(updateMode: "recreate", maxDisrupted: 1, interval: "1h"));
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");

        await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["Normal AIScaleTarget/web x1", "Normal Deployment/web x1"], await EventsAsync(world, EventReasons.Evicted));
    }

    [Fact]
    public async Task RunOnce_ResizeRefusedByTheApiServer_WarnsApplyFailedOnTheTarget()
    {
        await using var world = await ApplyWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(target, cpu: "400m", memory: "384Mi");
        var pod = (await world.PodsAsync()).Single().Metadata.Name;
        world.Sandbox.Faults.FailNext("PATCH", $"/api/v1/namespaces/{ApplyWorld.Namespace}/pods/{pod}/resize");

        await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["Warning AIScaleTarget/web x1"], await EventsAsync(world, EventReasons.ApplyFailed));
    }

    [Fact]
    public async Task RunOnce_ContainerOomKilledThenAnotherRun_WarnsOomFloorRaisedOnceOnTheTargetAndTheDeployment()
    {
        await using var world = await ApplyWorld.StartAsync(azurite, usageSampleInterval: TimeSpan.FromDays(1));
        await world.DeployAsync(replicas: 1, usage: "ratio:5");
        var target = await world.CreateTargetAsync("web", VerticalSpec());
        await world.PublishAsync(target, cpu: "250m", memory: "200Mi");

        await world.Stage.RunOnceAsync(CancellationToken.None);
        await world.Stage.RunOnceAsync(CancellationToken.None);

        Assert.Equal(["Warning AIScaleTarget/web x1", "Warning Deployment/web x1"], await EventsAsync(world, EventReasons.OomFloorRaised));
    }
}
