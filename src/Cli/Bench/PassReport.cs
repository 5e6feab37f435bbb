using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Cli.Bench;

/// <summary>The figures of one <c>thoras bench pass</c> run.</summary>
public sealed record PassReport
{
    /// <summary>What was benchmarked: targets, namespaces, replicas, days of history.</summary>
    public required FleetFigures Fleet { get; init; }

    /// <summary>How long the unmeasured setup took.</summary>
    public required SetupFigures Setup { get; init; }

    /// <summary>Queue workers per queue function, standing in for instances.</summary>
    public required int Workers { get; init; }

    /// <summary>The Kubernetes request budget of the steady ticks (the first tick's may be raised: see each tick's).</summary>
    public required BudgetFigures KubernetesBudget { get; init; }

    /// <summary>The measured ticks, first tick first.</summary>
    public required IReadOnlyList<TickReport> Ticks { get; init; }

    /// <summary>Memory over the measured ticks.</summary>
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
        Line("setup      fleet {0:0.0} s, usage {1:0.0} s ({2} blocks), training {3:0.0} s ({4} models trained, {5} saved)",
            Setup.FleetSeconds, Setup.UsageSeconds, Setup.BlocksWritten, Setup.TrainingSeconds, Setup.ModelsTrained, Setup.ModelsSaved);
        Line("app        {0} queue worker(s) per function; Kubernetes budget {1:0.##} requests/s, burst {2}", Workers, KubernetesBudget.Qps, KubernetesBudget.Burst);
        for (var i = 0; i < Ticks.Count; i++)
        {
            var tick = Ticks[i];
            text.AppendLine();
            Line("tick {0}     budget {1:0.##} requests/s, burst {2}", i + 1, tick.KubernetesBudget.Qps, tick.KubernetesBudget.Burst);
            Line("           {0} batches; pass {1:0.000} s (forecast {2:0.000} s, apply {3:0.000} s); I/O {4:0.000} s, ratio {5:0.00}",
                tick.Batches, tick.PassSeconds, tick.ForecastSeconds, tick.ApplySeconds, tick.IoSeconds, tick.Ratio);
            Line("           Kubernetes {0:0.0} requests/s mean, {1} max in one second; per target {2:0.00} Kubernetes calls, {3:0.00} Table/Blob calls, {4:0.00} storage transactions (queues included)",
                tick.KubernetesRequestsPerSecond.Mean, tick.KubernetesRequestsPerSecond.Max, tick.CallsPerTarget.Kubernetes, tick.CallsPerTarget.Storage, tick.StorageTransactionsPerTarget);
            Line("           published {0}, applied {1}, poison {2}; forecaster states loaded {3}, saved {4}; model blobs read {5}, written {6}",
                tick.Published, tick.Applied, tick.Poison, tick.Models.Loaded, tick.Models.Saved, tick.Models.BlobReads, tick.Models.BlobWrites);
            Line("           forecast {0}", Outcomes(tick.ForecastOutcomes));
            Line("           apply    {0}", Outcomes(tick.ApplyOutcomes));
            Line("{0,-40} {1,7} {2,10} {3,9} {4,9}", "  calls", "count", "total s", "mean ms", "max ms");
            foreach (var call in tick.Calls)
                Line("{0,-40} {1,7} {2,10:0.000} {3,9:0.00} {4,9:0.0}", "  " + call.Kind, call.Count, call.TotalSeconds, call.MeanMilliseconds, call.MaxMilliseconds);
            Line("{0,-40} {1,7}", "  all", tick.CallCount);
        }

        text.AppendLine();
        Line("memory     peak managed heap {0:0.0} MB, peak working set {1:0.0} MB during the ticks; process peak working set {2:0.0} MB (whole run)",
            Mb(Memory.PeakManagedBytes), Mb(Memory.PeakWorkingSetBytes), Mb(Memory.ProcessPeakWorkingSetBytes));
        Line("           allocated {0:0.0} MB ({1:0.00} MB per target and tick); GCs gen0 {2}, gen1 {3}, gen2 {4}; Azurite peak RSS {5}",
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

    private static double Mb(double bytes) => bytes / (1024 * 1024);

    private static string Outcomes(IReadOnlyDictionary<string, int> outcomes) =>
        string.Join(", ", outcomes.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Key} {o.Value}")));
}

/// <summary>The benchmarked fleet.</summary>
public sealed record FleetFigures(int Targets, int Horizontal, int Namespaces, int Replicas, double Days);

/// <summary>Setup times (not measured as part of the ticks); models trained, and saved (trained ones and copies).</summary>
public sealed record SetupFigures(double FleetSeconds, double UsageSeconds, long BlocksWritten, double TrainingSeconds, int ModelsTrained, int ModelsSaved);

/// <summary>A Kubernetes request budget: requests per second and burst.</summary>
public sealed record BudgetFigures(double Qps, int Burst);

/// <summary>A request rate: the mean over the tick and the most requests started in one one-second window.</summary>
public sealed record RateFigures(double Mean, int Max);

/// <summary>
/// The forecaster states (series) a tick loaded and saved, however few requests that took (a target's states share one
/// table query and one transaction), and the model blobs it read (not held by the instance) and wrote (retrained).
/// </summary>
public sealed record ModelFigures(int Loaded, int Saved, int BlobReads, int BlobWrites);

/// <summary>
/// One measured tick: the forecast batches enqueued and run, then the apply batches. <see cref="PassSeconds"/> runs
/// from the first enqueue to the last batch's completion.
/// </summary>
public sealed record TickReport
{
    /// <summary>The Kubernetes request budget the app held to in this tick.</summary>
    public required BudgetFigures KubernetesBudget { get; init; }

    /// <summary>Messages enqueued (forecast and apply).</summary>
    public required int Batches { get; init; }

    /// <summary>From the forecast coordinator's first enqueue to the last apply batch's completion, in seconds.</summary>
    public required double PassSeconds { get; init; }

    /// <summary>From the forecast enqueue to the last forecast batch's completion, in seconds.</summary>
    public required double ForecastSeconds { get; init; }

    /// <summary>From there to the last apply batch's completion, in seconds.</summary>
    public required double ApplySeconds { get; init; }

    /// <summary>The union of the in-flight intervals of every Kubernetes and Storage call of the tick, in seconds.</summary>
    public required double IoSeconds { get; init; }

    /// <summary>The I/O union within the forecast stage, in seconds.</summary>
    public required double ForecastIoSeconds { get; init; }

    /// <summary>The I/O union within the apply stage, in seconds.</summary>
    public required double ApplyIoSeconds { get; init; }

    /// <summary>Pass wall time divided by I/O time: 1 means the tick only waited for its calls.</summary>
    public double Ratio => IoSeconds > 0 ? PassSeconds / IoSeconds : double.PositiveInfinity;

    /// <summary>Kubernetes API requests sent per second: over the tick, and the most in one one-second window.</summary>
    public required RateFigures KubernetesRequestsPerSecond { get; init; }

    /// <summary>
    /// The stages' calls per target, in issue #16's shape: <c>kubernetes</c>, Kubernetes API requests (the coordinators'
    /// lists included); <c>storage</c>, the Table and Blob requests of the stages (the fan-out's queue transactions
    /// left out; they are in <see cref="StorageTransactionsPerTarget"/>).
    /// </summary>
    public required PerTargetCalls CallsPerTarget { get; init; }

    /// <summary>Table, blob and queue transactions per target (queue polls and the coordinator's enqueues included): what Storage bills.</summary>
    public required double StorageTransactionsPerTarget { get; init; }

    /// <summary>Suggestions published.</summary>
    public required int Published { get; init; }

    /// <summary>Targets applied.</summary>
    public required int Applied { get; init; }

    /// <summary>Messages that went to a poison queue.</summary>
    public required int Poison { get; init; }

    /// <summary>Forecast outcomes by name, summed over the batches' summaries.</summary>
    public required IReadOnlyDictionary<string, int> ForecastOutcomes { get; init; }

    /// <summary>Apply outcomes by name, summed over the batches' summaries.</summary>
    public required IReadOnlyDictionary<string, int> ApplyOutcomes { get; init; }

    /// <summary>Stored models read and written.</summary>
    public required ModelFigures Models { get; init; }

    /// <summary>The calls of the tick by kind, most total time first.</summary>
    public required IReadOnlyList<CallFigures> Calls { get; init; }

    /// <summary>How many calls the tick made.</summary>
    public int CallCount => Calls.Sum(c => c.Count);
}

/// <summary>Calls per target: Kubernetes API requests, and the stages' Table and Blob requests.</summary>
public sealed record PerTargetCalls(double Kubernetes, double Storage);

/// <summary>The calls of one kind.</summary>
public sealed record CallFigures(string Kind, int Count, double TotalSeconds, double MeanMilliseconds, double MaxMilliseconds);

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
