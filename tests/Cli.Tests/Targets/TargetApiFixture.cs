using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Thoras.Cli.LocalHost;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Sync;
using Thoras.Domain.Targets;
using Thoras.Functions.Targets;
using Thoras.Infrastructure.Storage;
using Thoras.Infrastructure.Storage.Emulator;
using Thoras.Sandbox;
using Thoras.Sandbox.Seeding;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Cli.Tests.Targets;

/// <summary>
/// The app as it runs: the local function host with the app's one registration, over the sandbox API server (with
/// the chart's CRD) and Azurite. The forecasting stores' <c>Usage</c> table and <c>models</c> container are filled with
/// rows and blobs, so unenroll's purge has real data to delete. Each test takes its own namespace.
/// </summary>
public sealed class TargetApiFixture : IAsyncLifetime
{
    public const string SamplesTable = "Usage";
    public const string ModelsContainer = "models";

    private readonly AzuriteFixture _azurite = new();
    private readonly string _keyPath = Path.Combine(Path.GetTempPath(), "thoras-key-" + Guid.NewGuid().ToString("N"));
    private int _namespaces;
    private WebApplication? _app;

    public SandboxServer Sandbox { get; private set; } = null!;

    public IKubernetes Cluster { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public StorageNames Names { get; private set; } = null!;

    public IServiceProvider Services => _app!.Services;

    public IEnrollmentStore Enrollment => Services.GetRequiredService<IEnrollmentStore>();

    public TableClient Samples => _azurite.Tables.GetTableClient(Names.Table(SamplesTable));

    public BlobContainerClient Models => _azurite.Blobs.GetBlobContainerClient(Names.Container(ModelsContainer));

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        Names = _azurite.NewNames();
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { AdmissionTimeout = TimeSpan.FromSeconds(1) });
        await Sandbox.Seed.ApplyFileAsync(Thoras.TestSupport.Kubernetes.SandboxClusterFixture.CrdPath);
        Cluster = Sandbox.CreateClient();

        var options = new LocalHostOptions { Port = 0, FunctionKeyPath = _keyPath, RunTimers = false, FunctionsAssembly = typeof(TargetFunctions).Assembly };
        _app = LocalFunctionHost.Build(options, [], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = _azurite.ConnectionString,
                ["Storage:TablePrefix"] = Names.Prefix,
                ["Kubernetes:Mode"] = "url",
                ["Kubernetes:ClusterUrl"] = Sandbox.BaseUrl.ToString(),
            });
        });
        await _app.StartAsync();
        Http = new HttpClient { BaseAddress = LocalFunctionHost.BaseAddress(_app) };
        Http.DefaultRequestHeaders.Add("x-functions-key", File.ReadAllText(_keyPath).Trim());
        await _azurite.Tables.CreateTableIfNotExistsAsync(Names.Table(SamplesTable));
        await Models.CreateIfNotExistsAsync();
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        Cluster?.Dispose();
        if (Sandbox is not null)
            await Sandbox.DisposeAsync();
        File.Delete(_keyPath);
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"tg{Interlocked.Increment(ref _namespaces)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Sandbox.Seed.NamespaceAsync(name);
        return name;
    }

    /// <summary>One tick of the sync timer's <c>targets</c> step, as the timer runs it.</summary>
    public Task<string> SyncTickAsync() =>
        Services.GetServices<ISyncStep>().Single(s => s.Name == "targets").RunAsync(CancellationToken.None);

    /// <summary>A Deployment <c>web</c> with one container <c>app</c> requesting 250m CPU and 256Mi memory.</summary>
    public Task SeedDeploymentAsync(string ns, int replicas = 2) =>
        Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(replicas).WithContainer("app", "250m", "256Mi").Build());

    public Task SeedHpaAsync(string ns, int minReplicas) =>
        Sandbox.Seed.ApplyAsync(Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", minReplicas, 10));

    public async Task<string> CreateTargetAsync(string ns, string name = "web", string verticalMode = "autonomous", string? horizontalMode = null)
    {
        var spec = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = "web" },
            ["vertical"] = new JsonObject
            {
                ["mode"] = verticalMode,
                ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["cpu"] = new JsonObject { ["lowerbound"] = "100m" } }),
            },
        };
        if (horizontalMode is not null)
            spec["horizontal"] = new JsonObject { ["mode"] = horizontalMode, ["minReplicas"] = 1, ["maxReplicas"] = 10 };
        var body = new JsonObject
        {
            ["apiVersion"] = "thoras.ai/v1",
            ["kind"] = "AIScaleTarget",
            ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = ns },
            ["spec"] = spec,
        };
        var created = await Cluster.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(body, "thoras.ai", "v1", ns, "aiscaletargets");
        return created.GetProperty("metadata").GetProperty("uid").GetString()!;
    }

    /// <summary>The AST as raw JSON, or null when it is gone.</summary>
    public async Task<JsonObject?> ReadTargetAsync(string ns, string name = "web")
    {
        try
        {
            var read = await Cluster.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets", name);
            return JsonNode.Parse(read.GetRawText())!.AsObject();
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<V1Pod>> PodsAsync(string ns) =>
        (await Cluster.CoreV1.ListNamespacedPodAsync(ns, labelSelector: "app=web")).Items
            .Where(p => p.Metadata.DeletionTimestamp is null)
            .OrderBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// Leaves the state the apply stage leaves after applying a vertical suggestion: every pod resized in place through
    /// the pods/resize subresource, and the baseline saved in the enrollment record.
    /// </summary>
    public async Task ApplyVerticalAsync(TargetKey key, string cpu = "400m", string memory = "384Mi")
    {
        foreach (var pod in await PodsAsync(key.Namespace))
        {
            var patch = new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(new JsonObject
                    {
                        ["name"] = "app",
                        ["resources"] = new JsonObject { ["requests"] = new JsonObject { ["cpu"] = cpu, ["memory"] = memory } },
                    }),
                },
            };
            await Cluster.CoreV1.PatchNamespacedPodResizeAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), pod.Metadata.Name, key.Namespace);
        }

        var record = await Enrollment.GetAsync(key, CancellationToken.None) ?? throw new InvalidOperationException($"{key} is not enrolled");
        await Enrollment.SaveAsync(
            record with
            {
                Vertical = new VerticalBaseline(
                    "sugg-1", DateTimeOffset.UtcNow,
                    [new ContainerResources("app", new ResourceAmounts { Cpu = Quantity.Parse("250m"), Memory = Quantity.Parse("256Mi") }, new ResourceAmounts())],
                    (await PodsAsync(key.Namespace)).Select(p => p.Metadata.Uid).ToList()),
            },
            CancellationToken.None);
    }

    /// <summary>Leaves the state the apply stage leaves after setting a predictive floor on the HPA.</summary>
    public async Task ApplyHorizontalAsync(TargetKey key, int original, int floor)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RevertAnnotations.OriginalMinReplicas] = original.ToString(System.Globalization.CultureInfo.InvariantCulture) } },
            ["spec"] = new JsonObject { ["minReplicas"] = floor },
        };
        await Cluster.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), "web", key.Namespace);
        var record = await Enrollment.GetAsync(key, CancellationToken.None) ?? throw new InvalidOperationException($"{key} is not enrolled");
        await Enrollment.SaveAsync(record with { Horizontal = new HorizontalBaseline("web", original, floor, "sugg-h", DateTimeOffset.UtcNow) }, CancellationToken.None);
    }

    /// <summary>Stores what forecasting keeps per UID: two sample rows and a model blob.</summary>
    public async Task SeedHistoryAsync(string uid)
    {
        await Samples.UpsertEntityAsync(new TableEntity(uid, "0001") { ["Cpu"] = 0.2 });
        await Samples.UpsertEntityAsync(new TableEntity(uid, "0002") { ["Cpu"] = 0.3 });
        await Models.UploadBlobAsync($"{uid}/cpu.model", BinaryData.FromString("model"));
    }

    public async Task<int> HistoryCountAsync(string uid)
    {
        var rows = 0;
        await foreach (var _ in Samples.QueryAsync<TableEntity>(e => e.PartitionKey == uid))
            rows++;
        await foreach (var _ in Models.GetBlobsAsync(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, uid + "/", CancellationToken.None))
            rows++;
        return rows;
    }

    public Task<IReadOnlyList<AuditRecord>> AuditAsync(string uid) =>
        Services.GetRequiredService<IAuditLog>().ListAsync(new AuditQuery { TargetUid = uid }, CancellationToken.None);

    public Task<HttpResponseMessage> PutModeAsync(string ns, string name, object body) =>
        Http.PutAsJsonAsync(new Uri($"/api/targets/{ns}/{name}/mode", UriKind.Relative), body);

    /// <summary>Runs the real kubectl (<c>.tools/kubectl</c>) against the sandbox, asserts it succeeded, and returns its output.</summary>
    public async Task<string> KubectlOkAsync(params string[] args)
    {
        var kubeconfig = Path.Combine(Path.GetTempPath(), "thoras-kubeconfig-" + Guid.NewGuid().ToString("N"));
        Sandbox.WriteKubeconfig(kubeconfig);
        try
        {
            var start = new ProcessStartInfo(Path.Combine(AzuriteProcess.FindRepositoryRoot(), ".tools", "kubectl")) { RedirectStandardError = true, RedirectStandardOutput = true };
            start.ArgumentList.Add("--kubeconfig");
            start.ArgumentList.Add(kubeconfig);
            foreach (var arg in args)
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync();
            var error = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            Assert.True(process.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed: {error}");
            return await output;
        }
        finally
        {
            File.Delete(kubeconfig);
        }
    }
}
