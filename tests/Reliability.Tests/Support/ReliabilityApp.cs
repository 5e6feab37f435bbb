using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using k8s;
using k8s.Models;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thoras.Cli.LocalHost;
using Thoras.Domain.Sync;
using Thoras.Sandbox;
using Thoras.Sandbox.Seeding;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Reliability.Tests.Support;

/// <summary>
/// The app as <c>thoras serve</c> runs it, without timers: the local function host with the app's one registration,
/// over the sandbox API server (with the chart's CRD) and Azurite, reached over real HTTP. Storage goes through
/// <see cref="StorageFaultProxy"/>s, so a test can fail or hang any Storage call. Every log line the app writes is
/// kept (<see cref="Logs"/>). Each test takes its own namespace; tests that change the system-wide pause state take
/// an app of their own.
/// </summary>
public sealed class ReliabilityApp : IAsyncLifetime
{
    /// <summary>The webhook secret this app is configured with (a test value, not the function key).</summary>
    public const string AdmissionSecret = "0123456789abcdef0123456789abcdef-test-secret";

    private readonly AzuriteFixture _azurite = new();
    private readonly string _keyPath = Path.Combine(Path.GetTempPath(), "thoras-key-" + Guid.NewGuid().ToString("N"));
    private int _namespaces;
    private WebApplication? _app;

    public SandboxServer Sandbox { get; private set; } = null!;

    public IKubernetes Cluster { get; private set; } = null!;

    public HttpClient Http { get; private set; } = null!;

    public string FunctionKey { get; private set; } = string.Empty;

    public StorageFaultProxy TableProxy { get; private set; } = null!;

    public StorageFaultProxy BlobProxy { get; private set; } = null!;

    public string Prefix { get; } = "r" + Guid.NewGuid().ToString("N")[..12];

    public IServiceProvider Services => _app!.Services;

    public TableServiceClient Tables => _azurite.Tables;

    /// <summary>Every line the app logged, as category, level and message.</summary>
    public LogCollector Logs { get; } = new();

    /// <summary>Settings a test class adds before the app starts (e.g. <c>Auth:TrustAppServicePrincipal</c>).</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    public async Task InitializeAsync()
    {
        await _azurite.InitializeAsync();
        TableProxy = await StorageFaultProxy.StartAsync(new Uri($"http://127.0.0.1:{_azurite.Azurite.TablePort}"));
        BlobProxy = await StorageFaultProxy.StartAsync(new Uri($"http://127.0.0.1:{_azurite.Azurite.BlobPort}"));
        Sandbox = await SandboxServer.StartAsync(new SandboxOptions { AdmissionTimeout = TimeSpan.FromSeconds(1) });
        await Sandbox.Seed.ApplyFileAsync(Thoras.TestSupport.Kubernetes.SandboxClusterFixture.CrdPath);
        await Sandbox.Seed.NamespaceAsync("thoras");
        Cluster = Sandbox.CreateClient();

        var settings = new Dictionary<string, string?>
        {
            ["Storage:ConnectionString"] = ProxiedConnectionString(),
            ["Storage:TablePrefix"] = Prefix,
            ["Kubernetes:Mode"] = "url",
            ["Kubernetes:ClusterUrl"] = Sandbox.BaseUrl.ToString(),
            ["Admission:PathSecret"] = AdmissionSecret,
        };
        foreach (var (name, value) in Settings)
            settings[name] = value;
        var options = new LocalHostOptions { Port = 0, FunctionKeyPath = _keyPath, RunTimers = false };
        _app = LocalFunctionHost.Build(options, [], builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders().AddProvider(Logs).SetMinimumLevel(LogLevel.Information);
        });
        await _app.StartAsync();
        FunctionKey = File.ReadAllText(_keyPath).Trim();
        Http = new HttpClient { BaseAddress = LocalFunctionHost.BaseAddress(_app), Timeout = TimeSpan.FromSeconds(60) };
        Http.DefaultRequestHeaders.Add("x-functions-key", FunctionKey);
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
        if (TableProxy is not null)
            await TableProxy.DisposeAsync();
        if (BlobProxy is not null)
            await BlobProxy.DisposeAsync();
        File.Delete(_keyPath);
    }

    public async Task<string> NewNamespaceAsync()
    {
        var name = $"rl{Interlocked.Increment(ref _namespaces)}-{Guid.NewGuid().ToString("N")[..6]}";
        await Sandbox.Seed.NamespaceAsync(name);
        return name;
    }

    /// <summary>One tick of the sync timer's steps, in order, as the timer runs them; returns the failures.</summary>
    public async Task<IReadOnlyList<string>> SyncTickAsync()
    {
        var failures = new List<string>();
        foreach (var step in Services.GetServices<ISyncStep>())
        {
            try
            {
                await step.RunAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                failures.Add($"{step.Name}: {ex.Message}");
            }
        }

        return failures;
    }

    /// <summary>A Deployment <c>web</c> (container <c>app</c>, 250m / 256Mi), its HPA (min 2) and an AST <c>web</c>.</summary>
    public async Task<string> SeedTargetAsync(string ns, string verticalMode = "autonomous", string? horizontalMode = "recommendation")
    {
        await Sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment(ns, "web").WithReplicas(2).WithContainer("app", "250m", "256Mi").Build());
        await Sandbox.Seed.ApplyAsync(Manifests.HorizontalPodAutoscaler(ns, "web", "Deployment", "web", 2, 10));
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
            ["metadata"] = new JsonObject { ["name"] = "web", ["namespace"] = ns },
            ["spec"] = spec,
        };
        var created = await Cluster.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(body, "thoras.ai", "v1", ns, "aiscaletargets");
        return created.GetProperty("metadata").GetProperty("uid").GetString()!;
    }

    /// <summary>The AST <c>web</c> as raw JSON, or null when it is gone.</summary>
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

    /// <summary>The pod-template annotation a restart sets; each distinct value is one rollout.</summary>
    public async Task<string?> RestartStampAsync(string ns)
    {
        var deployment = await Cluster.AppsV1.ReadNamespacedDeploymentAsync("web", ns);
        return deployment.Spec.Template.Metadata?.Annotations?.TryGetValue("thoras.ai/restartedAt", out var stamp) == true ? stamp : null;
    }

    /// <summary>The enrollment row of <c>ns/web</c> as stored (mode columns, or null when there is none).</summary>
    public async Task<TableEntity?> TargetRowAsync(string ns, string name = "web")
    {
        var table = Tables.GetTableClient(Prefix + "Targets");
        try
        {
            var row = await table.GetEntityIfExistsAsync<TableEntity>(ns, name);
            return row.HasValue ? row.Value : null;
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    /// <summary>Every audit record as stored (action, actor, subject, previous, current), oldest first.</summary>
    public async Task<IReadOnlyList<AuditRow>> AuditAsync(string? subject = null)
    {
        var table = Tables.GetTableClient(Prefix + "Audit");
        var rows = new List<AuditRow>();
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>())
            {
                var row = new AuditRow(e.GetString("Action") ?? string.Empty, e.GetString("Actor") ?? string.Empty, e.GetString("Subject") ?? string.Empty,
                    e.GetString("Previous"), e.GetString("Current"), e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue);
                if (subject is null || row.Subject == subject)
                    rows.Add(row);
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            return rows;
        }

        return [.. rows.OrderBy(r => r.At)];
    }

    /// <summary>Everything a request could change: pause state, windows, target rows, the ConfigMap, AST specs, the audit log.</summary>
    public async Task<string> SnapshotAsync()
    {
        var parts = new List<string>();
        foreach (var table in new[] { "System", "Targets", "Audit" })
        {
            try
            {
                await foreach (var e in Tables.GetTableClient(Prefix + table).QueryAsync<TableEntity>())
                    parts.Add($"{table}/{e.PartitionKey}/{e.RowKey}/{e.ETag}");
            }
            catch (Azure.RequestFailedException ex) when (ex.Status == 404)
            {
                parts.Add($"{table}: none");
            }
        }

        var maps = await Cluster.CoreV1.ListNamespacedConfigMapAsync("thoras");
        parts.AddRange(maps.Items.Select(m => $"configmap/{m.Metadata.Name}/{m.Metadata.ResourceVersion}"));
        var targets = await Cluster.CustomObjects.ListCustomObjectForAllNamespacesAsync<JsonElement>("thoras.ai", "v1", "aiscaletargets");
        foreach (var item in targets.GetProperty("items").EnumerateArray())
        {
            var meta = item.GetProperty("metadata");
            parts.Add($"ast/{meta.GetProperty("namespace").GetString()}/{meta.GetProperty("name").GetString()}/{item.GetProperty("spec").GetRawText()}/{meta.TryGetProperty("deletionTimestamp", out _)}");
        }

        return string.Join("\n", parts.Order(StringComparer.Ordinal));
    }

    public Task<HttpResponseMessage> PutModeAsync(string ns, string direction, string mode, string? actor = null) =>
        Http.PutAsJsonAsync(new Uri($"/api/targets/{ns}/web/mode", UriKind.Relative), new { direction, mode, actor });

    private string ProxiedConnectionString() =>
        $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
        $"BlobEndpoint={BlobProxy.BaseUrl}devstoreaccount1;TableEndpoint={TableProxy.BaseUrl}devstoreaccount1;";
}

/// <summary>One stored audit record.</summary>
public sealed record AuditRow(string Action, string Actor, string Subject, string? Previous, string? Current, DateTimeOffset At);

/// <summary>Keeps every log line the app writes, for tests that check what is (never) logged.</summary>
public sealed class LogCollector : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
                return [.. _lines];
        }
    }

    public ILogger CreateLogger(string categoryName) => new Collector(this, categoryName);

    public void Dispose()
    {
    }

    private void Add(string line)
    {
        lock (_lines)
            _lines.Add(line);
    }

    private sealed class Collector(LogCollector owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add($"{category} {logLevel} {formatter(state, exception)} {exception?.Message}");
    }
}
