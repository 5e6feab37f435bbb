using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Thoras.Domain.Recommendation;

namespace Thoras.Cli.Bench;

/// <summary>The figures of one <c>thoras bench pass</c> run.</summary>
public sealed record PassReport
{
    /// <summary>What was benchmarked: targets, namespaces, replicas, days of history.</summary>
    public required FleetFigures Fleet { get; init; }

    /// <summary>How long the unmeasured setup took.</summary>
    public required SetupFigures Setup { get; init; }

    /// <summary>Wall time of the forecast stage, in seconds.</summary>
    public required double ForecastSeconds { get; init; }

    /// <summary>Wall time of the apply stage, in seconds.</summary>
    public required double ApplySeconds { get; init; }

    /// <summary>Wall time of the whole pass (forecast then apply), in seconds.</summary>
    public required double PassSeconds { get; init; }

    /// <summary>The union of the in-flight intervals of every Kubernetes and Storage call of the pass, in seconds.</summary>
    public required double IoSeconds { get; init; }

    /// <summary>The I/O union within the forecast stage, in seconds.</summary>
    public required double ForecastIoSeconds { get; init; }

    /// <summary>The I/O union within the apply stage, in seconds.</summary>
    public required double ApplyIoSeconds { get; init; }

    /// <summary>Pass wall time divided by I/O time: 1 means the pass only waited for its calls.</summary>
    public double Ratio => IoSeconds > 0 ? PassSeconds / IoSeconds : double.PositiveInfinity;

    /// <summary>The calls of the pass by kind, most total time first.</summary>
    public required IReadOnlyList<CallFigures> Calls { get; init; }

    /// <summary>How many calls the pass made.</summary>
    public int CallCount => Calls.Sum(c => c.Count);

    /// <summary>Calls per target of the pass: Kubernetes API requests, and Storage requests (tables and blobs).</summary>
    public CallsPerTarget CallsPerTarget => new(
        PerTarget(Calls.Where(c => c.Kind.StartsWith("k8s ", StringComparison.Ordinal)).Sum(c => c.Count)),
        PerTarget(Calls.Where(c => c.Kind.StartsWith("table ", StringComparison.Ordinal) || c.Kind.StartsWith("blob ", StringComparison.Ordinal)).Sum(c => c.Count)));

    /// <summary>The named steps of each stage (load, plan, act, record) with how often each ran and how long it took.</summary>
    public required StepFigures Steps { get; init; }

    /// <summary>Forecast outcomes by name (Published, Observed, NotDue, Failed).</summary>
    public required IReadOnlyDictionary<string, int> ForecastOutcomes { get; init; }

    /// <summary>Series forecast, and of those how many loaded a stored model and how many were retrained.</summary>
    public required SeriesFigures Series { get; init; }

    /// <summary>Apply outcomes by name (Applied, UpToDate, InProgress, NotApplied, Failed).</summary>
    public required IReadOnlyDictionary<string, int> ApplyOutcomes { get; init; }

    /// <summary>The first few failures of either stage, as "target: detail".</summary>
    public required IReadOnlyList<string> Failures { get; init; }

    /// <summary>Memory during the pass.</summary>
    public required MemoryFigures Memory { get; init; }

    /// <summary>Where it ran.</summary>
    public required MachineFigures Machine { get; init; }

    /// <summary>The report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The report as an aligned text table.</summary>
    public string ToTable()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new System.Text.StringBuilder();
        void Line(string format, params object?[] args) => text.AppendLine(string.Format(c, format, args));
        Line("fleet      {0} targets ({1} vertical, {2} horizontal) in {3} namespaces, {4} pods each, {5:0.##} days of 5-minute usage",
            Fleet.Targets, Fleet.Targets - Fleet.Horizontal, Fleet.Horizontal, Fleet.Namespaces, Fleet.Replicas, Fleet.Days);
        Line("machine    {0} cores, {1}, .NET {2}, {3} build", Machine.Processors, Machine.Os, Machine.Runtime, Machine.Configuration);
        Line("setup      fleet {0:0.0} s, usage {1:0.0} s ({2} blocks), training {3:0.0} s ({4} models)",
            Setup.FleetSeconds, Setup.UsageSeconds, Setup.BlocksWritten, Setup.TrainingSeconds, Setup.ModelsSaved);
        text.AppendLine();
        Line("{0,-10} {1,10} {2,10} {3,8}", "stage", "wall s", "I/O s", "ratio");
        Line("{0,-10} {1,10:0.000} {2,10:0.000} {3,8:0.00}", "forecast", ForecastSeconds, ForecastIoSeconds, Divide(ForecastSeconds, ForecastIoSeconds));
        Line("{0,-10} {1,10:0.000} {2,10:0.000} {3,8:0.00}", "apply", ApplySeconds, ApplyIoSeconds, Divide(ApplySeconds, ApplyIoSeconds));
        Line("{0,-10} {1,10:0.000} {2,10:0.000} {3,8:0.00}", "pass", PassSeconds, IoSeconds, Ratio);
        text.AppendLine();
        Line("{0,-40} {1,7} {2,10} {3,9} {4,9}", "calls", "count", "total s", "mean ms", "max ms");
        foreach (var call in Calls)
            Line("{0,-40} {1,7} {2,10:0.000} {3,9:0.00} {4,9:0.0}", call.Kind, call.Count, call.TotalSeconds, call.MeanMilliseconds, call.MaxMilliseconds);
        Line("{0,-40} {1,7}", "all", CallCount);
        Line("per target: kubernetes {0:0.000}, storage {1:0.000}", CallsPerTarget.Kubernetes, CallsPerTarget.Storage);
        text.AppendLine();
        Line("{0,-10} {1,-8} {2,7} {3,10} {4,9}", "steps", "step", "runs", "total s", "max ms");
        foreach (var (stage, steps) in new[] { ("forecast", Steps.Forecast), ("apply", Steps.Apply) })
        {
            foreach (var step in steps)
                Line("{0,-10} {1,-8} {2,7} {3,10:0.000} {4,9:0.0}", stage, step.Step, step.Count, step.TotalSeconds, step.LongestMilliseconds);
        }

        text.AppendLine();
        Line("forecast   {0}; series {1}: {2} loaded a stored model, {3} retrained",
            Outcomes(ForecastOutcomes), Series.Forecast, Series.LoadedModel, Series.Retrained);
        Line("apply      {0}", Outcomes(ApplyOutcomes));
        foreach (var failure in Failures)
            Line("  failed   {0}", failure);
        Line("memory     peak managed heap {0:0.0} MB, peak working set {1:0.0} MB during the pass; process peak working set {2:0.0} MB (whole run)",
            Mb(Memory.PeakManagedBytes), Mb(Memory.PeakWorkingSetBytes), Mb(Memory.ProcessPeakWorkingSetBytes));
        Line("           allocated {0:0.0} MB ({1:0.00} MB per target); GCs gen0 {2}, gen1 {3}, gen2 {4}; Azurite peak RSS {5}",
            Mb(Memory.AllocatedBytes), Mb(Memory.AllocatedBytesPerTarget), Memory.Gen0Collections, Memory.Gen1Collections, Memory.Gen2Collections,
            Memory.AzuritePeakResidentBytes is { } azurite ? string.Format(c, "{0:0.0} MB", Mb(azurite)) : "unknown");
        return text.ToString();
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private static double Divide(double a, double b) => b > 0 ? a / b : double.PositiveInfinity;

    private double PerTarget(int calls) => Fleet.Targets > 0 ? Math.Round((double)calls / Fleet.Targets, 3) : 0;

    private static double Mb(double bytes) => bytes / (1024 * 1024);

    private static string Outcomes(IReadOnlyDictionary<string, int> outcomes) =>
        string.Join(", ", outcomes.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value}")));
}

/// <summary>The benchmarked fleet.</summary>
public sealed record FleetFigures(int Targets, int Horizontal, int Namespaces, int Replicas, double Days);

/// <summary>Setup times (not measured as part of the pass).</summary>
public sealed record SetupFigures(double FleetSeconds, double UsageSeconds, long BlocksWritten, double TrainingSeconds, int ModelsSaved);

/// <summary>The calls of one kind.</summary>
public sealed record CallFigures(string Kind, int Count, double TotalSeconds, double MeanMilliseconds, double MaxMilliseconds);

/// <summary>Calls per target of a pass, by service.</summary>
public sealed record CallsPerTarget(double Kubernetes, double Storage);

/// <summary>The named steps of the forecast and the apply stage in the pass.</summary>
public sealed record StepFigures(IReadOnlyList<StepFigure> Forecast, IReadOnlyList<StepFigure> Apply)
{
    /// <summary>The figures of <paramref name="timings"/>.</summary>
    public static IReadOnlyList<StepFigure> Of(IEnumerable<Thoras.Domain.Stages.StepTiming> timings) =>
        [.. (timings ?? []).Select(t => new StepFigure(t.Step, t.Count, t.Total.TotalSeconds, t.Longest.TotalMilliseconds))];
}

/// <summary>One named step: how often it ran (per target for per-target steps), its summed time and its longest run.</summary>
public sealed record StepFigure(string Step, int Count, double TotalSeconds, double LongestMilliseconds);

/// <summary>Series forecast in the pass.</summary>
public sealed record SeriesFigures(int Forecast, int LoadedModel, int Retrained);

/// <summary>
/// Memory of the benchmark process during the pass (the app, and the in-process sandbox cluster with it), sampled
/// every few milliseconds; allocations and collections are counted over the pass only.
/// </summary>
public sealed record MemoryFigures(
    long AllocatedBytes,
    double AllocatedBytesPerTarget,
    long PeakManagedBytes,
    long PeakWorkingSetBytes,
    long ProcessPeakWorkingSetBytes,
    int Gen0Collections,
    int Gen1Collections,
    int Gen2Collections,
    long? AzuritePeakResidentBytes);

/// <summary>The machine and build.</summary>
public sealed record MachineFigures(int Processors, string Os, string Runtime, string Configuration);
