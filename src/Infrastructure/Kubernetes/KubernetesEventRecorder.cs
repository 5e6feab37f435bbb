using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Events;
using Thoras.Domain.Telemetry;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// <see cref="IEventRecorder"/> through <c>events.k8s.io/v1</c>, aggregated like client-go's events recorder: an
/// event with the same regarding and related objects, reason, action and type as one seen within
/// <see cref="SeriesEnd"/> is not created again but counted in that event's <c>series</c>, which is written on the
/// first repeat and then at most once per <see cref="SeriesRefresh"/>. Writes (creates and series updates) take a
/// token from a bucket per target (<see cref="Burst"/> at once, one more per <see cref="Refill"/>), like the
/// legacy recorder's spam filter, so no target can flood the API server. Any failure is logged, counted and
/// dropped: recording never throws.
/// </summary>
public sealed class KubernetesEventRecorder(IKubernetes client, TimeProvider time, ILogger<KubernetesEventRecorder> logger) : IEventRecorder
{
    /// <summary>The <c>reportingController</c> of every event.</summary>
    public const string ReportingController = "thoras.ai/thoras-functions";

    /// <summary>How many writes a target may make at once.</summary>
    public const int Burst = 25;

    /// <summary>A series not seen again for this long has ended: the next occurrence is a new event.</summary>
    public static readonly TimeSpan SeriesEnd = TimeSpan.FromMinutes(6);

    /// <summary>How often a growing series' count is written at most.</summary>
    public static readonly TimeSpan SeriesRefresh = TimeSpan.FromMinutes(1);

    /// <summary>How long a target waits for one more write once its burst is spent.</summary>
    public static readonly TimeSpan Refill = TimeSpan.FromMinutes(5);

    private const int MaxSeries = 4096;
    private const int MaxNoteBytes = 1024;

    private static readonly string Instance = Environment.MachineName.Length > 128 ? Environment.MachineName[..128] : Environment.MachineName;

    private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TokenBucket> _buckets = new(StringComparer.Ordinal);

    public async Task RecordAsync(TargetEvent targetEvent, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(targetEvent);
        var ast = new V1ObjectReference
        {
            ApiVersion = "thoras.ai/v1", Kind = "AIScaleTarget", Name = targetEvent.Target.Name,
            NamespaceProperty = targetEvent.Target.Namespace, Uid = targetEvent.TargetUid,
        };
        await RecordOnAsync(targetEvent, ast, Reference(targetEvent), cancellationToken);
        if (Reference(targetEvent) is { } workload)
            await RecordOnAsync(targetEvent, workload, ast, cancellationToken);
        await FlushDueAsync(cancellationToken);
    }

    private static V1ObjectReference? Reference(TargetEvent e) => e.Workload is { } w
        ? new V1ObjectReference { ApiVersion = w.ApiVersion, Kind = w.Kind, Name = w.Name, NamespaceProperty = e.Target.Namespace, Uid = w.Uid }
        : null;

    private async Task RecordOnAsync(TargetEvent e, V1ObjectReference regarding, V1ObjectReference? related, CancellationToken cancellationToken)
    {
        var key = string.Join('|', Describe(regarding), Describe(related), e.Reason, e.Action, e.Warning);
        var series = _series.GetOrAdd(key, _ => new Series(e.TargetUid, regarding.NamespaceProperty, e.Reason));
        await series.Gate.WaitAsync(cancellationToken);
        try
        {
            var now = time.GetUtcNow();
            if (series.Name is null || now - series.LastObserved > SeriesEnd)
            {
                await CreateAsync(series, e, regarding, related, now, cancellationToken);
                return;
            }

            series.Count++;
            series.LastObserved = now;
            if (series.Count == 2 || now - series.WrittenAt >= SeriesRefresh)
                await WriteSeriesAsync(series, now, cancellationToken);
            else
                ThorasMetrics.EventRecorded(e.Reason, "aggregated");
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            ThorasMetrics.EventRecorded(e.Reason, "failed");
            logger.LogWarning("Event {Reason} on {Kind} {Namespace}/{Name} could not be recorded: {Error}", e.Reason, regarding.Kind, regarding.NamespaceProperty, regarding.Name, ex.Message);
        }
        finally
        {
            series.Gate.Release();
        }

        Trim();
    }

    private async Task CreateAsync(Series series, TargetEvent e, V1ObjectReference regarding, V1ObjectReference? related, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!Take(e.TargetUid, now))
        {
            ThorasMetrics.EventRecorded(e.Reason, "rate_limited");
            return;
        }

        var name = EventName(regarding.Name, now);
        await client.EventsV1.CreateNamespacedEventAsync(
            new Eventsv1Event
            {
                Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = regarding.NamespaceProperty },
                EventTime = now.UtcDateTime,
                ReportingController = ReportingController,
                ReportingInstance = Instance,
                Action = e.Action,
                Reason = e.Reason,
                Type = e.Warning ? "Warning" : "Normal",
                Note = Truncate(e.Note),
                Regarding = regarding,
                Related = related,
            },
            regarding.NamespaceProperty,
            cancellationToken: cancellationToken);
        series.Start(name, now);
        ThorasMetrics.EventRecorded(e.Reason, "created");
    }

    private async Task WriteSeriesAsync(Series series, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var reason = series.Reason;
        if (!Take(series.TargetUid, now))
        {
            ThorasMetrics.EventRecorded(reason, "rate_limited");
            return;
        }

        var patch = new JsonObject
        {
            ["series"] = new JsonObject
            {
                ["count"] = series.Count,
                ["lastObservedTime"] = series.LastObserved.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            },
        };
        try
        {
            await client.EventsV1.PatchNamespacedEventAsync(
                new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), series.Name, series.Namespace, cancellationToken: cancellationToken);
            series.Written(now);
            ThorasMetrics.EventRecorded(reason, "updated");
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            // The event expired (the API server's --event-ttl): the next occurrence starts a new one.
            series.End();
            ThorasMetrics.EventRecorded(reason, "expired");
        }
    }

    /// <summary>Writes the counts of series that grew since their last write and are due, so a burst's last repeats are not lost.</summary>
    private async Task FlushDueAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var series in _series.Values)
        {
            if (!series.Dirty || now - series.WrittenAt < SeriesRefresh || !series.Gate.Wait(0, CancellationToken.None))
                continue;
            try
            {
                if (series.Dirty)
                    await WriteSeriesAsync(series, now, cancellationToken);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                ThorasMetrics.EventRecorded(series.Reason, "failed");
                logger.LogWarning("The count of event {Event} could not be updated: {Error}", series.Name, ex.Message);
            }
            finally
            {
                series.Gate.Release();
            }
        }
    }

    private bool Take(string targetUid, DateTimeOffset now)
    {
        var bucket = _buckets.GetOrAdd(targetUid, _ => new TokenBucket(Burst, now));
        lock (bucket)
        {
            bucket.Tokens = Math.Min(Burst, bucket.Tokens + ((now - bucket.At) / Refill));
            bucket.At = now;
            if (bucket.Tokens < 1)
                return false;
            bucket.Tokens--;
            return true;
        }
    }

    /// <summary>Keeps the cache bounded: ended series go first, then the least recently seen.</summary>
    private void Trim()
    {
        if (_series.Count <= MaxSeries)
            return;
        var cutoff = time.GetUtcNow() - SeriesEnd;
        foreach (var (key, _) in _series.Where(s => s.Value.LastObserved < cutoff).ToList())
            _series.TryRemove(key, out _);
        foreach (var (key, _) in _series.OrderBy(s => s.Value.LastObserved).Take(_series.Count - MaxSeries).ToList())
            _series.TryRemove(key, out _);
    }

    private static string Describe(V1ObjectReference? reference) =>
        reference is null ? "-" : $"{reference.Kind}/{reference.NamespaceProperty}/{reference.Name}/{reference.Uid}";

    /// <summary>
    /// Like client-go: the object's name and the time in hexadecimal nanoseconds, sortable; with a random tail, as two
    /// events of one object in the same instant (one clock tick) must not collide.
    /// </summary>
    private static string EventName(string regarding, DateTimeOffset now)
    {
        var suffix = "." + ((now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) * 100).ToString("x", CultureInfo.InvariantCulture)
            + Random.Shared.Next(0x10000).ToString("x4", CultureInfo.InvariantCulture);
        return (regarding.Length + suffix.Length > 253 ? regarding[..(253 - suffix.Length)] : regarding) + suffix;
    }

    private static string Truncate(string note)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(note);
        return bytes.Length <= MaxNoteBytes
            ? note
            : System.Text.Encoding.UTF8.GetString(bytes, 0, MaxNoteBytes - 3).TrimEnd('\uFFFD') + "...";
    }

    /// <summary>One aggregated event: its name once created, how often it was seen and when it was last written.</summary>
    private sealed class Series(string targetUid, string @namespace, string reason)
    {
        private int _writtenCount;

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public string TargetUid { get; } = targetUid;

        public string Namespace { get; } = @namespace;

        public string Reason { get; } = reason;

        public string? Name { get; private set; }

        public int Count { get; set; }

        public DateTimeOffset LastObserved { get; set; }

        public DateTimeOffset WrittenAt { get; private set; }

        /// <summary>Seen more often than its last write says.</summary>
        public bool Dirty => Name is not null && Count > _writtenCount;

        public void Start(string name, DateTimeOffset at) =>
            (Name, Count, _writtenCount, LastObserved, WrittenAt) = (name, 1, 1, at, at);

        public void Written(DateTimeOffset at) => (_writtenCount, WrittenAt) = (Count, at);

        public void End() => Name = null;
    }

    private sealed class TokenBucket(double tokens, DateTimeOffset at)
    {
        public double Tokens { get; set; } = tokens;

        public DateTimeOffset At { get; set; } = at;
    }
}
