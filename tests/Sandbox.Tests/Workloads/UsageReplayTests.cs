using System.Globalization;
using k8s;
using Microsoft.Extensions.Time.Testing;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Usage;
using Thoras.Sandbox.Tests.Support;

namespace Thoras.Sandbox.Tests.Workloads;

/// <summary>Usage replay and OOM kills, on a sandbox whose clock the test moves.</summary>
public sealed class UsageReplayTests : IAsyncLifetime
{
    private readonly FakeTimeProvider time = new(new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero));
    private SandboxServer sandbox = null!;
    private IKubernetes client = null!;

    public async Task InitializeAsync()
    {
        sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, SpeedUp = 60, TracesDirectory = TestPaths.Traces });
        client = sandbox.CreateClient();
        await sandbox.Seed.NamespaceAsync("apps");
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await sandbox.DisposeAsync();
    }

    private static double[] Column(string file, int column) =>
        File.ReadLines(Path.Combine(TestPaths.Traces, file)).Skip(1).Take(3)
            .Select(l => double.Parse(l.Split(',')[column], CultureInfo.InvariantCulture)).ToArray();

    private async Task<decimal> CpuCoresAsync()
    {
        var metrics = await client.GetKubernetesPodsMetricsByNamespaceAsync("apps");
        return Assert.Single(metrics.Items).Containers.Single().Usage["cpu"].ToDecimal();
    }

    [Fact]
    public async Task PodMetrics_MultiColumnTrace_FollowsTraceAsSimulatedTimePasses()
    {
        var expected = Column("azure-vm-2017/cpu_avg_50vms.csv", 1);
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "2", memoryRequest: "1Gi")
            .WithCpuUsage("trace:azure-vm-2017/cpu_avg_50vms.csv#1633748").Build());

        var first = await CpuCoresAsync();
        time.Advance(TimeSpan.FromSeconds(5));
        var second = await CpuCoresAsync();

        Assert.Equal((decimal)(expected[0] / 100 * 2), first, 6);
        Assert.Equal((decimal)(expected[1] / 100 * 2), second, 6);
    }

    [Fact]
    public async Task PodMetrics_TimestampValueTraceWithFactor_ScalesToRequests()
    {
        var expected = Column("nab/ec2_cpu_utilization_24ae8d.csv", 1);
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "500m")
            .WithUsage("trace:nab/ec2_cpu_utilization_24ae8d.csv*100").Build());

        var usage = await CpuCoresAsync();

        Assert.Equal((decimal)(expected[0] / 100 * 100 * 0.5), usage, 6);
    }

    [Fact]
    public async Task PodMetrics_NoUsageSource_ReportsHalfOfRequests()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "400m", memoryRequest: "256Mi").Build());

        var metrics = await client.GetKubernetesPodsMetricsByNamespaceAsync("apps");

        var usage = Assert.Single(metrics.Items).Containers.Single().Usage;
        Assert.Equal(0.2m, usage["cpu"].ToDecimal());
        Assert.Equal(128m * 1024 * 1024, usage["memory"].ToDecimal());
    }

    [Fact]
    public async Task Pod_MemoryAboveLimit_IsOomKilledOncePerSample()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web")
            .WithContainer("app", cpuRequest: "100m", memoryRequest: "100Mi", memoryLimit: "120Mi")
            .WithMemoryUsage("ratio:1.5").Build());

        var afterFirst = Assert.Single((await client.CoreV1.ListNamespacedPodAsync("apps")).Items).Status.ContainerStatuses[0];
        time.Advance(TimeSpan.FromSeconds(1));
        var afterSecond = Assert.Single((await client.CoreV1.ListNamespacedPodAsync("apps")).Items).Status.ContainerStatuses[0];

        Assert.Equal(1, afterFirst.RestartCount);
        Assert.Equal("OOMKilled", afterFirst.LastState.Terminated.Reason);
        Assert.Equal(137, afterFirst.LastState.Terminated.ExitCode);
        Assert.Equal(2, afterSecond.RestartCount);
    }

    [Fact]
    public async Task Pod_MemoryBelowLimit_IsNotRestarted()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web")
            .WithContainer("app", cpuRequest: "100m", memoryRequest: "100Mi", memoryLimit: "200Mi")
            .WithMemoryUsage("ratio:1.5").Build());
        time.Advance(TimeSpan.FromSeconds(10));

        var status = Assert.Single((await client.CoreV1.ListNamespacedPodAsync("apps")).Items).Status.ContainerStatuses[0];

        Assert.Equal(0, status.RestartCount);
    }

    [Fact]
    public async Task PodMetrics_WithinWarmup_LeavesNewPodOut()
    {
        await using var warm = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time, MetricsWarmup = TimeSpan.FromMinutes(1) });
        using var warmClient = warm.CreateClient();
        await warm.Seed.ApplyAsync(WorkloadBuilder.Deployment("default", "web").WithContainer("app", cpuRequest: "100m").Build());

        var early = await warmClient.GetKubernetesPodsMetricsByNamespaceAsync("default");
        time.Advance(TimeSpan.FromMinutes(1));
        var later = await warmClient.GetKubernetesPodsMetricsByNamespaceAsync("default");

        Assert.Empty(early.Items);
        Assert.Single(later.Items);
    }

    private async Task<string> PodNameAsync() => Assert.Single((await client.CoreV1.ListNamespacedPodAsync("apps")).Items).Metadata.Name;

    private async Task<k8s.Models.V1ContainerStatus> ContainerStatusAsync() =>
        Assert.Single((await client.CoreV1.ListNamespacedPodAsync("apps")).Items).Status.ContainerStatuses[0];

    [Fact]
    public async Task ResizePod_HalvedCpuRequest_LeavesReportedUsageWhereItWas()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "1", memoryRequest: "256Mi")
            .WithUsage("ratio:0.6").Build());
        var before = await CpuCoresAsync();

        await client.CoreV1.PatchNamespacedPodResizeAsync(Patch.Strategic("""{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"500m"}}}]}}"""),
            await PodNameAsync(), "apps");
        var after = await CpuCoresAsync();

        Assert.Equal((0.6m, 0.6m), (before, after));
    }

    [Fact]
    public async Task DeploymentTemplate_RequestsChanged_NewPodsKeepTheOriginalDemand()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "1", memoryRequest: "256Mi")
            .WithUsage("ratio:0.6").Build());

        await client.AppsV1.PatchNamespacedDeploymentAsync(Patch.Strategic(
            """{"spec":{"template":{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"250m"}}}]}}}}"""), "web", "apps");

        Assert.Equal(0.6m, await CpuCoresAsync());
    }

    [Fact]
    public async Task PodMetrics_ExplicitUsageScale_ScalesTheTraceToIt()
    {
        var workload = WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "100m", memoryRequest: "256Mi").WithUsage("ratio:0.5").Build();
        workload["metadata"]!["annotations"]![UsageAnnotations.Scale] = """{"app":{"cpu":"3","memory":"1Gi"}}""";

        await sandbox.Seed.ApplyAsync(workload);

        Assert.Equal(1.5m, await CpuCoresAsync());
    }

    [Fact]
    public async Task PodMetrics_CpuDemandAboveTheLimit_IsThrottledAtTheLimit()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "500m", memoryRequest: "256Mi", cpuLimit: "600m")
            .WithCpuUsage("ratio:2").Build());

        Assert.Equal(0.6m, await CpuCoresAsync());
    }

    [Fact]
    public async Task ResizePod_MemoryLimitBelowDemand_IsOomKilledAtOnceAndRestartedWithTheNewLimit()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "512Mi")
            .WithMemoryUsage("ratio:1.5").Build());
        var before = await ContainerStatusAsync();

        await client.CoreV1.PatchNamespacedPodResizeAsync(Patch.Strategic("""{"spec":{"containers":[{"name":"app","resources":{"limits":{"memory":"300Mi"}}}]}}"""),
            await PodNameAsync(), "apps");
        var after = await ContainerStatusAsync();

        Assert.Equal(0, before.RestartCount);
        Assert.Equal((1, "OOMKilled", "300Mi"), (after.RestartCount, after.LastState.Terminated.Reason, after.Resources.Limits["memory"].ToString()));
    }

    [Fact]
    public async Task KubectlResize_HalvedCpuRequest_TopPodShowsTheSameUsage()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "1", memoryRequest: "256Mi")
            .WithUsage("ratio:0.6").Build());
        using var kubectl = new Support.Kubectl(sandbox);
        var pod = await PodNameAsync();
        var before = await kubectl.OkAsync("top", "pod", pod, "-n", "apps", "--no-headers");

        await kubectl.OkAsync("patch", "pod", pod, "-n", "apps", "--subresource", "resize", "-p",
            """{"spec":{"containers":[{"name":"app","resources":{"requests":{"cpu":"500m"}}}]}}""");
        var after = await kubectl.OkAsync("top", "pod", pod, "-n", "apps", "--no-headers");

        Assert.Matches($@"^{pod}\s+600m\s", before);
        Assert.Equal(before, after);
    }

    [Fact]
    public async Task KubectlResize_MemoryLimitBelowDemand_ShowsAnOomKilledRestart()
    {
        await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("apps", "web").WithContainer("app", cpuRequest: "100m", memoryRequest: "256Mi", memoryLimit: "512Mi")
            .WithMemoryUsage("ratio:1.5").Build());
        using var kubectl = new Support.Kubectl(sandbox);
        var pod = await PodNameAsync();

        await kubectl.OkAsync("patch", "pod", pod, "-n", "apps", "--subresource", "resize", "-p",
            """{"spec":{"containers":[{"name":"app","resources":{"limits":{"memory":"300Mi"}}}]}}""");
        var status = await kubectl.OkAsync("get", "pod", pod, "-n", "apps", "-o",
            "jsonpath={.status.containerStatuses[0].lastState.terminated.reason} {.status.containerStatuses[0].restartCount} {.status.containerStatuses[0].resources.limits.memory}");

        Assert.Equal("OOMKilled 1 300Mi", status);
    }
}
