using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Sandbox.Seeding;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

/// <summary>The AIScaleTarget adapter against the sandbox API server, through the real client over HTTP.</summary>
public sealed class KubernetesTargetClusterTests : IClassFixture<SandboxClusterFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 1, 31, 12, 0, 0, TimeSpan.Zero);

    private readonly SandboxClusterFixture _cluster;
    private readonly KubernetesTargetCluster _targets;

    public KubernetesTargetClusterTests(SandboxClusterFixture cluster)
    {
        _cluster = cluster;
        _targets = new KubernetesTargetCluster(cluster.Client, NullLogger<KubernetesTargetCluster>.Instance);
    }

    private static JsonObject DeploymentSpec(string verticalMode = "auto", string workload = "web") => new()
    {
        ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = workload },
        ["vertical"] = new JsonObject
        {
            ["mode"] = verticalMode,
            ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["cpu"] = new JsonObject { ["lowerbound"] = "100m" } }),
        },
    };

    private async Task<JsonObject> CreateAsync(string ns, string name, JsonObject spec, params string[] finalizers)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = ns };
        if (finalizers.Length > 0)
            metadata["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        var body = new JsonObject { ["apiVersion"] = "thoras.ai/v1", ["kind"] = "AIScaleTarget", ["metadata"] = metadata, ["spec"] = spec };
        var created = await _cluster.Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(body, "thoras.ai", "v1", ns, "aiscaletargets");
        return JsonNode.Parse(created.GetRawText())!.AsObject();
    }

    /// <summary>Stores a target the CRD refuses, as one created before the CRD had its rules.</summary>
    private Task<JsonObject> CreateInvalidAsync(string ns, string name, JsonObject spec) =>
        _cluster.Sandbox.Seed.ApplyUnvalidatedAsync(new JsonObject
        {
            ["apiVersion"] = "thoras.ai/v1",
            ["kind"] = "AIScaleTarget",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        });

    private async Task<JsonObject> ReadRawAsync(string ns, string name)
    {
        var read = await _cluster.Client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets", name);
        return JsonNode.Parse(read.GetRawText())!.AsObject();
    }

    private static string Uid(JsonObject target) => (string)target["metadata"]!["uid"]!;

    private static string ResourceVersion(JsonObject target) => (string)target["metadata"]!["resourceVersion"]!;

    private static TargetStatus WithSuggestion(TargetStatus status, string uid) => status with
    {
        LatestSuggestion = new Suggestion
        {
            SuggestionUID = uid,
            Start = Now,
            End = Now.AddMinutes(15),
            HasEnoughDataToScale = true,
            ResourceRecommendations = [new() { ContainerName = "app", Requests = new() { Cpu = Quantity.Parse("300m"), Memory = Quantity.Parse("384Mi") } }],
        },
    };

    [Fact]
    public async Task ListAsync_AllNamespaces_FindsTheTargetsOfEveryNamespace()
    {
        var first = await _cluster.NewNamespaceAsync();
        var second = await _cluster.NewNamespaceAsync();
        await CreateAsync(first, "a", DeploymentSpec());
        await CreateAsync(second, "b", DeploymentSpec());

        var listing = await _targets.ListAsync([], CancellationToken.None);

        var keys = listing.Targets.Select(t => t.Key).ToList();
        Assert.Contains(new TargetKey(first, "a"), keys);
        Assert.Contains(new TargetKey(second, "b"), keys);
    }

    [Fact]
    public async Task ListAsync_ChosenNamespaces_FindsOnlyTheirTargets()
    {
        var first = await _cluster.NewNamespaceAsync();
        var second = await _cluster.NewNamespaceAsync();
        var third = await _cluster.NewNamespaceAsync();
        await CreateAsync(first, "a", DeploymentSpec());
        await CreateAsync(second, "b", DeploymentSpec());
        await CreateAsync(third, "c", DeploymentSpec());

        var listing = await _targets.ListAsync([first, third], CancellationToken.None);

        TargetKey[] expected = [new TargetKey(first, "a"), new TargetKey(third, "c")];
        Assert.Equal(
            expected.OrderBy(k => k.ToString(), StringComparer.Ordinal),
            listing.Targets.Select(t => t.Key).OrderBy(k => k.ToString(), StringComparer.Ordinal));
    }

    [Fact]
    public async Task ListAsync_InvalidTarget_IsReportedWithItsProblemWhileTheOthersAreListed()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateAsync(ns, "good", DeploymentSpec());
        await CreateInvalidAsync(ns, "bad", DeploymentSpec(verticalMode: "fast"));

        var listing = await _targets.ListAsync([ns], CancellationToken.None);

        Assert.Equal(new TargetKey(ns, "good"), Assert.Single(listing.Targets).Key);
        var invalid = Assert.Single(listing.Invalid);
        Assert.Equal(
            (new TargetKey(ns, "bad"), new SpecProblem("spec.vertical.mode", "'fast' is not a valid mode; use " + TargetModes.AllowedText)),
            (invalid.Key, Assert.Single(invalid.Problems)));
    }

    [Fact]
    public async Task ListAsync_TargetBreakingACrdRule_IsReportedWithTheRule()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var spec = DeploymentSpec();
        spec["horizontal"] = new JsonObject { ["mode"] = "autonomous" };
        await CreateInvalidAsync(ns, "both", spec);

        var listing = await _targets.ListAsync([ns], CancellationToken.None);

        Assert.Equal(new SpecProblem("spec", SpecRules.OneAutonomousDirection), Assert.Single(Assert.Single(listing.Invalid).Problems));
    }

    [Fact]
    public async Task GetAsync_NoSuchTarget_ReturnsNull()
    {
        var ns = await _cluster.NewNamespaceAsync();

        Assert.Null(await _targets.GetAsync(new TargetKey(ns, "missing"), CancellationToken.None));
    }

    [Fact]
    public async Task GetAsync_Target_ReadsItsIdentityAndNormalisedModes()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var spec = DeploymentSpec(verticalMode: "auto");
        spec["horizontal"] = new JsonObject { ["mode"] = "rec", ["minReplicas"] = 1, ["maxReplicas"] = 4 };
        var created = await CreateAsync(ns, "web", spec);

        var target = (await _targets.GetAsync(new TargetKey(ns, "web"), CancellationToken.None))!;

        Assert.Equal(
            (Uid(created), TargetMode.Autonomous, TargetMode.Recommendation, ScalingDirection.Vertical as ScalingDirection?),
            (target.Metadata.Uid, target.Spec.ModeOf(ScalingDirection.Vertical)!.Value, target.Spec.ModeOf(ScalingDirection.Horizontal)!.Value, target.Spec.AutonomousDirection));
    }

    [Fact]
    public async Task GetAsync_InvalidTarget_ThrowsWithItsProblems()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateInvalidAsync(ns, "bad", new JsonObject { ["vertical"] = new JsonObject { ["mode"] = "observe" } });

        var error = await Assert.ThrowsAsync<InvalidTargetException>(() => _targets.GetAsync(new TargetKey(ns, "bad"), CancellationToken.None));

        Assert.Equal([new SpecProblem("spec", SpecRules.ExactlyOneWorkload)], error.Target.Problems);
    }

    [Fact]
    public async Task UpdateStatusAsync_SuggestionAndCondition_AreWrittenThroughTheStatusSubresourceOnly()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var created = await CreateAsync(ns, "web", DeploymentSpec());

        await _targets.UpdateStatusAsync(new TargetKey(ns, "web"), Uid(created),
            s => WithSuggestion(s, "s-1").WithCondition(TargetConditions.Paused(["manual"], Now, 1)),
            CancellationToken.None);

        var raw = await ReadRawAsync(ns, "web");
        Assert.Equal(
            ("s-1", "300m", "Paused", "2026-01-31T12:00:00Z", created["metadata"]!["generation"]!.ToJsonString(), created["spec"]!.ToJsonString()),
            ((string)raw["status"]!["latestSuggestion"]!["suggestionUID"]!,
                (string)raw["status"]!["latestSuggestion"]!["resourceRecommendations"]![0]!["requests"]!["cpu"]!,
                (string)raw["status"]!["conditions"]![0]!["reason"]!,
                (string)raw["status"]!["conditions"]![0]!["lastTransitionTime"]!,
                raw["metadata"]!["generation"]!.ToJsonString(),
                raw["spec"]!.ToJsonString()));
    }

    [Fact]
    public async Task UpdateStatusAsync_FieldLeftOut_IsRemovedFromTheStatus()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var uid = Uid(await CreateAsync(ns, "web", DeploymentSpec()));
        var key = new TargetKey(ns, "web");
        await _targets.UpdateStatusAsync(key, uid, s => WithSuggestion(s, "s-1") with { LastProcessedSuggestionUID = "s-0" }, CancellationToken.None);

        await _targets.UpdateStatusAsync(key, uid, s => s with { LatestSuggestion = null }, CancellationToken.None);

        var status = (await ReadRawAsync(ns, "web"))["status"]!.AsObject();
        Assert.Equal(["lastProcessedSuggestionUID"], status.Select(p => p.Key));
    }

    [Fact]
    public async Task UpdateStatusAsync_StatusChangedBetweenReadAndWrite_RetriesOnTheFreshStatusAndKeepsTheOtherWrite()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var uid = Uid(await CreateAsync(ns, "web", DeploymentSpec()));
        var calls = 0;

        await _targets.UpdateStatusAsync(new TargetKey(ns, "web"), uid, status =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                // Another writer changes the status after the adapter read it: the adapter's write is now stale.
                var concurrent = new JsonObject { ["status"] = new JsonObject { ["lastProcessedSuggestionUID"] = "other-writer" } };
                _cluster.Client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<JsonElement>(
                    new V1Patch(concurrent, V1Patch.PatchType.MergePatch), "thoras.ai", "v1", ns, "aiscaletargets", "web").GetAwaiter().GetResult();
            }

            return WithSuggestion(status, "s-1");
        }, CancellationToken.None);

        var raw = await ReadRawAsync(ns, "web");
        Assert.Equal(
            (2, "other-writer", "s-1"),
            (calls, (string)raw["status"]!["lastProcessedSuggestionUID"]!, (string)raw["status"]!["latestSuggestion"]!["suggestionUID"]!));
    }

    [Fact]
    public async Task UpdateStatusAsync_ConflictOnEveryAttempt_GivesUpAfterTheLastAttempt()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var uid = Uid(await CreateAsync(ns, "web", DeploymentSpec()));
        _cluster.Sandbox.Faults.FailNext("PUT", $"/apis/thoras.ai/v1/namespaces/{ns}/aiscaletargets/web/status", count: KubernetesTargetCluster.MaxAttempts, statusCode: 409);
        var calls = 0;

        var error = await Assert.ThrowsAsync<TargetConflictException>(() => _targets.UpdateStatusAsync(
            new TargetKey(ns, "web"), uid, s => { Interlocked.Increment(ref calls); return WithSuggestion(s, "s-1"); }, CancellationToken.None));

        Assert.Equal((KubernetesTargetCluster.MaxAttempts, KubernetesTargetCluster.MaxAttempts), (error.Attempts, calls));
    }

    [Fact]
    public async Task UpdateStatusAsync_TargetRecreatedUnderTheSameName_ThrowsNotFoundAndLeavesTheNewOneAlone()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var oldUid = Uid(await CreateAsync(ns, "web", DeploymentSpec()));
        await _cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets", "web");
        await CreateAsync(ns, "web", DeploymentSpec());

        await Assert.ThrowsAsync<TargetNotFoundException>(
            () => _targets.UpdateStatusAsync(new TargetKey(ns, "web"), oldUid, s => WithSuggestion(s, "old"), CancellationToken.None));

        Assert.Null((await ReadRawAsync(ns, "web"))["status"]?["latestSuggestion"]);
    }

    [Fact]
    public async Task UpdateStatusAsync_InvalidTarget_GetsItsInvalidSpecCondition()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateInvalidAsync(ns, "bad", new JsonObject { ["vertical"] = new JsonObject { ["mode"] = "observe" } });
        var invalid = Assert.Single((await _targets.ListAsync([ns], CancellationToken.None)).Invalid);

        await _targets.UpdateStatusAsync(invalid.Key, invalid.Metadata.Uid,
            s => s.WithCondition(TargetConditions.InvalidSpec(invalid.Problems, Now, invalid.Metadata.Generation)), CancellationToken.None);

        var condition = (await ReadRawAsync(ns, "bad"))["status"]!["conditions"]![0]!;
        Assert.Equal(("Ready", "False", "InvalidSpec"), ((string)condition["type"]!, (string)condition["status"]!, (string)condition["reason"]!));
    }

    [Fact]
    public async Task UpdateStatusAsync_NothingChanges_WritesNothing()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var created = await CreateAsync(ns, "web", DeploymentSpec());

        await _targets.UpdateStatusAsync(new TargetKey(ns, "web"), Uid(created), s => s, CancellationToken.None);

        Assert.Equal(ResourceVersion(created), ResourceVersion(await ReadRawAsync(ns, "web")));
    }

    [Fact]
    public async Task AddFinalizerAsync_Twice_AddsOnceAndKeepsOtherFinalizers()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var uid = Uid(await CreateAsync(ns, "web", DeploymentSpec(), "other.example.com/keep"));

        var first = await _targets.AddFinalizerAsync(new TargetKey(ns, "web"), uid, CancellationToken.None);
        var second = await _targets.AddFinalizerAsync(new TargetKey(ns, "web"), uid, CancellationToken.None);

        var finalizers = (await ReadRawAsync(ns, "web"))["metadata"]!["finalizers"]!.AsArray().Select(f => (string)f!);
        Assert.Equal((true, false), (first, second));
        Assert.Equal(["other.example.com/keep", AIScaleTarget.CleanupFinalizer], finalizers);
    }

    [Fact]
    public async Task RemoveFinalizerAsync_DeletedTarget_LetsTheObjectGo()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var uid = Uid(await CreateAsync(ns, "web", DeploymentSpec()));
        var key = new TargetKey(ns, "web");
        await _targets.AddFinalizerAsync(key, uid, CancellationToken.None);
        await _cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets", "web");
        var deleting = (await _targets.GetAsync(key, CancellationToken.None))!;

        var removed = await _targets.RemoveFinalizerAsync(key, uid, CancellationToken.None);

        Assert.Equal((true, true, (AIScaleTarget?)null), (deleting.Metadata.IsDeleting, removed, await _targets.GetAsync(key, CancellationToken.None)));
    }

    [Fact]
    public async Task RemoveFinalizerAsync_NotThere_ReturnsFalseAndWritesNothing()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var created = await CreateAsync(ns, "web", DeploymentSpec());

        var removed = await _targets.RemoveFinalizerAsync(new TargetKey(ns, "web"), Uid(created), CancellationToken.None);

        Assert.Equal((false, ResourceVersion(created)), (removed, ResourceVersion(await ReadRawAsync(ns, "web"))));
    }

    [Fact]
    public async Task ResolveAsync_Deployment_FindsItsControllerSpecPodsHpaAndPdb()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.Sandbox.Seed.ApplyAsync(
        [
            WorkloadBuilder.Deployment(ns, "web").WithReplicas(2).WithContainer("app", cpuRequest: "250m", memoryRequest: "256Mi", memoryLimit: "512Mi").Build(),
            WorkloadBuilder.Deployment(ns, "other").WithContainer("app", cpuRequest: "100m").Build(),
            Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", 2, 8),
            Manifests.HorizontalPodAutoscaler(ns, "other", "Deployment", "other", 1, 3),
            Manifests.PodDisruptionBudget(ns, "web-pdb", new Dictionary<string, string> { ["app"] = "web" }, maxUnavailable: "1"),
            Manifests.PodDisruptionBudget(ns, "other-pdb", new Dictionary<string, string> { ["app"] = "other" }, maxUnavailable: "1"),
        ]);
        await CreateAsync(ns, "web", DeploymentSpec());
        var target = (await _targets.GetAsync(new TargetKey(ns, "web"), CancellationToken.None))!;

        var resolved = (await _targets.ResolveAsync(target, CancellationToken.None))!;

        Assert.Equal(
            ("Deployment/web", 2, "app", "250m", "512Mi", 2, "web", 2, "web-pdb"),
            (resolved.Describe(), resolved.Workload!.Replicas!.Value, resolved.Workload.Containers.Single().Name,
                resolved.Workload.Containers.Single().Requests.Cpu.ToString(), resolved.Workload.Containers.Single().Limits.Memory.ToString(),
                resolved.Pods.Count, resolved.SingleAutoscaler!.Name, resolved.SingleAutoscaler.MinReplicas!.Value,
                Assert.Single(resolved.DisruptionBudgets).Name));
        Assert.All(resolved.Pods, p => Assert.Equal(("app", "250m"), (p.Containers.Single().Name, p.Containers.Single().Requests.Cpu.ToString())));
    }

    [Fact]
    public async Task ListWorkloadsPodsAutoscalersAndBudgets_Namespace_EachOneListWithWhatResolutionNeeds()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.Sandbox.Seed.ApplyAsync(
        [
            WorkloadBuilder.Deployment(ns, "web").WithReplicas(2).WithContainer("app", cpuRequest: "250m").Build(),
            Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", 2, 8),
            Manifests.PodDisruptionBudget(ns, "web-pdb", new Dictionary<string, string> { ["app"] = "web" }, maxUnavailable: "1"),
        ]);

        var workload = Assert.Single(await _targets.ListWorkloadsAsync(ns, ScaleTargetRef.Deployment, CancellationToken.None));
        var pods = await _targets.ListPodsAsync(ns, CancellationToken.None);
        var hpa = Assert.Single(await _targets.ListAutoscalersAsync(ns, CancellationToken.None));
        var pdb = Assert.Single(await _targets.ListDisruptionBudgetsAsync(ns, CancellationToken.None));

        Assert.True(workload.Selector.Matches(new Dictionary<string, string> { ["app"] = "web" }));
        Assert.Equal(2, pods.Count);
        Assert.Equal(("Deployment", "web"), (hpa.ScaleTarget!.Kind, hpa.ScaleTarget.Name));
        Assert.True(pdb.Selector!.Matches(new Dictionary<string, string> { ["app"] = "web" }));
        Assert.Empty(await _targets.ListWorkloadsAsync(ns, ScaleTargetRef.StatefulSet, CancellationToken.None));
    }

    [Fact]
    public async Task UpdateStatusAsync_SeenTarget_WritesWithoutReadingFirst()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateAsync(ns, "web", DeploymentSpec());
        var seen = (await _targets.ListAsync([ns], CancellationToken.None)).Targets.Single();
        var reads = new List<string>();
        using var recording = new RecordingCluster(_cluster, reads);

        await recording.Targets.UpdateStatusAsync(seen, s => WithSuggestion(s, "s-1"), CancellationToken.None);

        Assert.Equal(["PUT"], reads);
        Assert.Equal("s-1", (string)(await ReadRawAsync(ns, "web"))["status"]!["latestSuggestion"]!["suggestionUID"]!);
    }

    [Fact]
    public async Task UpdateStatusAsync_SeenTargetChangedSince_RereadsAndKeepsTheOtherWrite()
    {
        var ns = await _cluster.NewNamespaceAsync();
        var uid = Uid(await CreateAsync(ns, "web", DeploymentSpec()));
        var seen = (await _targets.ListAsync([ns], CancellationToken.None)).Targets.Single();
        await _targets.UpdateStatusAsync(seen.Key, uid, s => s with { LastProcessedSuggestionUID = "other-writer" }, CancellationToken.None);

        await _targets.UpdateStatusAsync(seen, s => WithSuggestion(s, "s-1"), CancellationToken.None);

        var status = (await ReadRawAsync(ns, "web"))["status"]!;
        Assert.Equal(("s-1", "other-writer"), ((string)status["latestSuggestion"]!["suggestionUID"]!, (string)status["lastProcessedSuggestionUID"]!));
    }

    [Fact]
    public async Task UpdateStatusAsync_SeenTargetRecreatedUnderTheSameName_ThrowsNotFound()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateAsync(ns, "web", DeploymentSpec());
        var seen = (await _targets.ListAsync([ns], CancellationToken.None)).Targets.Single();
        await _cluster.Client.CustomObjects.DeleteNamespacedCustomObjectAsync("thoras.ai", "v1", ns, "aiscaletargets", "web");
        await CreateAsync(ns, "web", DeploymentSpec());

        await Assert.ThrowsAsync<TargetNotFoundException>(() => _targets.UpdateStatusAsync(seen, s => WithSuggestion(s, "old"), CancellationToken.None));
        Assert.Null((await ReadRawAsync(ns, "web"))["status"]?["latestSuggestion"]);
    }

    [Fact]
    public async Task UpdateStatusAsync_SeenTargetNothingChanges_NoCall()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateAsync(ns, "web", DeploymentSpec());
        var seen = (await _targets.ListAsync([ns], CancellationToken.None)).Targets.Single();
        var calls = new List<string>();
        using var recording = new RecordingCluster(_cluster, calls);

        await recording.Targets.UpdateStatusAsync(seen, s => s, CancellationToken.None);

        Assert.Empty(calls);
    }

    /// <summary>The adapter over a client that notes the method of every request it sends.</summary>
    private sealed class RecordingCluster : IDisposable
    {
        private readonly k8s.Kubernetes client;

        public RecordingCluster(SandboxClusterFixture cluster, List<string> methods)
        {
            client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = cluster.Sandbox.BaseUrl.ToString() }, new Noting(methods));
            Targets = new KubernetesTargetCluster(client, NullLogger<KubernetesTargetCluster>.Instance);
        }

        public KubernetesTargetCluster Targets { get; }

        public void Dispose() => client.Dispose();

        private sealed class Noting(List<string> methods) : DelegatingHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                lock (methods)
                    methods.Add(request.Method.Method);
                return base.SendAsync(request, cancellationToken);
            }
        }
    }

    [Fact]
    public async Task ResolveAsync_StatefulSet_FindsItAndItsPods()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.Sandbox.Seed.ApplyAsync(WorkloadBuilder.StatefulSet(ns, "cache").WithReplicas(3).WithContainer("redis", cpuRequest: "200m", memoryRequest: "1Gi").Build());
        var spec = DeploymentSpec(workload: "cache");
        spec["scaleTargetRef"]!["kind"] = "StatefulSet";
        await CreateAsync(ns, "cache", spec);
        var target = (await _targets.GetAsync(new TargetKey(ns, "cache"), CancellationToken.None))!;

        var resolved = (await _targets.ResolveAsync(target, CancellationToken.None))!;

        Assert.Equal(("StatefulSet/cache", 3, 0), (resolved.Describe(), resolved.Pods.Count, resolved.Autoscalers.Count));
    }

    [Fact]
    public async Task ResolveAsync_WorkloadMissing_ReturnsNull()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateAsync(ns, "web", DeploymentSpec(workload: "gone"));
        var target = (await _targets.GetAsync(new TargetKey(ns, "web"), CancellationToken.None))!;

        Assert.Null(await _targets.ResolveAsync(target, CancellationToken.None));
    }

    [Fact]
    public async Task ResolveAsync_Selector_FindsOnlyThePodsWithTheLabels()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.Sandbox.Seed.ApplyAsync(
        [
            WorkloadBuilder.Deployment(ns, "worker").WithReplicas(2).WithLabel("tier", "batch").WithContainer("worker", cpuRequest: "250m").Build(),
            WorkloadBuilder.Deployment(ns, "web").WithReplicas(1).WithContainer("app", cpuRequest: "100m").Build(),
        ]);
        await CreateAsync(ns, "batch", new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["tier"] = "batch" } },
            ["vertical"] = new JsonObject { ["mode"] = "recommendation" },
        });
        var target = (await _targets.GetAsync(new TargetKey(ns, "batch"), CancellationToken.None))!;

        var resolved = (await _targets.ResolveAsync(target, CancellationToken.None))!;

        Assert.Null(resolved.Workload);
        Assert.Equal(["worker", "worker"], resolved.Pods.Select(p => p.Containers.Single().Name));
    }

    [Fact]
    public async Task ResolveAsync_TwoHpasOnTheWorkload_HasNoSingleAutoscaler()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await _cluster.Sandbox.Seed.ApplyAsync(
        [
            WorkloadBuilder.Deployment(ns, "web").WithContainer("app", cpuRequest: "100m").Build(),
            Manifests.HorizontalPodAutoscaler(ns, "web-a", "Deployment", "web", 1, 4),
            Manifests.HorizontalPodAutoscaler(ns, "web-b", "Deployment", "web", 1, 4),
        ]);
        await CreateAsync(ns, "web", DeploymentSpec());
        var target = (await _targets.GetAsync(new TargetKey(ns, "web"), CancellationToken.None))!;

        var resolved = (await _targets.ResolveAsync(target, CancellationToken.None))!;

        Assert.Equal((2, (HorizontalAutoscaler?)null), (resolved.Autoscalers.Count, resolved.SingleAutoscaler));
    }

    [Fact]
    public async Task GetAsync_ApiFailure_IsNotMistakenForAMissingTarget()
    {
        var ns = await _cluster.NewNamespaceAsync();
        await CreateAsync(ns, "web", DeploymentSpec());
        _cluster.Sandbox.Faults.FailNext("GET", $"/apis/thoras.ai/v1/namespaces/{ns}/aiscaletargets/web", statusCode: 500);

        var error = await Assert.ThrowsAsync<HttpOperationException>(() => _targets.GetAsync(new TargetKey(ns, "web"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.InternalServerError, error.Response.StatusCode);
    }
}
