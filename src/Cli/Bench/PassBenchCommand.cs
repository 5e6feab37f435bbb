using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Thoras.Domain.Apply;
using Thoras.Domain.Fanout;
using Thoras.Domain.Recommendation;
using Thoras.Infrastructure.Kubernetes.Connection;

namespace Thoras.Cli.Bench;

/// <summary>
/// <c>thoras bench pass</c>: forecast + apply ticks over a fleet of AIScaleTargets against a real Azurite and the sandbox
/// cluster over HTTP, with trained models in place, run the way the app runs them: the timers' coordinator enqueues the
/// batches and the local host's queue workers run the batch functions. Reports per tick the wall time from the first
/// enqueue to the last batch's completion against the wall time of only the Kubernetes and Storage calls (the union of
/// their in-flight intervals), the Kubernetes request rate per one-second window beside the budget, calls per target,
/// the calls by kind, what was published, applied and poisoned, and memory.
/// </summary>
public static class PassBenchCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        thoras bench pass [--targets N] [--days D] [--horizontal-share S] [--namespaces K] [--replicas R]
                          [--workers W] [--ticks T] [--qps Q] [--burst B] [--first-qps Q] [--first-burst B]
                          [--train M] [--format table|json]
          --targets N            AIScaleTargets, one Deployment each (default 100)
          --days D               days of 5-minute usage history per series, at least 1 (default 2)
          --horizontal-share S   share of the targets scaled horizontally, with an HPA; the rest vertically (default 0.2)
          --namespaces K         namespaces the targets are spread over (default 10, at most N)
          --replicas R           pods per workload (default 2)
          --workers W            queue workers per queue function, standing in for instances (default 1)
          --ticks T              forecast + apply ticks measured, 5 minutes of app time apart (default 1)
          --qps Q, --burst B     the Kubernetes request budget (default 50 and 100, client-go's)
          --first-qps Q          the first tick's budget, raised as for a large fleet's first pass (default --qps);
          --first-burst B        its burst (default --burst)
          --train M              train only M models per series kind and store copies for the rest (default: train all)
          --format F             table (default) or json
        Starts Azurite, the sandbox cluster and the queue workers, creates the fleet, stores its usage, trains and saves
        the models, then measures the ticks. Progress goes to stderr, the report to stdout.
        """;

    /// <summary>How long one stage of a tick may take before the benchmark gives up on it.</summary>
    private static readonly TimeSpan StageDeadline = TimeSpan.FromMinutes(30);

    /// <summary>Runs the benchmark; returns the exit code.</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        ArgumentNullException.ThrowIfNull(stderr);
        var options = PassBenchOptions.Parse(args);
        var report = await MeasureAsync(options, stderr, cancellationToken);
        stdout.Write(options.Json ? report.ToJson() + Environment.NewLine : report.ToTable());
        return 0;
    }

    /// <summary>Sets up the world for <paramref name="options"/>, measures the ticks and returns the report.</summary>
    public static async Task<PassReport> MeasureAsync(PassBenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var fleet = options.Fleet;
        var watch = Stopwatch.StartNew();
        void Say(string text) => progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,7:0.0} s] {text}"));

        Say(string.Create(CultureInfo.InvariantCulture, $"starting Azurite, the sandbox cluster and {options.Workers} queue worker(s) per function"));
        await using var world = await PassWorld.StartAsync(
            new PassWorldOptions(options.Workers, new KubernetesRequestBudget(options.FirstQps, options.FirstBurst), new KubernetesRequestBudget(options.Qps, options.Burst)),
            cancellationToken);

        var step = Stopwatch.StartNew();
        Say(string.Create(CultureInfo.InvariantCulture, $"creating {fleet.Targets} workloads and AIScaleTargets in {fleet.Namespaces} namespaces"));
        var targets = await world.CreateFleetAsync(fleet, cancellationToken);
        var fleetSeconds = step.Elapsed.TotalSeconds;

        step.Restart();
        var now = world.Clock.GetUtcNow();
        Say(string.Create(CultureInfo.InvariantCulture, $"storing {options.Days:0.##} days of usage per series"));
        var blocks = await world.SeedUsageAsync(targets, options.Days, now, parallelism: 16, cancellationToken);
        var usageSeconds = step.Elapsed.TotalSeconds;

        step.Restart();
        Say(string.Create(CultureInfo.InvariantCulture, $"training and saving the models ({blocks} blocks stored in {usageSeconds:0.0} s)"));
        var models = await world.TrainModelsAsync(targets, now, options.Train, cancellationToken);
        var trainingSeconds = step.Elapsed.TotalSeconds;
        var saved = PassWorld.SeriesOf(targets).Count();

        var ticks = new List<TickReport>();
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var sampler = new MemorySampler(TimeSpan.FromMilliseconds(20));
        for (var tick = 1; tick <= options.Ticks; tick++)
        {
            if (tick > 1)
            {
                world.Clock.Advance(TickLength);
                await world.AppendLatestBlockAsync(targets, world.Clock.GetUtcNow(), cancellationToken);
            }

            var budget = tick == 1 ? new BudgetFigures(options.FirstQps, options.FirstBurst) : new BudgetFigures(options.Qps, options.Burst);
            world.Budgets.Use(firstTick: tick == 1);
            Say(string.Create(CultureInfo.InvariantCulture, $"measuring tick {tick} of {options.Ticks} at {budget.Qps} requests/s, burst {budget.Burst}: forecast then apply through the queues ({models} models trained, {saved} saved, in {trainingSeconds:0.0} s)"));
            var measured = await MeasureTickAsync(world, fleet.Targets, budget, cancellationToken);
            Say(string.Create(CultureInfo.InvariantCulture, $"tick {tick} done in {measured.PassSeconds:0.000} s: {measured.Published} published, {measured.Applied} applied, {measured.Poison} poisoned"));
            ticks.Add(measured);
        }

        var (peakManaged, peakWorkingSet) = await sampler.StopAsync();
        sampler.Dispose();
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        using var process = Process.GetCurrentProcess();
        var targetTicks = fleet.Targets * options.Ticks;
        return new PassReport
        {
            Fleet = new FleetFigures(fleet.Targets, fleet.HorizontalCount, fleet.Namespaces, fleet.Replicas, options.Days),
            Setup = new SetupFigures(fleetSeconds, usageSeconds, blocks, trainingSeconds, models, saved),
            Workers = options.Workers,
            KubernetesBudget = new BudgetFigures(options.Qps, options.Burst),
            Ticks = ticks,
            Memory = new MemoryFigures(
                allocated,
                targetTicks > 0 ? (double)allocated / targetTicks : 0,
                peakManaged,
                peakWorkingSet,
                process.PeakWorkingSet64,
                GC.CollectionCount(0) - gen0,
                GC.CollectionCount(1) - gen1,
                GC.CollectionCount(2) - gen2,
                world.AzuritePeakResidentBytes()),
            Machine = new MachineFigures(Environment.ProcessorCount, RuntimeInformation.OSDescription, Environment.Version.ToString(), BuildConfiguration),
        };
    }

    /// <summary>The app's time between two measured ticks: the forecast timer's default cadence.</summary>
    public static readonly TimeSpan TickLength = TimeSpan.FromMinutes(5);

    private static async Task<TickReport> MeasureTickAsync(PassWorld world, int targets, BudgetFigures budget, CancellationToken cancellationToken)
    {
        var (loadedBefore, savedBefore) = (world.States.Loaded, world.States.Saved);
        world.Recorder.Arm();
        var start = Stopwatch.GetTimestamp();
        var forecast = await RunStageAsync(world, BatchStage.Forecast, cancellationToken);
        var apply = await RunStageAsync(world, BatchStage.Apply, cancellationToken);
        var end = apply.End;
        world.Recorder.Disarm();

        var calls = world.Recorder.Calls.Where(c => c.Start < end).ToList();
        double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
        double Union(long from, long to) => Seconds(IntervalUnion.Length(calls.Select(c => (Math.Max(c.Start, from), Math.Min(c.End, to)))));
        var kubernetes = calls.Where(c => c.Kind.StartsWith("k8s ", StringComparison.Ordinal)).ToList();
        var passSeconds = Seconds(end - start);
        var perSecond = kubernetes.GroupBy(c => (c.Start - start) / Stopwatch.Frequency).Select(g => g.Count()).DefaultIfEmpty(0).Max();
        int Sum(IEnumerable<BatchSummary> summaries, string outcome) => summaries.Sum(s => s.Count(outcome));
        Dictionary<string, int> Outcomes(IEnumerable<BatchSummary> summaries, IEnumerable<string> names) =>
            names.ToDictionary(n => n, n => Sum(summaries, n), StringComparer.Ordinal);
        var forecastDone = forecast.Summaries.Where(s => !s.Poisoned).ToList();
        var applyDone = apply.Summaries.Where(s => !s.Poisoned).ToList();
        return new TickReport
        {
            KubernetesBudget = budget,
            Batches = forecast.Batches + apply.Batches,
            PassSeconds = passSeconds,
            ForecastSeconds = Seconds(forecast.End - start),
            ApplySeconds = Seconds(end - forecast.End),
            IoSeconds = Union(start, end),
            ForecastIoSeconds = Union(start, forecast.End),
            ApplyIoSeconds = Union(forecast.End, end),
            KubernetesRequestsPerSecond = new RateFigures(passSeconds > 0 ? kubernetes.Count / passSeconds : 0, perSecond),
            CallsPerTarget = new PerTargetCalls(
                (double)kubernetes.Count / targets,
                (double)calls.Count(c => c.Kind.StartsWith("table ", StringComparison.Ordinal) || c.Kind.StartsWith("blob ", StringComparison.Ordinal)) / targets),
            StorageTransactionsPerTarget = (double)(calls.Count - kubernetes.Count) / targets,
            Published = Sum(forecastDone, nameof(ForecastOutcome.Published)),
            Applied = Sum(applyDone, nameof(ApplyOutcome.Applied)),
            Poison = forecast.Summaries.Count(s => s.Poisoned) + apply.Summaries.Count(s => s.Poisoned),
            ForecastOutcomes = Outcomes(forecastDone, Enum.GetNames<ForecastOutcome>()),
            ApplyOutcomes = Outcomes(applyDone, Enum.GetNames<ApplyOutcome>()),
            Models = new ModelFigures(
                world.States.Loaded - loadedBefore, world.States.Saved - savedBefore,
                calls.Count(c => c.Kind == "blob GET models"), calls.Count(c => c.Kind == "blob PUT models")),
            Calls = [.. calls.GroupBy(c => c.Kind)
                .Select(g => new CallFigures(g.Key, g.Count(), Seconds(g.Sum(c => c.End - c.Start)),
                    Seconds(g.Sum(c => c.End - c.Start)) * 1000 / g.Count(), Seconds(g.Max(c => c.End - c.Start)) * 1000))
                .OrderByDescending(c => c.TotalSeconds)],
        };
    }

    /// <summary>
    /// Enqueues <paramref name="stage"/>'s batches through the timers' coordinator and waits until every batch has
    /// finished or been poisoned, as the batch functions and the queue workers log it.
    /// </summary>
    private static async Task<StageRun> RunStageAsync(PassWorld world, BatchStage stage, CancellationToken cancellationToken)
    {
        var seen = world.Summaries.Summaries.Count;
        var enqueued = await world.Coordinator.EnqueueAsync(stage, [], cancellationToken);
        var deadline = Stopwatch.GetTimestamp() + (long)(StageDeadline.TotalSeconds * Stopwatch.Frequency);
        while (true)
        {
            var summaries = world.Summaries.Summaries.Skip(seen).Where(s => s.Stage == stage).ToList();
            if (summaries.Count >= enqueued.Batches)
                return new StageRun(enqueued.Batches, summaries, summaries.Count > 0 ? summaries.Max(s => s.At) : Stopwatch.GetTimestamp());
            if (Stopwatch.GetTimestamp() > deadline)
            {
                throw new TimeoutException(string.Create(CultureInfo.InvariantCulture,
                    $"The {stage} batches did not finish within {StageDeadline}: {summaries.Count} of {enqueued.Batches} done."));
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken);
        }
    }

    /// <summary>One stage of a tick: the batches enqueued, what they logged as they finished, and when the last did.</summary>
    private sealed record StageRun(int Batches, IReadOnlyList<BatchSummary> Summaries, long End);

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif

    /// <summary>Samples the managed heap and the working set until stopped, keeping the peaks.</summary>
    private sealed class MemorySampler : IDisposable
    {
        private readonly CancellationTokenSource stop = new();
        private readonly Task<(long Managed, long WorkingSet)> sampling;

        public MemorySampler(TimeSpan every) => sampling = Task.Run(() => SampleAsync(every, stop.Token));

        public async Task<(long Managed, long WorkingSet)> StopAsync()
        {
            await stop.CancelAsync();
            return await sampling;
        }

        public void Dispose() => stop.Dispose();

        private static async Task<(long Managed, long WorkingSet)> SampleAsync(TimeSpan every, CancellationToken token)
        {
            using var process = Process.GetCurrentProcess();
            long managed = 0, workingSet = 0;
            while (true)
            {
                managed = Math.Max(managed, GC.GetTotalMemory(forceFullCollection: false));
                process.Refresh();
                workingSet = Math.Max(workingSet, process.WorkingSet64);
                if (token.IsCancellationRequested)
                    return (managed, workingSet);
                try
                {
                    await Task.Delay(every, token);
                }
                catch (OperationCanceledException)
                {
                    // One last sample, then done.
                }
            }
        }
    }
}

/// <summary>The options of <c>thoras bench pass</c>.</summary>
public sealed record PassBenchOptions(FleetSpec Fleet, double Days, bool Json)
{
    /// <summary>Queue workers per queue function.</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Ticks measured.</summary>
    public int Ticks { get; init; } = 1;

    /// <summary>The Kubernetes request budget's requests per second.</summary>
    public double Qps { get; init; } = 50;

    /// <summary>The Kubernetes request budget's burst.</summary>
    public int Burst { get; init; } = 100;

    /// <summary>The first tick's requests per second.</summary>
    public double FirstQps { get; init; } = 50;

    /// <summary>The first tick's burst.</summary>
    public int FirstBurst { get; init; } = 100;

    /// <summary>Models trained per series kind (the rest are copies), or null to train every series.</summary>
    public int? Train { get; init; }

    /// <summary>Parses and checks the command line; bad input is a <see cref="CommandLineException"/>.</summary>
    public static PassBenchOptions Parse(IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, new HashSet<string>());
        var targets = WholeNumber(parsed, "--targets", 100, 1, 1_000_000);
        var days = parsed.Number("--days", 2);
        var share = parsed.Number("--horizontal-share", 0.2);
        var namespaces = Math.Min(targets, WholeNumber(parsed, "--namespaces", 10, 1, 1_000_000));
        var replicas = WholeNumber(parsed, "--replicas", 2, 1, 1_000_000);
        var workers = WholeNumber(parsed, "--workers", 1, 1, 64);
        var ticks = WholeNumber(parsed, "--ticks", 1, 1, 100);
        var qps = parsed.Number("--qps", 50);
        var burst = WholeNumber(parsed, "--burst", 100, 1, 1_000_000);
        var firstQps = parsed.Number("--first-qps", qps);
        var firstBurst = WholeNumber(parsed, "--first-burst", burst, 1, 1_000_000);
        int? train = parsed.String("--train") is null ? null : WholeNumber(parsed, "--train", 1, 1, 1_000_000);
        var format = parsed.String("--format") ?? "table";
        parsed.RejectUnknown();
        if (parsed.Positional.Count > 0)
            throw new CommandLineException($"Unexpected argument '{parsed.Positional[0]}'.");
        if (days < 1)
            throw new CommandLineException("Option --days: at least 1, so every series has the 24 hours min_lookback_to_scale asks for.");
        if (share is < 0 or > 1)
            throw new CommandLineException("Option --horizontal-share: a share from 0 to 1.");
        if (!(qps > 0) || double.IsInfinity(qps))
            throw new CommandLineException("Option --qps: a positive number of requests per second.");
        if (!(firstQps > 0) || double.IsInfinity(firstQps))
            throw new CommandLineException("Option --first-qps: a positive number of requests per second.");
        if (format is not ("table" or "json"))
            throw new CommandLineException($"Option --format: '{format}' is not table or json.");
        return new PassBenchOptions(new FleetSpec(targets, namespaces, share, replicas), days, format == "json")
        {
            Workers = workers, Ticks = ticks, Qps = qps, Burst = burst, FirstQps = firstQps, FirstBurst = firstBurst, Train = train,
        };
    }

    private static int WholeNumber(Arguments parsed, string name, int fallback, int minimum, int maximum)
    {
        var value = parsed.Number(name, fallback);
        if (value != Math.Floor(value) || value < minimum || value > maximum)
            throw new CommandLineException(string.Create(CultureInfo.InvariantCulture, $"Option {name}: a whole number from {minimum} to {maximum}."));
        return (int)value;
    }
}
