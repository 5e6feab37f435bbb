using k8s;
using k8s.Models;
using Thoras.Domain.Pause;
using Thoras.Infrastructure.Kubernetes;
using Thoras.Sandbox.Seeding;
using Thoras.TestSupport.Kubernetes;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes;

public sealed class ConfigMapPauseMirrorTests(SandboxClusterFixture cluster) : IClassFixture<SandboxClusterFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private static PauseState Paused(long revision = 1) =>
        PauseState.Running.Pause("alice", "deploy freeze", Now).After with { Revision = revision };

    private async Task<(ConfigMapPauseMirror Mirror, string Namespace)> NewMirrorAsync()
    {
        var ns = await cluster.NewNamespaceAsync("thoras");
        return (new ConfigMapPauseMirror(cluster.Client, new PauseMirrorOptions { ControlPlaneNamespace = ns }), ns);
    }

    private Task<V1ConfigMap> ReadConfigMapAsync(string ns) =>
        cluster.Client.CoreV1.ReadNamespacedConfigMapAsync(ConfigMapPauseMirror.ConfigMapName, ns);

    private Task<V1ConfigMap> EditDataAsync(string ns, string yaml) =>
        cluster.Client.CoreV1.PatchNamespacedConfigMapAsync(
            new V1Patch(new { data = new Dictionary<string, string> { [ConfigMapPauseMirror.DataKey] = yaml } }, V1Patch.PatchType.MergePatch),
            ConfigMapPauseMirror.ConfigMapName,
            ns);

    [Fact]
    public async Task ReadAsync_ConfigMapMissing_IsNotPaused()
    {
        var (mirror, _) = await NewMirrorAsync();

        var observed = await mirror.ReadAsync(CancellationToken.None);

        Assert.Equal(MirrorObservation.Missing, observed);
    }

    [Fact]
    public async Task WriteAsync_ConfigMapMissing_CreatesItWithScalingPausedAndWhoWhenWhy()
    {
        var (mirror, ns) = await NewMirrorAsync();

        await mirror.WriteAsync(Paused(), MirrorWriteMode.WriteThrough, CancellationToken.None);
        var configMap = await ReadConfigMapAsync(ns);

        Assert.Equal("scaling-paused: true\n", configMap.Data[ConfigMapPauseMirror.DataKey]);
        var annotations = configMap.Metadata.Annotations;
        Assert.Equal("alice", annotations[ConfigMapPauseMirror.ChangedByAnnotation]);
        Assert.Equal("2026-06-02T12:00:00Z", annotations[ConfigMapPauseMirror.ChangedAtAnnotation]);
        Assert.Equal("deploy freeze", annotations[ConfigMapPauseMirror.ReasonAnnotation]);
        Assert.Equal("manual", annotations[ConfigMapPauseMirror.HoldersAnnotation]);
        Assert.Equal(new MirrorObservation(true, true, true, 1), await mirror.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_Pause_RestartsNoPod()
    {
        var (mirror, ns) = await NewMirrorAsync();
        await cluster.Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(2).WithContainer("app", "250m", "256Mi").Build());
        var before = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns);

        await mirror.WriteAsync(Paused(), MirrorWriteMode.WriteThrough, CancellationToken.None);
        var after = await cluster.Client.CoreV1.ListNamespacedPodAsync(ns);

        Assert.Equal(2, before.Items.Count);
        Assert.Equal(
            before.Items.Select(p => (p.Metadata.Uid, p.Metadata.ResourceVersion)).Order(),
            after.Items.Select(p => (p.Metadata.Uid, p.Metadata.ResourceVersion)).Order());
    }

    [Fact]
    public async Task WriteAsync_ExistingYamlWithOtherKeys_KeepsThem()
    {
        var (mirror, ns) = await NewMirrorAsync();
        await cluster.Sandbox.Seed.ApplyAsync(Manifests.ConfigMap(ns, ConfigMapPauseMirror.ConfigMapName, new Dictionary<string, string>
        {
            [ConfigMapPauseMirror.DataKey] = "log-level: debug\nscaling-paused: false\n",
            ["other.yaml"] = "x: 1\n",
        }));

        await mirror.WriteAsync(Paused(), MirrorWriteMode.WriteThrough, CancellationToken.None);
        var configMap = await ReadConfigMapAsync(ns);

        Assert.Equal("log-level: debug\nscaling-paused: true\n", configMap.Data[ConfigMapPauseMirror.DataKey]);
        Assert.Equal("x: 1\n", configMap.Data["other.yaml"]);
    }

    [Fact]
    public async Task WriteAsync_WriteThroughOfAnOlderRevision_DoesNotRollBack()
    {
        var (mirror, ns) = await NewMirrorAsync();
        await mirror.WriteAsync(PauseState.Running with { Revision = 5 }, MirrorWriteMode.WriteThrough, CancellationToken.None);

        await mirror.WriteAsync(Paused(revision: 4), MirrorWriteMode.WriteThrough, CancellationToken.None);

        Assert.Equal(new MirrorObservation(true, false, false, 5), await mirror.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task WriteAsync_WriteThroughOverAnUnadoptedEdit_LeavesTheEditForTheSync()
    {
        var (mirror, ns) = await NewMirrorAsync();
        await mirror.WriteAsync(PauseState.Running with { Revision = 1 }, MirrorWriteMode.WriteThrough, CancellationToken.None);
        await EditDataAsync(ns, "scaling-paused: true\n");

        await mirror.WriteAsync(PauseState.Running with { Revision = 2 }, MirrorWriteMode.WriteThrough, CancellationToken.None);
        var observed = await mirror.ReadAsync(CancellationToken.None);

        Assert.True(observed.IsDirectEdit);
        Assert.True(observed.ScalingPaused);
    }

    [Fact]
    public async Task WriteAsync_Reconcile_OverwritesAStaleOrEditedMirror()
    {
        var (mirror, ns) = await NewMirrorAsync();
        await mirror.WriteAsync(PauseState.Running with { Revision = 9 }, MirrorWriteMode.WriteThrough, CancellationToken.None);
        await EditDataAsync(ns, "scaling-paused: true\n");

        await mirror.WriteAsync(Paused(revision: 3), MirrorWriteMode.Reconcile, CancellationToken.None);

        Assert.Equal(new MirrorObservation(true, true, true, 3), await mirror.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_DirectEditToPaused_IsSeenAsAnEdit()
    {
        var (mirror, ns) = await NewMirrorAsync();
        await mirror.WriteAsync(PauseState.Running with { Revision = 1 }, MirrorWriteMode.WriteThrough, CancellationToken.None);

        await EditDataAsync(ns, "scaling-paused: true\n");
        var observed = await mirror.ReadAsync(CancellationToken.None);

        Assert.Equal(new MirrorObservation(true, true, false, 1), observed);
        Assert.True(observed.IsDirectEdit);
    }

    [Fact]
    public async Task ReadAsync_ValueNotABoolean_Throws()
    {
        var (mirror, ns) = await NewMirrorAsync();
        await mirror.WriteAsync(Paused(), MirrorWriteMode.WriteThrough, CancellationToken.None);
        await EditDataAsync(ns, "scaling-paused: maybe\n");

        await Assert.ThrowsAsync<InvalidDataException>(() => mirror.ReadAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ReadAsync_ApiServerFailing_Throws()
    {
        var (mirror, ns) = await NewMirrorAsync();
        cluster.Sandbox.Faults.FailNext("GET", $"/api/v1/namespaces/{ns}/configmaps/*", 1, 500);

        await Assert.ThrowsAnyAsync<Exception>(() => mirror.ReadAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("log-level: debug\n", false)]
    [InlineData("scaling-paused: true\n", true)]
    [InlineData("scaling-paused: True\n", true)]
    [InlineData("scaling-paused: false\n", false)]
    public void ReadPaused_Yaml_GivesTheFlag(string? yaml, bool expected)
    {
        Assert.Equal(expected, ConfigMapPauseMirror.ReadPaused(yaml));
    }

    [Theory]
    [InlineData("scaling-paused: [true]\n")]
    [InlineData("scaling-paused: yes\n")]
    [InlineData("- scaling-paused\n")]
    [InlineData("scaling-paused: {\n")]
    public void ReadPaused_InvalidYaml_Throws(string yaml)
    {
        Assert.Throws<InvalidDataException>(() => ConfigMapPauseMirror.ReadPaused(yaml));
    }
}
