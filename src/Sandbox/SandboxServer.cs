using System.Net;
using System.Text.Json.Nodes;
using k8s;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Thoras.Sandbox.Admission;
using Thoras.Sandbox.Api;
using Thoras.Sandbox.Faults;
using Thoras.Sandbox.Persistence;
using Thoras.Sandbox.Schema;
using Thoras.Sandbox.Seeding;
using Thoras.Sandbox.Storage;
using Thoras.Sandbox.Usage;
using Thoras.Sandbox.Workloads;

namespace Thoras.Sandbox;

/// <summary>
/// An in-process stand-in for the Kubernetes API server on 127.0.0.1, with real API semantics and trace-driven pods.
/// </summary>
/// <example><code>
/// await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { SpeedUp = 288 }, ct);
/// await sandbox.Seed.NamespaceAsync("shop", ct);
/// await sandbox.Seed.ApplyAsync(WorkloadBuilder.Deployment("shop", "web").WithContainer("app", "250m", "256Mi").Build(), ct);
/// IKubernetes client = sandbox.CreateClient();
/// </code></example>
public sealed class SandboxServer : IAsyncDisposable
{
    private readonly WebApplication app;
    private readonly HttpClient webhookClient;
    private readonly WorkloadController workloads;
    private readonly Simulation simulation;
    private readonly SandboxState? state;

    private SandboxServer(WebApplication app, HttpClient webhookClient, WorkloadController workloads, Simulation simulation, SandboxState? state, Uri baseUrl, SandboxSeeder seed, SandboxFaults faults)
    {
        this.app = app;
        this.webhookClient = webhookClient;
        this.workloads = workloads;
        this.simulation = simulation;
        this.state = state;
        BaseUrl = baseUrl;
        Seed = seed;
        Faults = faults;
    }

    /// <summary>Where the API is served, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Creates namespaces, workloads, HPAs, PDBs, CRDs and custom objects from C# or YAML.</summary>
    public SandboxSeeder Seed { get; }

    /// <summary>Makes the next requests to a path fail or hang.</summary>
    public SandboxFaults Faults { get; }

    /// <summary>Simulated time since start (real elapsed time times <see cref="SandboxOptions.SpeedUp"/>): the point of every
    /// replayed trace.</summary>
    public TimeSpan SimulatedElapsed => simulation.Elapsed;

    /// <summary>Whether the objects came from <see cref="SandboxOptions.StateFile"/> (then the seed files were not applied).</summary>
    public bool Restored { get; private init; }

    /// <summary>
    /// The time on the sandbox's clock when <paramref name="stateFile"/> was last written, or null if there is none: a
    /// clock started again must not start before it.
    /// </summary>
    public static DateTimeOffset? SavedClock(string stateFile) => SandboxState.SavedAt(stateFile);

    /// <summary>How often (real time) a running sandbox writes its <see cref="SandboxOptions.StateFile"/>.</summary>
    public static TimeSpan StateSaveInterval => SandboxState.SaveInterval;

    public static async Task<SandboxServer> StartAsync(SandboxOptions? options = null, CancellationToken cancellation = default)
    {
        options ??= new SandboxOptions();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Thoras.Sandbox");
        var catalog = new ResourceCatalog();
        var store = new ObjectStore(catalog, options.TimeProvider, WorkloadController.Reacts, [new EventValidation(), new CustomResourceValidation(), new UsageScale()], options.EventTtl);
        var webhookClient = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var admission = new PodAdmission(store, options, webhookClient, logger);
        var workloads = new WorkloadController(store, admission, options);
        var simulation = new Simulation(store, options);
        var faults = new SandboxFaults();
        var handler = new ApiHandler(store, workloads, admission, simulation, faults, new Discovery(catalog), logger);
        var state = options.StateFile is null ? null : new SandboxState(options.StateFile, store, simulation, options.TimeProvider, logger);
        var restored = state?.Load() ?? false;
        if (!restored)
            SeedSystemObjects(store, options);

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "Thoras.Sandbox" });
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggerFactory);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.Limits.MaxRequestBodySize = 3 * 1024 * 1024;
        });
        var app = builder.Build();
        app.Run(handler.HandleAsync);
        await app.StartAsync(cancellation);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var baseUrl = new Uri(address.EndsWith('/') ? address : address + "/");
        var sandbox = new SandboxServer(app, webhookClient, workloads, simulation, state, baseUrl, new SandboxSeeder(store, workloads, admission), faults) { Restored = restored };
        if (restored)
            await workloads.ReconcileAsync(cancellation);
        else
        {
            foreach (var file in options.SeedFiles)
                await sandbox.Seed.ApplyFileAsync(file, cancellation);
        }

        state?.Start();
        logger.LogInformation("Sandbox Kubernetes API listening on {BaseUrl}", baseUrl);
        return sandbox;
    }

    /// <summary>An official client pointed at the sandbox. The caller disposes it.</summary>
    public IKubernetes CreateClient() => new Kubernetes(new KubernetesClientConfiguration { Host = BaseUrl.ToString() });

    /// <summary>Writes a kubeconfig (context <c>sandbox</c>, namespace <c>default</c>) for kubectl or KUBECONFIG.</summary>
    public void WriteKubeconfig(string path)
    {
        var server = BaseUrl.ToString().TrimEnd('/');
        File.WriteAllText(path, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: sandbox
              cluster:
                server: {server}
            users:
            - name: sandbox
              user: {"{}"}
            contexts:
            - name: sandbox
              context:
                cluster: sandbox
                user: sandbox
                namespace: default
            current-context: sandbox

            """);
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await app.StopAsync(stop.Token);
        await app.DisposeAsync();
        if (state is not null)
            await state.DisposeAsync();
        webhookClient.Dispose();
        workloads.Dispose();
    }

    private static void SeedSystemObjects(ObjectStore store, SandboxOptions options)
    {
        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
            store.Create(ResourceCatalog.Namespaces, null, Manifests.Namespace(ns));
        store.Create(ResourceCatalog.Nodes, null, new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = PodTemplates.NodeName,
                ["labels"] = new JsonObject { ["kubernetes.io/hostname"] = PodTemplates.NodeName, ["kubernetes.io/os"] = "linux" },
            },
        });
        store.Update(ResourceCatalog.Nodes, null, PodTemplates.NodeName, node =>
        {
            var capacity = new JsonObject { ["cpu"] = options.NodeCpu, ["memory"] = options.NodeMemory, ["pods"] = "110" };
            node["status"] = new JsonObject
            {
                ["capacity"] = capacity,
                ["allocatable"] = capacity.DeepClone(),
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["reason"] = "KubeletReady" }),
                ["nodeInfo"] = new JsonObject { ["kubeletVersion"] = "v1.35.0", ["operatingSystem"] = "linux", ["architecture"] = "amd64" },
            };
            return node;
        }, "status");
    }
}
