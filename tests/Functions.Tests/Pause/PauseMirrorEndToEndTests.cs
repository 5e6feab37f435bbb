using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.AspNetCore.Mvc;
using Moq;
using Thoras.Domain.Pause;
using Thoras.Functions.Pause;
using Thoras.Functions.Sync;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Infrastructure.Storage;
using Thoras.Sandbox.Seeding;
using Thoras.TestSupport.Kubernetes;
using Thoras.TestSupport.Storage;
using Xunit;
using static Thoras.Functions.Tests.Pause.PauseHarness;

namespace Thoras.Functions.Tests.Pause;

/// <summary>The pause functions and sync steps end to end: real Azurite, the real ConfigMap mirror, the sandbox API server over HTTP.</summary>
public sealed class PauseMirrorEndToEndTests(AzuriteFixture azurite, SandboxClusterFixture cluster)
    : IClassFixture<AzuriteFixture>, IClassFixture<SandboxClusterFixture>
{
    private async Task<(PauseHarness Harness, string Namespace, SyncFunction Sync)> NewAsync()
    {
        var ns = await cluster.NewNamespaceAsync("thoras");
        var mirror = new ConfigMapPauseMirror(cluster.Client, new PauseMirrorOptions { ControlPlaneNamespace = ns });
        var h = new PauseHarness(azurite, mirror: mirror);
        var sync = new SyncFunction(
            [new AppSettingPauseSyncStep(h.Service), new MaintenanceWindowSyncStep(h.Service), new PauseMirrorSyncStep(h.Service), new AuditOutboxSyncStep(h.Table)],
            NullLogger<SyncFunction>.Instance);
        return (h, ns, sync);
    }

    private async Task<string> ScalingPausedYamlAsync(string ns) =>
        (await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapPauseMirror.ConfigMapName, ns)).Data[ConfigMapPauseMirror.DataKey];

    private Task<V1ConfigMap> KubectlEditAsync(string ns, string yaml) =>
        cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(new { data = new Dictionary<string, string> { [ConfigMapPauseMirror.DataKey] = yaml } }, V1Patch.PatchType.MergePatch),
            ConfigMapPauseMirror.ConfigMapName,
            ns);

    [Fact]
    public async Task PostPause_ConfigMapShowsScalingPausedAndNoPodRestarts()
    {
        var (h, ns, _) = await NewAsync();
        await cluster.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(2).WithContainer("app", "250m", "256Mi").Build());
        var podsBefore = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns);

        await h.Functions.Pause(Request("POST", "/api/system/pause", """{"reason":"deploy freeze","actor":"alice"}"""));
        var podsAfter = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns);

        Assert.Equal("scaling-paused: true\n", await ScalingPausedYamlAsync(ns));
        Assert.Equal(2, podsBefore.Items.Count);
        Assert.Equal(
            podsBefore.Items.Select(p => (p.Metadata.Uid, p.Metadata.ResourceVersion)).Order(),
            podsAfter.Items.Select(p => (p.Metadata.Uid, p.Metadata.ResourceVersion)).Order());
    }

    [Fact]
    public async Task PostResume_ConfigMapShowsScalingPausedFalse()
    {
        var (h, ns, _) = await NewAsync();
        await h.Functions.Pause(Request("POST", "/api/system/pause", """{"reason":"deploy freeze"}"""));

        await h.Functions.Resume(Request("POST", "/api/system/resume"));

        Assert.Equal("scaling-paused: false\n", await ScalingPausedYamlAsync(ns));
    }

    [Fact]
    public async Task Sync_ConfigMapMissing_CreatesItNotPaused()
    {
        var (_, ns, sync) = await NewAsync();

        var results = await sync.RunStepsAsync(CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded, r.Step + ": " + r.Summary));
        Assert.Equal("scaling-paused: false\n", await ScalingPausedYamlAsync(ns));
    }

    [Fact]
    public async Task Sync_ConfigMapEditedToPaused_IsAdoptedAsConfigMapHolder()
    {
        var (h, ns, sync) = await NewAsync();
        await sync.RunStepsAsync(CancellationToken.None);

        await KubectlEditAsync(ns, "scaling-paused: true\n");
        await sync.RunStepsAsync(CancellationToken.None);
        var state = await h.Table.ReadAsync(CancellationToken.None);
        var configMap = await cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapPauseMirror.ConfigMapName, ns);

        var holder = Assert.Single(state.Holders.Values);
        Assert.Equal(("configmap", "configmap"), (holder.Id, holder.Actor));
        Assert.Equal("configmap", Assert.Single(await h.AuditRecordsAsync()).Actor);
        Assert.Equal("true", configMap.Metadata.Annotations[ConfigMapPauseMirror.WrittenPausedAnnotation]);
        Assert.False((await new ConfigMapPauseMirror(cluster.Client, new PauseMirrorOptions { ControlPlaneNamespace = ns }).ReadAsync(CancellationToken.None)).IsDirectEdit);
    }

    [Fact]
    public async Task Sync_ConfigMapEditedToRunning_ResumesAndTriggersReconcile()
    {
        var (h, ns, sync) = await NewAsync();
        await h.Functions.Pause(Request("POST", "/api/system/pause", """{"reason":"deploy freeze"}"""));

        await KubectlEditAsync(ns, "scaling-paused: false\n");
        await sync.RunStepsAsync(CancellationToken.None);
        var state = await h.Table.ReadAsync(CancellationToken.None);

        Assert.False(state.IsPaused);
        Assert.Equal("configmap", state.ChangedBy);
        h.Reconcile.Verify(r => r.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Sync_ConfigMapEditedToRunningWhileWindowHolds_WritesPausedBack()
    {
        var (h, ns, sync) = await NewAsync();
        await h.Windows.Windows(Request("POST", "/api/system/windows", """{"id":"now","cron":"30 11 * * *","duration":"1h","timeZone":"UTC","reason":"patching"}"""));

        await KubectlEditAsync(ns, "scaling-paused: false\n");
        await sync.RunStepsAsync(CancellationToken.None);

        Assert.Equal(["window:now"], (await h.Table.ReadAsync(CancellationToken.None)).Holders.Keys);
        Assert.Equal("scaling-paused: true\n", await ScalingPausedYamlAsync(ns));
    }

    [Fact]
    public async Task Sync_MirrorWriteFailedDuringPause_RepairsTheConfigMap()
    {
        var (h, ns, sync) = await NewAsync();
        await sync.RunStepsAsync(CancellationToken.None);
        cluster.Sandbox.Faults.FailNext("PUT", $"/api/v1/namespaces/{ns}/configmaps/*", 1, 503);

        var paused = await h.Service.PauseAsync("alice", "incident", CancellationToken.None);
        var staleYaml = await ScalingPausedYamlAsync(ns);
        await sync.RunStepsAsync(CancellationToken.None);

        Assert.NotNull(paused.MirrorError);
        Assert.Equal("scaling-paused: false\n", staleYaml);
        Assert.Equal("scaling-paused: true\n", await ScalingPausedYamlAsync(ns));
        Assert.True((await h.Table.ReadAsync(CancellationToken.None)).IsPaused);
    }

    [Fact]
    public async Task Get_ConfigMapScalingPausedMaybe_PausedNamingTheUnreadableConfigMap()
    {
        var (h, ns, sync) = await NewAsync();
        await sync.RunStepsAsync(CancellationToken.None);
        await KubectlEditAsync(ns, "scaling-paused: maybe\n");

        var result = (OkObjectResult)await h.Functions.Pause(Request("GET", "/api/system/pause"));

        var status = Assert.IsType<PauseStatusView>(result.Value);
        Assert.True(status.Paused);
        var unreadable = Assert.Single(status.Unreadable);
        Assert.Equal($"the pause mirror ConfigMap {ns}/{ConfigMapPauseMirror.ConfigMapName}", unreadable.Source);
        Assert.Contains("scaling-paused must be true or false", unreadable.Error, StringComparison.Ordinal);
        Assert.StartsWith($"the pause mirror ConfigMap {ns}/{ConfigMapPauseMirror.ConfigMapName} cannot be read", status.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gate_MirrorStaleAfterResume_DoesNotApplyUntilSynced()
    {
        var (h, ns, sync) = await NewAsync();
        var mirror = new ConfigMapPauseMirror(cluster.Client, new PauseMirrorOptions { ControlPlaneNamespace = ns });
        var gate = new SuggestionGate(h.Table, mirror, h.Options);
        await h.Service.PauseAsync("alice", "incident", CancellationToken.None);
        cluster.Sandbox.Faults.FailNext("PUT", $"/api/v1/namespaces/{ns}/configmaps/*", 1, 503);

        await h.Service.ResumeAsync("alice", null, force: false, CancellationToken.None);
        var beforeSync = await gate.DecideAsync(CancellationToken.None);
        await sync.RunStepsAsync(CancellationToken.None);
        var afterSync = await gate.DecideAsync(CancellationToken.None);

        Assert.False(beforeSync.MayApply);
        Assert.True(afterSync.MayApply);
    }
}
