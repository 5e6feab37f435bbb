using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Thoras.Domain.Apply;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;

namespace Thoras.Cli.Bench;

/// <summary>
/// <c>thoras bench pass</c>: one full forecast + apply pass over a fleet of AIScaleTargets against a real Azurite and the
/// sandbox cluster over HTTP, with trained models in place. Reports the pass's wall time against the wall time of only
/// the Kubernetes and Storage calls it made (the union of their in-flight intervals), the calls by kind, and memory.
/// </summary>
public static class PassBenchCommand
{
    /// <summary>The usage text.</summary>
    public const string Usage = """
        thoras bench pass [--targets N] [--days D] [--horizontal-share S] [--namespaces K] [--replicas R] [--format table|json]
          --targets N            AIScaleTargets, one Deployment each (default 100)
          --days D               days of 5-minute usage history per series, at least 1 (default 2)
          --horizontal-share S   share of the targets scaled horizontally, with an HPA; the rest vertically (default 0.2)
          --namespaces K         namespaces the targets are spread over (default 10, at most N)
          --replicas R           pods per workload (default 2)
          --format F             table (default) or json
        Starts Azurite and the sandbox cluster, creates the fleet, stores its usage, trains and saves every model, then
        measures one forecast pass and one apply pass. Progress goes to stderr, the report to stdout.
        """;

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

    /// <summary>Sets up the world for <paramref name="options"/>, measures one pass and returns its report.</summary>
    public static async Task<PassReport> MeasureAsync(PassBenchOptions options, TextWriter progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(progress);
        var fleet = options.Fleet;
        var watch = Stopwatch.StartNew();
        void Say(string text) => progress.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{watch.Elapsed.TotalSeconds,7:0.0} s] {text}"));

        Say("starting Azurite and the sandbox cluster");
        await using var world = await PassWorld.StartAsync(cancellationToken);

        var step = Stopwatch.StartNew();
        Say(string.Create(CultureInfo.InvariantCulture, $"creating {fleet.Targets} workloads and AIScaleTargets in {fleet.Namespaces} namespaces"));
        var targets = await world.CreateFleetAsync(fleet, cancellationToken);
        var fleetSeconds = step.Elapsed.TotalSeconds;

        step.Restart();
        var now = TimeProvider.System.GetUtcNow();
        Say(string.Create(CultureInfo.InvariantCulture, $"storing {options.Days:0.##} days of usage per series"));
        var blocks = await world.SeedUsageAsync(targets, options.Days, now, parallelism: 16, cancellationToken);
        var usageSeconds = step.Elapsed.TotalSeconds;

        step.Restart();
        Say(string.Create(CultureInfo.InvariantCulture, $"training and saving the models ({blocks} blocks stored in {usageSeconds:0.0} s)"));
        var models = await world.TrainModelsAsync(targets, now, cancellationToken);
        var trainingSeconds = step.Elapsed.TotalSeconds;

        Say(string.Create(CultureInfo.InvariantCulture, $"measuring one forecast + apply pass ({models} models trained in {trainingSeconds:0.0} s)"));
        var report = await MeasurePassAsync(
            world,
            new FleetFigures(fleet.Targets, fleet.HorizontalCount, fleet.Namespaces, fleet.Replicas, options.Days),
            new SetupFigures(fleetSeconds, usageSeconds, blocks, trainingSeconds, models),
            cancellationToken);
        Say(string.Create(CultureInfo.InvariantCulture, $"pass done in {report.PassSeconds:0.000} s"));
        return report;
    }

    private static async Task<PassReport> MeasurePassAsync(PassWorld world, FleetFigures fleet, SetupFigures setup, CancellationToken cancellationToken)
    {
        var forecastStage = world.Forecast;
        var applyStage = world.Apply;
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);

        using var sampler = new MemorySampler(TimeSpan.FromMilliseconds(20));
        world.Recorder.Arm();
        var start = Stopwatch.GetTimestamp();
        var forecast = await forecastStage.RunOnceAsync(cancellationToken);
        var between = Stopwatch.GetTimestamp();
        var apply = await applyStage.RunOnceAsync(cancellationToken);
        var end = Stopwatch.GetTimestamp();
        world.Recorder.Disarm();
        var (peakManaged, peakWorkingSet) = await sampler.StopAsync();

        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var calls = world.Recorder.Calls;
        double Seconds(long ticks) => (double)ticks / Stopwatch.Frequency;
        double Union(long from, long to) => Seconds(IntervalUnion.Length(calls
            .Select(c => (Math.Max(c.Start, from), Math.Min(c.End, to)))));

        using var process = Process.GetCurrentProcess();
        var targetCount = forecast.Targets.Count;
        return new PassReport
        {
            Fleet = fleet,
            Setup = setup,
            ForecastSeconds = Seconds(between - start),
            ApplySeconds = Seconds(end - between),
            PassSeconds = Seconds(end - start),
            IoSeconds = Union(start, end),
            ForecastIoSeconds = Union(start, between),
            ApplyIoSeconds = Union(between, end),
            Calls = [.. calls.GroupBy(c => c.Kind)
                .Select(g => new CallFigures(g.Key, g.Count(), Seconds(g.Sum(c => c.End - c.Start)),
                    Seconds(g.Sum(c => c.End - c.Start)) * 1000 / g.Count(), Seconds(g.Max(c => c.End - c.Start)) * 1000))
                .OrderByDescending(c => c.TotalSeconds)],
            ForecastOutcomes = Enum.GetValues<ForecastOutcome>().ToDictionary(o => o.ToString(), forecast.Count),
            Series = new SeriesFigures(
                forecast.Targets.Sum(t => t.Series.Count),
                forecast.Targets.Sum(t => t.Series.Count(s => s.LoadedState)),
                forecast.Targets.Sum(t => t.Series.Count(s => s.Retrained))),
            ApplyOutcomes = Enum.GetValues<ApplyOutcome>().ToDictionary(o => o.ToString(), o => apply.Targets.Count(r => r.Outcome == o)),
            Failures = [.. forecast.Targets.Where(t => t.Outcome == ForecastOutcome.Failed).Select(t => $"forecast {t.Key}: {t.Detail}")
                .Concat(apply.Targets.Where(r => r.Outcome == ApplyOutcome.Failed).Select(r => $"apply {r.Key}: {r.Detail}"))
                .Take(10)],
            Memory = new MemoryFigures(
                allocated,
                targetCount > 0 ? (double)allocated / targetCount : 0,
                peakManaged,
                peakWorkingSet,
                process.PeakWorkingSet64,
                GC.CollectionCount(0) - gen0,
                GC.CollectionCount(1) - gen1,
                GC.CollectionCount(2) - gen2,
                world.AzuritePeakResidentBytes()),
            Steps = new StepFigures(StepFigures.Of(forecast.Steps), StepFigures.Of(apply.Steps)),
            Machine = new MachineFigures(Environment.ProcessorCount, RuntimeInformation.OSDescription, Environment.Version.ToString(), BuildConfiguration),
        };
    }

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
    /// <summary>Parses and checks the command line; bad input is a <see cref="CommandLineException"/>.</summary>
    public static PassBenchOptions Parse(IReadOnlyList<string> args)
    {
        var parsed = Arguments.Parse(args, new HashSet<string>());
        var targets = WholeNumber(parsed, "--targets", 100, 1);
        var days = parsed.Number("--days", 2);
        var share = parsed.Number("--horizontal-share", 0.2);
        var namespaces = Math.Min(targets, WholeNumber(parsed, "--namespaces", 10, 1));
        var replicas = WholeNumber(parsed, "--replicas", 2, 1);
        var format = parsed.String("--format") ?? "table";
        parsed.RejectUnknown();
        if (parsed.Positional.Count > 0)
            throw new CommandLineException($"Unexpected argument '{parsed.Positional[0]}'.");
        if (days < 1)
            throw new CommandLineException("Option --days: at least 1, so every series has the 24 hours min_lookback_to_scale asks for.");
        if (share is < 0 or > 1)
            throw new CommandLineException("Option --horizontal-share: a share from 0 to 1.");
        if (format is not ("table" or "json"))
            throw new CommandLineException($"Option --format: '{format}' is not table or json.");
        return new PassBenchOptions(new FleetSpec(targets, namespaces, share, replicas), days, format == "json");
    }

    private static int WholeNumber(Arguments parsed, string name, int fallback, int minimum)
    {
        var value = parsed.Number(name, fallback);
        if (value != Math.Floor(value) || value < minimum || value > 1_000_000)
            throw new CommandLineException(string.Create(CultureInfo.InvariantCulture, $"Option {name}: a whole number from {minimum} to 1000000."));
        return (int)value;
    }
}
