using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Functions.Hosting;
using Thoras.Sandbox;
using Thoras.Sandbox.Seeding;
using Thoras.TestSupport.Storage;

namespace Thoras.Functions.Tests.Forecasting;

/// <summary>
/// One test's world for the usage pipeline: a sandbox API server with the AIScaleTarget CRD and trace-driven pods,
/// fresh Azurite tables and blobs, and the app's real service registration pointed at both. The sandbox and the app
/// share one <see cref="FakeTimeProvider"/>, so a test moves time instead of waiting.
/// </summary>
public sealed class PipelineWorld : IAsyncDisposable
{
    public const string Namespace = "shop";

    /// <summary>A trace column of Azure VM CPU (percent of the request).</summary>
    public const string CpuTrace = "trace:azure-vm-2017/cpu_avg_50vms.csv#1633748";

    private PipelineWorld(SandboxServer sandbox, ServiceProvider services, FakeTimeProvider time)
    {
        Sandbox = sandbox;
        Services = services;
        Time = time;
        Client = sandbox.CreateClient();
    }

    /// <summary>The start of the test clock: midnight, so blocks are aligned.</summary>
    public static DateTimeOffset Start { get; } = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    public SandboxServer Sandbox { get; }

    public ServiceProvider Services { get; }

    public FakeTimeProvider Time { get; }

    public IKubernetes Client { get; }

    public CollectStage Collect => Services.GetRequiredService<CollectStage>();

    public ForecastStage Forecast => Services.GetRequiredService<ForecastStage>();

    public IUsageStore Usage => Services.GetRequiredService<IUsageStore>();

    public IModelStore Models => Services.GetRequiredService<IModelStore>();

    public ISuggestionHistory History => Services.GetRequiredService<ISuggestionHistory>();

    public ITargetCluster Targets => Services.GetRequiredService<ITargetCluster>();

    public static async Task<PipelineWorld> StartAsync(AzuriteFixture azurite)
    {
        var time = new FakeTimeProvider(Start);
        var sandbox = await SandboxServer.StartAsync(new SandboxOptions { TimeProvider = time });
        await sandbox.Seed.ApplyFileAsync(Thoras.TestSupport.Kubernetes.SandboxClusterFixture.CrdPath);
        await sandbox.Seed.NamespaceAsync(Namespace);
        await sandbox.Seed.NamespaceAsync("thoras");

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = azurite.NewNames().Prefix,
            ["Kubernetes:Mode"] = "url",
            ["Kubernetes:ClusterUrl"] = sandbox.BaseUrl.ToString(),
        }).Build();
        var services = new ServiceCollection()
            .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning))
            .AddThorasFunctions(configuration)
            .AddSingleton<TimeProvider>(time)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
        return new PipelineWorld(sandbox, services, time);
    }

    /// <summary>A Deployment <c>web</c> with container <c>app</c> (500m/256Mi requests, 2/1Gi limits) replaying <see cref="CpuTrace"/>.</summary>
    public Task DeployAsync(int replicas) =>
        Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(Namespace, "web").WithReplicas(replicas)
            .WithContainer("app", "500m", "256Mi", "2", "1Gi").WithCpuUsage(CpuTrace).Build());

    public async Task ScaleAsync(int replicas)
    {
        var patch = new V1Patch($"{{\"spec\":{{\"replicas\":{replicas}}}}}", V1Patch.PatchType.MergePatch);
        await Client.AppsV1.PatchNamespacedDeploymentAsync(patch, "web", Namespace);
    }

    /// <summary>Creates an AIScaleTarget <c>web</c> scaling the Deployment vertically, and returns it as the app reads it.</summary>
    public async Task<AIScaleTarget> CreateVerticalTargetAsync(string mode, string minLookback = "2h")
    {
        var body = new JsonObject
        {
            ["apiVersion"] = "thoras.ai/v1",
            ["kind"] = "AIScaleTarget",
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = Namespace },
            ["spec"] = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web" },
                ["model"] = new JsonObject { ["min_lookback_to_scale"] = minLookback },
                ["vertical"] = new JsonObject { ["mode"] = mode, ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
            },
        };
        await Client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(body, "thoras.ai", "v1", Namespace, "aiscaletargets");
        return (await Targets.GetAsync(new TargetKey(Namespace, "web"), CancellationToken.None))!;
    }

    /// <summary>Stores <paramref name="hours"/> of complete 5-minute blocks before now for the container's CPU and memory: a daily wave.</summary>
    public async Task SeedHistoryAsync(AIScaleTarget target, double hours)
    {
        var count = (int)(hours * 12);
        var now = Time.GetUtcNow();
        var blocks = Enumerable.Range(0, count).Select(i => now.AddMinutes(-5 * (count - i))).ToList();
        double Wave(DateTimeOffset at) => 1 + (0.5 * Math.Sin(at.TimeOfDay.TotalHours / 24 * 2 * Math.PI));
        await Usage.AppendAsync(target.Metadata.Uid, UsageSeries.Container("app", UsageSeries.Cpu),
            blocks.Select(at => new UsageBlock(at, 0.2 * Wave(at), 0.15 * Wave(at), 5)).ToList(), CancellationToken.None);
        await Usage.AppendAsync(target.Metadata.Uid, UsageSeries.Container("app", UsageSeries.Memory),
            blocks.Select(at => new UsageBlock(at, 200e6 * Wave(at), 180e6 * Wave(at), 5)).ToList(), CancellationToken.None);
    }

    public async Task<TargetStatus> StatusAsync() =>
        (await Targets.GetAsync(new TargetKey(Namespace, "web"), CancellationToken.None))!.Status;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Services.DisposeAsync();
        await Sandbox.DisposeAsync();
    }

}
