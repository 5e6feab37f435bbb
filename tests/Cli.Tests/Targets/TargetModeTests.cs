using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Cli.Tests.Targets;

/// <summary><c>PUT /api/targets/{namespace}/{name}/mode</c> and adopted <c>kubectl edit</c>s, over real HTTP, the sandbox and Azurite.</summary>
public sealed class TargetModeTests(TargetApiFixture app) : IClassFixture<TargetApiFixture>
{
    private async Task<(string Ns, TargetKey Key, string Uid)> EnrolledAsync(string verticalMode = "autonomous", string? horizontalMode = null)
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedDeploymentAsync(ns);
        var uid = await app.CreateTargetAsync(ns, verticalMode: verticalMode, horizontalMode: horizontalMode);
        await app.SyncTickAsync();
        return (ns, new TargetKey(ns, "web"), uid);
    }

    private static List<(string Cpu, string Memory)> Requests(IEnumerable<V1Pod> pods) =>
        pods.Select(p => p.Spec.Containers.Single()).Select(c => (c.Resources.Requests["cpu"].ToString(), c.Resources.Requests["memory"].ToString())).ToList();

    [Fact]
    public async Task PutMode_AutonomousToRecommendationAfterApply_RestartsPodsWithTheControllerSpec()
    {
        var (ns, key, _) = await EnrolledAsync();
        await app.ApplyVerticalAsync(key);
        var before = (await app.PodsAsync(ns)).Select(p => p.Metadata.Name).ToList();

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "rec" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("revert").GetProperty("restarted").GetBoolean());
        Assert.Equal("Deployment/web", body.GetProperty("revert").GetProperty("restartedWorkload").GetString());
        var after = await app.PodsAsync(ns);
        Assert.Equal(2, after.Count);
        Assert.Empty(after.Select(p => p.Metadata.Name).Intersect(before));
        Assert.All(Requests(after), r => Assert.Equal(("250m", "256Mi"), r));
    }

    [Fact]
    public async Task PutMode_AutonomousToRecommendation_WritesSpecAndRecordAndClearsTheBaseline()
    {
        var (ns, key, uid) = await EnrolledAsync();
        await app.ApplyVerticalAsync(key);

        await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "recommendation" });

        var spec = (await app.ReadTargetAsync(ns))!["spec"]!;
        Assert.Equal("recommendation", (string?)spec["vertical"]!["mode"]);
        var record = await app.Enrollment.GetAsync(key, CancellationToken.None);
        Assert.Equal((uid, TargetMode.Recommendation, (VerticalBaseline?)null), (record!.Uid, record.VerticalMode, record.Vertical));
        var workload = await app.Cluster.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        Assert.Equal("250m", workload.Spec.Template.Spec.Containers.Single().Resources.Requests["cpu"].ToString());
        Assert.True(workload.Spec.Template.Metadata.Annotations.ContainsKey(RevertAnnotations.RestartedAt));
    }

    [Fact]
    public async Task PutMode_AutonomousToRecommendation_IsAuditedWithTheActor()
    {
        var (ns, key, uid) = await EnrolledAsync();
        await app.ApplyVerticalAsync(key);

        await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "rec", actor = "alice", reason = "incident 42" });

        var record = Assert.Single(await app.AuditAsync(uid), r => r.Action == "mode-change");
        Assert.Equal(("alice", "incident 42", "vertical=autonomous", "vertical=recommendation"), (record.Actor, record.Reason, record.Previous, record.Current));
    }

    [Fact]
    public async Task PutMode_AutonomousToRecommendationWithNothingApplied_DoesNotRestart()
    {
        var (ns, _, _) = await EnrolledAsync();
        var before = (await app.PodsAsync(ns)).Select(p => p.Metadata.Uid).ToList();

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "observation" });

        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("revert").GetProperty("restarted").GetBoolean());
        Assert.Equal(before, (await app.PodsAsync(ns)).Select(p => p.Metadata.Uid).ToList());
    }

    [Fact]
    public async Task PutMode_RecommendationToAutonomous_DoesNotRestart()
    {
        var (ns, _, _) = await EnrolledAsync(verticalMode: "recommendation");
        var before = (await app.PodsAsync(ns)).Select(p => p.Metadata.Uid).ToList();

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "auto" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("recommendation", "autonomous", true, false), (
            body.GetProperty("previousMode").GetString(), body.GetProperty("mode").GetString(), body.GetProperty("changed").GetBoolean(),
            body.GetProperty("revert").GetProperty("restarted").GetBoolean()));
        Assert.Equal(before, (await app.PodsAsync(ns)).Select(p => p.Metadata.Uid).ToList());
        Assert.Equal("autonomous", (string?)(await app.ReadTargetAsync(ns))!["spec"]!["vertical"]!["mode"]);
    }

    [Fact]
    public async Task PutMode_RecordOfAnEarlierTargetOfTheSameName_ForgetsItAndSwitches()
    {
        var (ns, key, oldUid) = await EnrolledAsync(verticalMode: "recommendation");
        var unfinalize = new JsonObject { ["metadata"] = new JsonObject { ["finalizers"] = null } };
        await app.Cluster.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch(unfinalize.ToJsonString(), V1Patch.PatchType.MergePatch), "thoras.ai", "v1", ns, "aiscaletargets", "web");
        await app.Cluster.CustomObjects.DeleteNamespacedCustomObjectAsync("thoras.ai", "v1", ns, "aiscaletargets", "web");
        var newUid = await app.CreateTargetAsync(ns, verticalMode: "recommendation");

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "autonomous" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var record = await app.Enrollment.GetAsync(key, CancellationToken.None);
        Assert.Equal((newUid, TargetMode.Autonomous), (record!.Uid, record.VerticalMode));
        Assert.Contains(await app.AuditAsync(oldUid), r => r.Action == "unenroll");
    }

    [Fact]
    public async Task PutMode_BothDirectionsAutonomous_409WithTheReasonAndNothingChanged()
    {
        var (ns, key, _) = await EnrolledAsync(verticalMode: "autonomous", horizontalMode: "recommendation");
        var recordBefore = await app.Enrollment.GetAsync(key, CancellationToken.None);

        var response = await app.PutModeAsync(ns, "web", new { direction = "horizontal", mode = "autonomous" });

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("only one direction may be autonomous", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("recommendation", (string?)(await app.ReadTargetAsync(ns))!["spec"]!["horizontal"]!["mode"]);
        Assert.Equal(recordBefore!.ETag, (await app.Enrollment.GetAsync(key, CancellationToken.None))!.ETag);
    }

    [Fact]
    public async Task PutMode_HorizontalAutonomousToRecommendation_RestoresTheOriginalMinReplicas()
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedDeploymentAsync(ns);
        await app.SeedHpaAsync(ns, minReplicas: 2);
        await app.CreateTargetAsync(ns, verticalMode: "recommendation", horizontalMode: "autonomous");
        await app.SyncTickAsync();
        await app.ApplyHorizontalAsync(new TargetKey(ns, "web"), original: 2, floor: 5);

        var response = await app.PutModeAsync(ns, "web", new { direction = "horizontal", mode = "recommendation" });

        var restored = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("revert").GetProperty("restoredMinReplicas");
        Assert.Equal(("web", 5, 2), (restored.GetProperty("hpaName").GetString(), restored.GetProperty("appliedMinReplicas").GetInt32(), restored.GetProperty("minReplicas").GetInt32()));
        var hpa = await app.Cluster.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns);
        Assert.Equal(2, hpa.Spec.MinReplicas);
        Assert.False(hpa.Metadata.Annotations?.ContainsKey(RevertAnnotations.OriginalMinReplicas) ?? false);
    }

    [Fact]
    public async Task SyncTick_KubectlEditToRecommendation_IsAdoptedAsClusterAndRestarts()
    {
        var (ns, key, uid) = await EnrolledAsync();
        await app.ApplyVerticalAsync(key);
        var before = (await app.PodsAsync(ns)).Select(p => p.Metadata.Name).ToList();
        var edit = new JsonObject { ["spec"] = new JsonObject { ["vertical"] = new JsonObject { ["mode"] = "recommend" } } };
        await app.Cluster.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch(edit.ToJsonString(), V1Patch.PatchType.MergePatch), "thoras.ai", "v1", ns, "aiscaletargets", "web");

        await app.SyncTickAsync();

        Assert.Empty((await app.PodsAsync(ns)).Select(p => p.Metadata.Name).Intersect(before));
        Assert.Equal(TargetMode.Recommendation, (await app.Enrollment.GetAsync(key, CancellationToken.None))!.VerticalMode);
        Assert.Equal("cluster", Assert.Single(await app.AuditAsync(uid), r => r.Action == "mode-change").Actor);
    }

    [Fact]
    public async Task SyncTick_NewTarget_IsEnrolledWithTheFinalizer()
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedDeploymentAsync(ns);
        var uid = await app.CreateTargetAsync(ns);

        await app.SyncTickAsync();

        var finalizers = (await app.ReadTargetAsync(ns))!["metadata"]!["finalizers"]!.AsArray().Select(f => (string?)f);
        Assert.Contains(AIScaleTarget.CleanupFinalizer, finalizers);
        Assert.Equal(uid, (await app.Enrollment.GetAsync(new TargetKey(ns, "web"), CancellationToken.None))!.Uid);
    }

    [Fact]
    public async Task GetTarget_Enrolled_ShowsModesUidEnrolledSinceAppliedAndLatestSuggestion()
    {
        var (ns, key, uid) = await EnrolledAsync();
        await app.ApplyVerticalAsync(key);
        var cluster = (ITargetCluster)app.Services.GetService(typeof(ITargetCluster))!;
        await cluster.UpdateStatusAsync(key, uid, s => s with
        {
            LatestSuggestion = new Suggestion
            {
                SuggestionUID = "sugg-1",
                Start = DateTimeOffset.UtcNow,
                End = DateTimeOffset.UtcNow.AddMinutes(15),
                HasEnoughDataToScale = true,
                ResourceRecommendations = [new() { ContainerName = "app", Requests = new() { Cpu = Quantity.Parse("400m") } }],
            },
        }, CancellationToken.None);

        var body = await app.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/targets/{ns}/web", UriKind.Relative));

        Assert.Equal((uid, "autonomous", "Deployment/web", true, "sugg-1"), (
            body.GetProperty("uid").GetString(),
            body.GetProperty("verticalMode").GetString(),
            body.GetProperty("workload").GetString(),
            body.GetProperty("suggestionsApplied").GetProperty("vertical").GetBoolean(),
            body.GetProperty("latestSuggestion").GetProperty("suggestionUID").GetString()));
        Assert.Equal(JsonValueKind.String, body.GetProperty("enrolledSince").ValueKind);
    }

    [Fact]
    public async Task ListTargets_ShowsEveryTargetWithItsUid()
    {
        var (ns, _, uid) = await EnrolledAsync();

        var body = await app.Http.GetFromJsonAsync<JsonElement>(new Uri("/api/targets", UriKind.Relative));

        var mine = body.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("namespace").GetString() == ns);
        Assert.Equal(uid, mine.GetProperty("uid").GetString());
    }
}
