using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using k8s;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Cli.Tests.Targets;

/// <summary>Unenroll through <c>DELETE /api/targets/{namespace}/{name}</c> and <c>kubectl delete ast</c>, with the finalizer and the sync tick.</summary>
public sealed class UnenrollTests(TargetApiFixture app) : IClassFixture<TargetApiFixture>
{
    private async Task<(string Ns, TargetKey Key, string Uid)> AppliedWithHistoryAsync()
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedDeploymentAsync(ns);
        await app.SeedHpaAsync(ns, minReplicas: 2);
        var uid = await app.CreateTargetAsync(ns, verticalMode: "autonomous", horizontalMode: "recommendation");
        await app.SyncTickAsync();
        var key = new TargetKey(ns, "web");
        await app.ApplyVerticalAsync(key);
        await app.SeedHistoryAsync(uid);
        return (ns, key, uid);
    }

    private Task<HttpResponseMessage> DeleteAsync(string ns, string name = "web") =>
        app.Http.DeleteAsync(new Uri($"/api/targets/{ns}/{name}", UriKind.Relative));

    [Fact]
    public async Task Delete_AppliedTarget_LeavesNoRowOrBlobOfTheUidAndTheAstIsGone()
    {
        var (ns, key, uid) = await AppliedWithHistoryAsync();

        var response = await DeleteAsync(ns);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(await app.ReadTargetAsync(ns));
        Assert.Null(await app.Enrollment.GetAsync(key, CancellationToken.None));
        Assert.Equal(0, await app.HistoryCountAsync(uid));
    }

    [Fact]
    public async Task Delete_AppliedTarget_RestartsTheWorkloadToItsControllerSpec()
    {
        var (ns, _, _) = await AppliedWithHistoryAsync();
        var before = (await app.PodsAsync(ns)).Select(p => p.Metadata.Name).ToList();

        var body = await (await DeleteAsync(ns)).Content.ReadFromJsonAsync<JsonElement>();

        Assert.True(body.GetProperty("revert").GetProperty("restarted").GetBoolean());
        var after = await app.PodsAsync(ns);
        Assert.Empty(after.Select(p => p.Metadata.Name).Intersect(before));
        Assert.All(after, p => Assert.Equal("250m", p.Spec.Containers.Single().Resources.Requests["cpu"].ToString()));
    }

    [Fact]
    public async Task Delete_Target_LeavesOtherTargetsHistoryAlone()
    {
        var (ns, _, _) = await AppliedWithHistoryAsync();
        var otherUid = Guid.NewGuid().ToString();
        await app.SeedHistoryAsync(otherUid);

        await DeleteAsync(ns);

        Assert.Equal(3, await app.HistoryCountAsync(otherUid));
    }

    [Fact]
    public async Task Delete_Target_IsAuditedOnceWithTheActor()
    {
        var (ns, _, uid) = await AppliedWithHistoryAsync();

        await app.Http.SendAsync(new HttpRequestMessage(HttpMethod.Delete, $"/api/targets/{ns}/web") { Content = JsonContent.Create(new { actor = "bob", reason = "retired" }) });

        var audit = Assert.Single(await app.AuditAsync(uid), r => r.Action == "unenroll");
        Assert.Equal(("bob", "retired"), (audit.Actor, audit.Reason));
    }

    [Fact]
    public async Task KubectlDeleteAst_NextSyncTick_CleansUpAndRemovesTheFinalizer()
    {
        var (ns, key, uid) = await AppliedWithHistoryAsync();
        var before = (await app.PodsAsync(ns)).Select(p => p.Metadata.Name).ToList();

        await app.KubectlOkAsync("delete", "ast", "web", "-n", ns, "--wait=false");
        var waiting = await app.ReadTargetAsync(ns);
        await app.SyncTickAsync();

        Assert.NotNull(waiting!["metadata"]!["deletionTimestamp"]);
        Assert.Null(await app.ReadTargetAsync(ns));
        Assert.Null(await app.Enrollment.GetAsync(key, CancellationToken.None));
        Assert.Equal(0, await app.HistoryCountAsync(uid));
        Assert.Empty((await app.PodsAsync(ns)).Select(p => p.Metadata.Name).Intersect(before));
        Assert.Equal("cluster", Assert.Single(await app.AuditAsync(uid), r => r.Action == "unenroll").Actor);
    }

    [Fact]
    public async Task Delete_CrashBetweenCleanupSteps_NextSyncTickFinishesIt()
    {
        var (ns, key, uid) = await AppliedWithHistoryAsync();
        await app.ApplyHorizontalAsync(key, original: 2, floor: 6);
        // The revert restarts the workload, then the API server fails restoring the HPA (a 503 for the caller, who may
        // retry): purge, audit and finalizer are not reached.
        app.Sandbox.Faults.FailNext("PATCH", $"/apis/autoscaling/v2/namespaces/{ns}/horizontalpodautoscalers/web");

        var crashed = await DeleteAsync(ns);
        var halfDone = await app.ReadTargetAsync(ns);
        var historyAfterCrash = await app.HistoryCountAsync(uid);
        await app.SyncTickAsync();

        Assert.Equal(HttpStatusCode.ServiceUnavailable, crashed.StatusCode);
        Assert.Equal((true, 3), (halfDone?["metadata"]?["deletionTimestamp"] is not null, historyAfterCrash));
        Assert.Null(await app.ReadTargetAsync(ns));
        Assert.Null(await app.Enrollment.GetAsync(key, CancellationToken.None));
        Assert.Equal(0, await app.HistoryCountAsync(uid));
        Assert.Equal(2, (await app.Cluster.AutoscalingV2.ReadNamespacedHorizontalPodAutoscalerAsync("web", ns)).Spec.MinReplicas);
    }

    [Fact]
    public async Task DeleteAndRecreate_SameName_IsAFreshTargetWithNoHistory()
    {
        var (ns, _, oldUid) = await AppliedWithHistoryAsync();
        await app.KubectlOkAsync("delete", "ast", "web", "-n", ns, "--wait=false");
        await app.SyncTickAsync();

        var newUid = await app.CreateTargetAsync(ns, verticalMode: "recommendation");
        await app.SyncTickAsync();
        var body = await app.Http.GetFromJsonAsync<JsonElement>(new Uri($"/api/targets/{ns}/web", UriKind.Relative));

        Assert.NotEqual(oldUid, newUid);
        Assert.Equal((newUid, "recommendation", false), (
            body.GetProperty("uid").GetString(), body.GetProperty("verticalMode").GetString(),
            body.GetProperty("suggestionsApplied").GetProperty("vertical").GetBoolean()));
        Assert.Equal(0, await app.HistoryCountAsync(oldUid));
        Assert.Equal(["enroll"], (await app.AuditAsync(newUid)).Select(r => r.Action));
    }

}
