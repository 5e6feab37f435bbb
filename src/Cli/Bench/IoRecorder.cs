using System.Diagnostics;

namespace Thoras.Cli.Bench;

/// <summary>
/// Records the wall-clock interval of every outgoing call (Kubernetes HTTP and Azure Storage) while armed, by kind,
/// so the pass's I/O time can be measured as the union of the in-flight intervals (overlapping calls count once).
/// </summary>
public sealed class IoRecorder
{
    private readonly object gate = new();
    private readonly List<IoCall> calls = [];
    private volatile bool armed;

    /// <summary>True between <see cref="Arm"/> and <see cref="Disarm"/>: only then are calls recorded.</summary>
    public bool Armed => armed;

    /// <summary>Starts recording; earlier calls are forgotten.</summary>
    public void Arm()
    {
        lock (gate)
        {
            calls.Clear();
        }

        armed = true;
    }

    /// <summary>Stops recording.</summary>
    public void Disarm() => armed = false;

    /// <summary>The calls recorded, in the order they ended.</summary>
    public IReadOnlyList<IoCall> Calls
    {
        get
        {
            lock (gate)
            {
                return [.. calls];
            }
        }
    }

    /// <summary>Records one call of <paramref name="kind"/> that ran from <paramref name="start"/> to <paramref name="end"/> (<see cref="Stopwatch"/> timestamps).</summary>
    public void Record(string kind, long start, long end)
    {
        if (!armed)
        {
            return;
        }

        lock (gate)
        {
            calls.Add(new IoCall(kind, start, end));
        }
    }
}

/// <summary>One recorded call: its kind and its <see cref="Stopwatch"/> timestamps.</summary>
public readonly record struct IoCall(string Kind, long Start, long End);

/// <summary>The length of a union of intervals: time covered by at least one of them, overlaps counted once.</summary>
public static class IntervalUnion
{
    /// <summary>
    /// The total length covered by <paramref name="intervals"/> (each <c>[Start, End)</c>, in any unit). Intervals with
    /// <c>End &lt;= Start</c> cover nothing.
    /// </summary>
    /// <example><code>IntervalUnion.Length([(0, 10), (5, 15), (20, 30)]) == 25</code></example>
    public static long Length(IEnumerable<(long Start, long End)> intervals)
    {
        ArgumentNullException.ThrowIfNull(intervals);
        long total = 0;
        long? runStart = null;
        long runEnd = 0;
        foreach (var (start, end) in intervals.Where(i => i.End > i.Start).OrderBy(i => i.Start))
        {
            if (runStart is null || start > runEnd)
            {
                total += runStart is null ? 0 : runEnd - runStart.Value;
                (runStart, runEnd) = (start, end);
            }
            else if (end > runEnd)
            {
                runEnd = end;
            }
        }

        return total + (runStart is null ? 0 : runEnd - runStart.Value);
    }
}
