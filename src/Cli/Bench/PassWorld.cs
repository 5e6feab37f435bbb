using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Core;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using k8s;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thoras.Cli.LocalHost;
using Thoras.Domain.Fanout;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Functions.Hosting;
using Thoras.Functions.Http;
using Thoras.Infrastructure.Kubernetes.Connection;
using Thoras.Infrastructure.Storage;
using Thoras.Infrastructure.Storage.Emulator;
using Thoras.Sandbox;
using Thoras.Sandbox.Seeding;

namespace Thoras.Cli.Bench;

/// <summary>
/// The world of <c>thoras bench pass</c>: a private Azurite and the in-process sandbox cluster over real HTTP, the app's
/// real service registration pointed at both with every Kubernetes and Storage call recorded, and the fleet: workloads
/// with pods, AIScaleTargets (mostly vertical, a share horizontal with an HPA), their usage history and trained models.
/// </summary>
public sealed class PassWorld : IAsyncDisposable
{
    /// <summary>The container of every benchmark workload.</summary>
    public const string Container = "app";

    private readonly AzuriteProcess azurite;
    private readonly SandboxServer sandbox;
    private readonly ServiceProvider services;
    private readonly QueueWorkers workers;

    private PassWorld(AzuriteProcess azurite, SandboxServer sandbox, ServiceProvider services, QueueWorkers workers, IoRecorder recorder, BatchSummaryLog summaries, BenchClock clock, BudgetPhases budgets)
    {
        Budgets = budgets;
        this.azurite = azurite;
        this.sandbox = sandbox;
        this.services = services;
        this.workers = workers;
        Recorder = recorder;
        Summaries = summaries;
        Clock = clock;
    }

    /// <summary>The Kubernetes request budget of the first tick and of the steady ticks.</summary>
    public BudgetPhases Budgets { get; }

    /// <summary>What the batch functions logged as they finished.</summary>
    public BatchSummaryLog Summaries { get; }

    /// <summary>The app's clock: real time, moved on by a tick's length between measured ticks.</summary>
    public BenchClock Clock { get; }

    /// <summary>The forecast and apply timers' coordinator as the app wires it.</summary>
    public FanoutCoordinator Coordinator => services.GetRequiredService<FanoutCoordinator>();

    /// <summary>Records the calls of the app's Kubernetes and Storage clients while armed.</summary>
    public IoRecorder Recorder { get; }

    /// <summary>The app's forecaster state store, counting the states loaded and saved.</summary>
    public CountingModelStore States => services.GetRequiredService<CountingModelStore>();

    /// <summary>The forecast stage as the app wires it.</summary>
    public ForecastStage Forecast => services.GetRequiredService<ForecastStage>();

    /// <summary>The process id of the shell that owns Azurite (its child is Azurite's node process).</summary>
    public int AzuriteWatchdogProcessId => azurite.WatchdogProcessId;

    /// <summary>
    /// Starts Azurite and the sandbox, wires the app to both with the Kubernetes request budget of
    /// <paramref name="options"/>, and starts the local host's queue workers (<see cref="PassWorldOptions.Workers"/> per
    /// queue function) on queues of this run.
    /// </summary>
    public static async Task<PassWorld> StartAsync(PassWorldOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(), cancellationToken);
        SandboxServer? sandbox = null;
        ServiceProvider? services = null;
        try
        {
            // A node big enough for every pod, so in-place resizes are decided on the suggestion, not on a full node.
            sandbox = await SandboxServer.StartAsync(new SandboxOptions { NodeCpu = "1000000", NodeMemory = "100000Ti" }, cancellationToken);
            var root = AzuriteProcess.FindRepositoryRoot();
            await sandbox.Seed.ApplyFileAsync(Path.Combine(root, "infra", "k8s", "chart", "crds", "aiscaletargets.thoras.ai.yaml"), cancellationToken);

            var recorder = new IoRecorder();
            var prefix = "bench" + Guid.NewGuid().ToString("N")[..8];
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["Storage:TablePrefix"] = prefix,
                ["Kubernetes:Mode"] = "url",
                ["Kubernetes:ClusterUrl"] = sandbox.BaseUrl.ToString(),
                [WorkQueueSettings.Collect] = prefix + "-collect",
                [WorkQueueSettings.Forecast] = prefix + "-forecast",
                [WorkQueueSettings.Apply] = prefix + "-apply",
            }).Build();
            var connection = azurite.ConnectionString;
            var cluster = sandbox.BaseUrl.ToString();
            var budgets = new BudgetPhases(options.FirstTickBudget, options.Budget, recorder);
            var summaries = new BatchSummaryLog(prefix + "-forecast", prefix + "-apply");
            var clock = new BenchClock();
            services = new ServiceCollection()
                .AddLogging(l => l.SetMinimumLevel(LogLevel.Warning).AddProvider(summaries).AddFilter<BatchSummaryLog>(null, LogLevel.Information))
                .AddThorasFunctions(configuration)
                .AddSingleton<TimeProvider>(clock)
                // The same clients the app builds, each with a recorder in its HTTP pipeline; the Kubernetes client has the
                // app's retry of throttled requests, then the budget of the tick's phase, then the recorder, so the
                // recorder sees every request actually sent.
                .AddSingleton<IKubernetes>(_ => new k8s.Kubernetes(
                    new KubernetesClientConfiguration { Host = cluster }, ThrottledRequestRetry.CreateHandler(TimeProvider.System), budgets))
                .AddSingleton(_ => new TableServiceClient(connection, WithRecorder(StorageRetry.Configure(new TableClientOptions()), recorder, "table", prefix)))
                .AddSingleton(_ => new BlobServiceClient(connection, WithRecorder(StorageRetry.Configure(new BlobClientOptions()), recorder, "blob", prefix)))
                .AddSingleton(_ => new QueueServiceClient(connection,
                    WithRecorder(StorageRetry.Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), recorder, "queue", prefix)))
                .AddSingleton<IConfiguration>(configuration)
                .AddSingleton(FunctionCatalog.FromAssembly(typeof(HealthFunction).Assembly))
                .AddSingleton(new LocalHostOptions { QueueWorkers = options.Workers })
                .AddSingleton(QueueHostOptions.FromAppHostJson())
                .AddSingleton(sp => new CountingModelStore(ActivatorUtilities.CreateInstance<ForecasterStateStore>(sp)))
                .AddSingleton<IModelStore>(sp => sp.GetRequiredService<CountingModelStore>())
                .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = false });
            var workers = ActivatorUtilities.CreateInstance<QueueWorkers>(services);
            await workers.StartAsync(cancellationToken);
            return new PassWorld(azurite, sandbox, services, workers, recorder, summaries, clock, budgets);
        }
        catch
        {
            if (services is not null)
                await services.DisposeAsync();
            if (sandbox is not null)
                await sandbox.DisposeAsync();
            await azurite.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Creates <paramref name="fleet"/>: namespaces, one Deployment (with pods) per target, an HPA for each horizontal
    /// target, and the AIScaleTargets. Returns the targets as the app reads them.
    /// </summary>
    public async Task<IReadOnlyList<AIScaleTarget>> CreateFleetAsync(FleetSpec fleet, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(fleet);
        var objects = new List<JsonObject>();
        objects.AddRange(Enumerable.Range(0, fleet.Namespaces).Select(i => Manifests.Namespace(FleetSpec.Namespace(i))));
        for (var i = 0; i < fleet.Targets; i++)
        {
            var (ns, name) = (FleetSpec.Namespace(i % fleet.Namespaces), FleetSpec.Name(i));
            objects.Add(WorkloadBuilder.Deployment(ns, name).WithReplicas(fleet.Replicas)
                .WithContainer(Container, "250m", "256Mi", "1", "1Gi").Build());
            var spec = new JsonObject
            {
                ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = "Deployment", ["name"] = name },
            };
            if (fleet.IsHorizontal(i))
            {
                objects.Add(Manifests.HorizontalPodAutoscaler(ns, name, "Deployment", name, minReplicas: fleet.Replicas, maxReplicas: 10 * fleet.Replicas));
                spec["horizontal"] = new JsonObject { ["mode"] = "autonomous" };
            }
            else
            {
                spec["vertical"] = new JsonObject { ["mode"] = "autonomous", ["containers"] = new JsonArray(new JsonObject { ["name"] = Container }) };
            }

            objects.Add(Manifests.CustomObject($"{AIScaleTarget.ApiGroup}/{AIScaleTarget.ApiVersion}", "AIScaleTarget", ns, name, spec));
        }

        await sandbox.Seed.ApplyAsync(objects, cancellationToken);
        var listing = await services.GetRequiredService<ITargetCluster>().ListAsync([], cancellationToken);
        if (listing.Invalid.Count > 0 || listing.Targets.Count != fleet.Targets)
        {
            throw new InvalidOperationException(string.Format(CultureInfo.InvariantCulture,
                "The sandbox holds {0} valid and {1} invalid AIScaleTargets, not the {2} created.", listing.Targets.Count, listing.Invalid.Count, fleet.Targets));
        }

        return listing.Targets;
    }

    /// <summary>
    /// Stores <paramref name="days"/> of complete 5-minute blocks before <paramref name="now"/> for every series the
    /// forecast stage reads of each target, through the app's usage store (transactions of at most 100 blocks), in parallel.
    /// Returns the number of blocks written.
    /// </summary>
    public async Task<long> SeedUsageAsync(IReadOnlyList<AIScaleTarget> targets, double days, DateTimeOffset now, int parallelism, CancellationToken cancellationToken)
    {
        var usage = services.GetRequiredService<IUsageStore>();
        long written = 0;
        await Parallel.ForEachAsync(SeriesOf(targets), new ParallelOptions { MaxDegreeOfParallelism = parallelism, CancellationToken = cancellationToken }, async (each, token) =>
        {
            var blocks = History(each.Target.Metadata.Uid + each.Series, days, now);
            await usage.AppendAsync(each.Target.Metadata.Uid, each.Series, blocks, token);
            Interlocked.Add(ref written, blocks.Count);
        });
        return written;
    }

    /// <summary>
    /// Trains series' forecasters on their stored history, in process and with the stage's own settings, and saves the
    /// states through a model store of its own (the app's instance holds none of them in memory when the first tick
    /// starts): the measured pass then loads models and does not retrain. With
    /// <paramref name="train"/> set, only that many series of each kind (direction and series name) are trained and every
    /// other series of the kind gets a copy of one of their states (round robin): it still loads its own stored model
    /// and reads its own usage, and the setup takes minutes at fleet size. Returns the number of models trained.
    /// </summary>
    public async Task<int> TrainModelsAsync(IReadOnlyList<AIScaleTarget> targets, DateTimeOffset now, int? train, CancellationToken cancellationToken)
    {
        var usage = services.GetRequiredService<IUsageStore>();
        // A store of its own: the app's instance starts the measured ticks without the models in memory, as a fresh
        // instance would, and reads each from its blob.
        var models = new ForecasterStateStore(services.GetRequiredService<BlobServiceClient>(), services.GetRequiredService<TableServiceClient>(), services.GetRequiredService<StorageNames>());
        var stage = Forecast;
        var kinds = SeriesOf(targets).GroupBy(s => (s.Direction, s.Series)).Select(g => g.ToList()).ToList();
        var trained = 0;
        foreach (var kind in kinds)
        {
            var originals = kind.Take(train ?? kind.Count).ToList();
            var states = new byte[originals.Count][];
            await Parallel.ForEachAsync(Enumerable.Range(0, originals.Count), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (i, token) =>
            {
                var each = originals[i];
                var settings = stage.SettingsFor(each.Target.Spec, each.Direction);
                var stored = await usage.ListAsync(each.Target.Metadata.Uid, each.Series, now - settings.TrainingWindow, token);
                var forecaster = new UsageForecaster(settings);
                foreach (var block in UsageSeries.CompleteAndContiguous(stored, settings.Block, now))
                {
                    forecaster.Observe(block);
                }

                forecaster.Suggest();
                using var state = new MemoryStream();
                forecaster.SaveState(state);
                states[i] = state.ToArray();
                Interlocked.Increment(ref trained);
            });
            await Parallel.ForEachAsync(Enumerable.Range(0, kind.Count), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (i, token) =>
            {
                using var state = new MemoryStream(states[i % states.Length], writable: false);
                await models.SaveAsync(kind[i].Target.Metadata.Uid, kind[i].Series, state, token);
            });
        }

        return trained;
    }

    /// <summary>
    /// Stores the 5-minute block that ends at <paramref name="now"/> for every series of <paramref name="targets"/>, as
    /// collect would have between two ticks, so the next tick's forecast sees complete, current history.
    /// </summary>
    public async Task AppendLatestBlockAsync(IReadOnlyList<AIScaleTarget> targets, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var usage = services.GetRequiredService<IUsageStore>();
        var block = new ForecastSettings().Block;
        await Parallel.ForEachAsync(SeriesOf(targets), new ParallelOptions { MaxDegreeOfParallelism = 16, CancellationToken = cancellationToken }, async (each, token) =>
        {
            var latest = History(each.Target.Metadata.Uid + each.Series, block.TotalDays, now);
            await usage.AppendAsync(each.Target.Metadata.Uid, each.Series, latest, token);
        });
    }

    /// <summary>The series the forecast stage reads for each target: per container CPU and memory (vertical), total CPU (horizontal).</summary>
    public static IEnumerable<(AIScaleTarget Target, ScalingDirection Direction, string Series)> SeriesOf(IEnumerable<AIScaleTarget> targets)
    {
        ArgumentNullException.ThrowIfNull(targets);
        foreach (var target in targets)
        {
            if (target.Spec.Vertical is not null)
            {
                yield return (target, ScalingDirection.Vertical, UsageSeries.Container(Container, UsageSeries.Cpu));
                yield return (target, ScalingDirection.Vertical, UsageSeries.Container(Container, UsageSeries.Memory));
            }

            if (target.Spec.Horizontal is not null)
            {
                yield return (target, ScalingDirection.Horizontal, UsageSeries.Total(UsageSeries.Cpu));
            }
        }
    }

    /// <summary>
    /// A daily wave with noise and rare bursts, around 0.1 cores (or 100 MB): well inside the requests, so suggestions
    /// are ordinary resizes. Deterministic per <paramref name="seed"/>.
    /// </summary>
    public static IReadOnlyList<UsageBlock> History(string seed, double days, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(seed);
        var block = new ForecastSettings().Block;
        var end = UsageSeries.BlockStart(now, block);
        var count = (int)Math.Round(TimeSpan.FromDays(days) / block);
        var random = new Random(StableHash(seed));
        var scale = seed.EndsWith(UsageSeries.Memory, StringComparison.Ordinal) ? 100e6 : 0.1;
        var blocks = new List<UsageBlock>(count);
        for (var i = count; i > 0; i--)
        {
            var at = end - (i * block);
            var daily = 1 + (0.5 * Math.Sin(2 * Math.PI * at.TimeOfDay.TotalDays));
            var burst = random.NextDouble() < 0.02 ? 1.5 : 1;
            var mean = scale * daily * (1 + (0.1 * random.NextDouble()));
            blocks.Add(new UsageBlock(at, mean * burst * 1.2, mean, 5));
        }

        return blocks;
    }

    /// <summary>The peak resident memory of Azurite's node process so far (VmHWM), or null where /proc does not tell.</summary>
    public long? AzuritePeakResidentBytes()
    {
        try
        {
            var children = File.ReadAllText($"/proc/{azurite.WatchdogProcessId}/task/{azurite.WatchdogProcessId}/children")
                .Split(' ', StringSplitOptions.RemoveEmptyEntries);
            foreach (var child in children)
            {
                var line = File.ReadLines($"/proc/{child}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
                if (line is not null && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], NumberStyles.None, CultureInfo.InvariantCulture, out var kb))
                    return kb * 1024;
            }
        }
        catch (IOException)
        {
            // No /proc here (or Azurite is gone): the figure is simply not reported.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        await workers.StopAsync(CancellationToken.None);
        workers.Dispose();
        await services.DisposeAsync();
        await sandbox.DisposeAsync();
        await azurite.DisposeAsync();
    }

    private static T WithRecorder<T>(T options, IoRecorder recorder, string service, string prefix)
        where T : ClientOptions
    {
        options.AddPolicy(new RecordingPolicy(recorder, service, prefix), HttpPipelinePosition.PerRetry);
        return options;
    }

    private static int StableHash(string text)
    {
        var hash = 17;
        foreach (var c in text)
        {
            hash = unchecked((hash * 31) + c);
        }

        return hash;
    }
}

/// <summary>How the benchmark's app runs: queue workers per function and the Kubernetes request budgets (first tick, steady ticks).</summary>
public sealed record PassWorldOptions(int Workers, KubernetesRequestBudget FirstTickBudget, KubernetesRequestBudget Budget);

/// <summary>
/// The benchmark app's clock: the system's, moved on by <see cref="Advance"/> between measured ticks, so the next tick
/// runs a tick's length later for the stages (forecasts come due, the change policy's waits pass) without the wait.
/// </summary>
public sealed class BenchClock : TimeProvider
{
    private long offsetTicks;

    /// <summary>Moves the clock on by <paramref name="by"/>.</summary>
    public void Advance(TimeSpan by) => Interlocked.Add(ref offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref offsetTicks));
}

/// <summary>What the benchmark creates: how many targets, in how many namespaces, which share horizontal.</summary>
public sealed record FleetSpec(int Targets, int Namespaces, double HorizontalShare, int Replicas)
{
    /// <summary>The name of namespace <paramref name="index"/>.</summary>
    public static string Namespace(int index) => string.Create(CultureInfo.InvariantCulture, $"bench-{index:00}");

    /// <summary>The name of target (and workload) <paramref name="index"/>.</summary>
    public static string Name(int index) => string.Create(CultureInfo.InvariantCulture, $"w{index:0000}");

    /// <summary>True for the horizontal targets, spread evenly through the fleet.</summary>
    public bool IsHorizontal(int index) => (int)Math.Floor((index + 1) * HorizontalShare) > (int)Math.Floor(index * HorizontalShare);

    /// <summary>How many targets are horizontal.</summary>
    public int HorizontalCount => Enumerable.Range(0, Targets).Count(IsHorizontal);
}
