using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Storage.Queues;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Thoras.Cli.Bench;
using Thoras.Cli.LocalHost;
using Thoras.Domain.Fanout;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Targets;
using Thoras.Functions.Http;
using Thoras.Infrastructure.Storage.Queues;
using Thoras.Sandbox;
using Thoras.Sandbox.Seeding;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Cli.Tests.Fanout;

/// <summary>
/// The app's queue functions as the local host runs them: the Functions assembly with its one registration over the
/// sandbox (with the chart's CRD) and Azurite, queue names of its own, timers off (a test runs them), two queue workers
/// per function, fast polling, three deliveries before a message is poisoned. Each test takes its own namespace.
/// </summary>
public sealed class FanoutHostFixture : IAsyncLifetime
{
    private readonly AzuriteFixture azurite = new();
    private readonly string keyPath = Path.Combine(Path.GetTempPath(), "thoras-key-" + Guid.NewGuid().ToString("N"));
    private readonly string suffix = Guid.NewGuid().ToString("N")[..10];
    private WebApplication? app;

    public SandboxServer Sandbox { get; private set; } = null!;

    public IKubernetes Cluster { get; private set; } = null!;

    public IServiceProvider Services => app!.Services;

    public WorkQueueNames Queues => Services.GetRequiredService<WorkQueueNames>();

    public async Task InitializeAsync()
    {
        await azurite.InitializeAsync();
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { AdmissionTimeout = TimeSpan.FromSeconds(1) });
        await Sandbox.Seed.ApplyFileAsync(Thoras.TestSupport.Kubernetes.SandboxClusterFixture.CrdPath);
        Cluster = Sandbox.CreateClient();
        var options = new LocalHostOptions
        {
            Port = 0, FunctionKeyPath = keyPath, RunTimers = false, QueueWorkers = 2, FunctionsAssembly = typeof(HealthFunction).Assembly,
            Queues = new QueueHostOptions { BatchSize = 4, NewBatchThreshold = 2, MaxDequeueCount = 3, MaxPollingInterval = TimeSpan.FromMilliseconds(300) },
        };
        app = LocalFunctionHost.Build(options, [], builder => builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = azurite.ConnectionString,
            ["Storage:TablePrefix"] = azurite.NewNames().Prefix,
            ["Kubernetes:Mode"] = "url",
            ["Kubernetes:ClusterUrl"] = Sandbox.BaseUrl.ToString(),
            ["CollectQueue"] = "collect-" + suffix,
            ["ForecastQueue"] = "forecast-" + suffix,
            ["ApplyQueue"] = "apply-" + suffix,
        }));
        await app.StartAsync();
    }

    public async Task DisposeAsync()
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }

        Cluster?.Dispose();
        if (Sandbox is not null)
            await Sandbox.DisposeAsync();
        File.Delete(keyPath);
    }

    /// <summary>A queue of this host's storage account, created if missing.</summary>
    public async Task<QueueClient> QueueAsync(string name)
    {
        var queue = azurite.Queues.GetQueueClient(name);
        await queue.CreateIfNotExistsAsync();
        return queue;
    }

    /// <summary>Puts <paramref name="batch"/> on <paramref name="queue"/> as the coordinators do.</summary>
    public async Task SendAsync(string queue, TargetBatch batch) =>
        await (await QueueAsync(queue)).SendMessageAsync(new BinaryData(TargetBatches.Serialize(batch)));

    /// <summary>A new namespace with Deployment <c>web</c> (2 pods) and an autonomous vertical AIScaleTarget <c>web</c>; returns the target's UID.</summary>
    public async Task<(string Namespace, string Uid)> NewTargetAsync()
    {
        var ns = "fo-" + Guid.NewGuid().ToString("N")[..8];
        await Sandbox.Seed.NamespaceAsync(ns);
        await Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(2).WithContainer("app", "250m", "256Mi").Build());
        var spec = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web" },
            ["vertical"] = new JsonObject { ["mode"] = "autonomous", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app" }) },
        };
        var created = await Cluster.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            Manifests.CustomObject("thoras.ai/v1", "AIScaleTarget", ns, "web", spec), "thoras.ai", "v1", ns, "aiscaletargets");
        return (ns, created.GetProperty("metadata").GetProperty("uid").GetString()!);
    }

    /// <summary>Publishes a vertical suggestion for container <c>app</c> as the forecast stage does; returns its UID.</summary>
    public async Task<string> PublishAsync(string ns, string uid, string cpu)
    {
        var suggestion = new Suggestion
        {
            SuggestionUID = Guid.NewGuid().ToString(),
            Start = DateTimeOffset.UtcNow,
            End = DateTimeOffset.UtcNow.AddMinutes(15),
            HasEnoughDataToScale = true,
            ResourceRecommendations = [new ResourceRecommendation { ContainerName = "app", Requests = new ResourceAmounts { Cpu = Quantity.Parse(cpu) } }],
        };
        await Services.GetRequiredService<ITargetCluster>().UpdateStatusAsync(new TargetKey(ns, "web"), uid, s => s with { LatestSuggestion = suggestion }, CancellationToken.None);
        return suggestion.SuggestionUID;
    }

    /// <summary>Runs timer <paramref name="name"/> once, as its schedule would.</summary>
    public async Task RunTimerAsync(string name)
    {
        var timer = Services.GetRequiredService<FunctionCatalog>().Timers.Single(t => t.Name == name);
        await Services.GetRequiredService<FunctionInvoker>().InvokeTimerAsync(Services, timer, isPastDue: false, CancellationToken.None);
    }

    /// <summary>
    /// Stores <paramref name="days"/> of complete 5-minute usage blocks up to now for target <paramref name="uid"/>'s
    /// container <c>app</c> (CPU and memory, the series a vertical target is forecast from), as collect would have.
    /// </summary>
    public async Task StoreUsageAsync(string uid, double days)
    {
        var usage = Services.GetRequiredService<IUsageStore>();
        foreach (var series in new[] { UsageSeries.Container("app", UsageSeries.Cpu), UsageSeries.Container("app", UsageSeries.Memory) })
            await usage.AppendAsync(uid, series, PassWorld.History(uid + series, days, DateTimeOffset.UtcNow), CancellationToken.None);
    }

    /// <summary>The target's latest suggestion's UID, or null.</summary>
    public async Task<string?> LatestSuggestionAsync(string ns)
    {
        var read = await Cluster.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets", "web");
        return JsonNode.Parse(read.GetRawText())?["status"]?["latestSuggestion"]?["suggestionUID"]?.GetValue<string>();
    }

    /// <summary>The target's condition of <paramref name="type"/>, or null.</summary>
    public async Task<JsonNode?> ConditionAsync(string ns, string type)
    {
        var read = await Cluster.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets", "web");
        var conditions = JsonNode.Parse(read.GetRawText())?["status"]?["conditions"] as JsonArray ?? [];
        return conditions.FirstOrDefault(c => c?["type"]?.GetValue<string>() == type);
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing after <paramref name="seconds"/> (default 60 s).</summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, int seconds = 60)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(seconds);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {seconds} s");
            await Task.Delay(200);
        }
    }
}
