using System.Diagnostics;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Stages;

/// <summary>
/// The named steps of one pass of a stage (<see cref="Load"/> → <see cref="Plan"/> → <see cref="Act"/> →
/// <see cref="Record"/>), each run timed on the stage's clock. A step that runs once per target is counted once per
/// target, so the pass's figures say both how long a step took in all and its longest single run. Every run is also
/// recorded as <c>thoras_step_duration_seconds</c> (<see cref="ThorasMetrics.StepRan"/>), tagged with the stage, the
/// step and whether it threw, in real seconds: the local host's clock may run faster than real time.
/// </summary>
/// <example>
/// <code>
/// var steps = new StageSteps("apply", time);
/// var snapshot = await steps.RunAsync(StageSteps.Load, () => LoadAsync(ct));
/// var plan = steps.Run(StageSteps.Plan, () => ApplyPlanner.Plan(snapshot, gate, enrollment, ledgers, now));
/// logger.LogInformation("Apply steps: {Steps}", StepTiming.Describe(steps.Timings));
/// </code>
/// </example>
public sealed class StageSteps
{
    /// <summary>Reads what the pass needs: the cluster snapshot, stored records, ledgers.</summary>
    public const string Load = "load";

    /// <summary>Decides, in pure code, what to do.</summary>
    public const string Plan = "plan";

    /// <summary>Carries the plan out on the cluster (and the model store).</summary>
    public const string Act = "act";

    /// <summary>Writes what was done: status, records, history and audit.</summary>
    public const string Record = "record";

    private readonly string stage;
    private readonly TimeProvider time;
    private readonly Lock gate = new();
    private readonly List<string> order = [];
    private readonly Dictionary<string, (int Count, TimeSpan Total, TimeSpan Longest)> totals = new(StringComparer.Ordinal);

    /// <summary>The steps of one pass of <paramref name="stage"/> (<c>forecast</c>, <c>apply</c>, <c>collect</c>), timed on <paramref name="time"/>.</summary>
    public StageSteps(string stage, TimeProvider time)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(stage);
        this.stage = stage;
        this.time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>Each step's figures so far, in the order the steps first ran.</summary>
    public IReadOnlyList<StepTiming> Timings
    {
        get
        {
            lock (gate)
                return [.. order.Select(s => new StepTiming(s, totals[s].Count, totals[s].Total, totals[s].Longest))];
        }
    }

    /// <summary>Runs and times one step.</summary>
    public async Task<T> RunAsync<T>(string step, Func<Task<T>> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (start, real) = (time.GetTimestamp(), Stopwatch.GetTimestamp());
        var succeeded = false;
        try
        {
            var result = await run();
            succeeded = true;
            return result;
        }
        finally
        {
            Note(step, time.GetElapsedTime(start), Stopwatch.GetElapsedTime(real), succeeded);
        }
    }

    /// <summary>Runs and times one step that returns nothing.</summary>
    public Task RunAsync(string step, Func<Task> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        return RunAsync(step, async () =>
        {
            await run();
            return true;
        });
    }

    /// <summary>Runs and times one step of pure code.</summary>
    public T Run<T>(string step, Func<T> run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var (start, real) = (time.GetTimestamp(), Stopwatch.GetTimestamp());
        var succeeded = false;
        try
        {
            var result = run();
            succeeded = true;
            return result;
        }
        finally
        {
            Note(step, time.GetElapsedTime(start), Stopwatch.GetElapsedTime(real), succeeded);
        }
    }

    private void Note(string step, TimeSpan elapsed, TimeSpan real, bool succeeded)
    {
        ThorasMetrics.StepRan(stage, step, real, succeeded);
        lock (gate)
        {
            if (!totals.TryGetValue(step, out var sofar))
            {
                order.Add(step);
                sofar = (0, TimeSpan.Zero, TimeSpan.Zero);
            }

            totals[step] = (sofar.Count + 1, sofar.Total + elapsed, elapsed > sofar.Longest ? elapsed : sofar.Longest);
        }
    }
}

/// <summary>How often a named step ran in one pass, how long it took in all and its longest run.</summary>
/// <param name="Step">The step's name.</param>
/// <param name="Count">How many times it ran (once per target for a per-target step).</param>
/// <param name="Total">The sum of its runs (runs of different targets may overlap in time).</param>
/// <param name="Longest">Its longest single run.</param>
public sealed record StepTiming(string Step, int Count, TimeSpan Total, TimeSpan Longest)
{
    /// <summary>A compact line for a log: <c>load 1x 120 ms, plan 40x 35 ms (max 3 ms), ...</c>.</summary>
    public static string Describe(IEnumerable<StepTiming> timings)
    {
        ArgumentNullException.ThrowIfNull(timings);
        return string.Join(", ", timings.Select(t => t.Count == 1
            ? FormattableString.Invariant($"{t.Step} {t.Total.TotalMilliseconds:0} ms")
            : FormattableString.Invariant($"{t.Step} {t.Count}x {t.Total.TotalMilliseconds:0} ms (max {t.Longest.TotalMilliseconds:0} ms)")));
    }
}
