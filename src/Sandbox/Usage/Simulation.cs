using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Usage;

/// <summary>
/// Simulated time and the usage it drives: each container's demand replays its usage source in cores and bytes, scaled
/// by the container's fixed <see cref="UsageAnnotations.Scale"/> (not by its current requests, so a resize leaves demand
/// where it was). CPU usage is demand throttled at the CPU limit; a container whose memory demand goes above its memory
/// limit is OOM-killed and restarted with the same resources, as the kubelet reports it.
/// </summary>
internal sealed class Simulation
{
    private static readonly (decimal Cpu, decimal Memory) DefaultBase = (0.1m, 128m * 1024 * 1024);

    private readonly object gate = new();
    private readonly ObjectStore store;
    private readonly SandboxOptions options;
    private readonly TraceLibrary traces;
    private DateTimeOffset start;
    private readonly Dictionary<string, TimeSpan> checkedUntil = new(StringComparer.Ordinal);

    /// <summary>Per container: the memory limit it was last checked with, so a resize that lowers it is seen.</summary>
    private readonly Dictionary<string, decimal> checkedLimit = new(StringComparer.Ordinal);

    /// <summary>Per container (<c>pod uid/name</c>): the simulated time of its next usage sample, when it is checked again.</summary>
    private readonly Dictionary<string, TimeSpan> nextSample = new(StringComparer.Ordinal);

    /// <summary>The version of the pods at the last check: a change may be a new pod, which is checked at once.</summary>
    private long seenVersion = -1;

    /// <summary>The earliest next sample of any container checked.</summary>
    private TimeSpan nextDue;

    public Simulation(ObjectStore store, SandboxOptions options)
    {
        this.store = store;
        this.options = options;
        traces = new TraceLibrary(options.TracesDirectory);
        start = options.TimeProvider.GetUtcNow();
        Metrics = new MetricsView(store, this, options);
    }

    public MetricsView Metrics { get; }

    /// <summary>Continues simulated time from <paramref name="elapsed"/> (after a restart), so every trace goes on where it was.</summary>
    public void Resume(TimeSpan elapsed)
    {
        lock (gate)
            start = options.TimeProvider.GetUtcNow() - (elapsed / options.SpeedUp);
    }

    /// <summary>Simulated time since the sandbox started: real elapsed time times the speed-up.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks((long)((options.TimeProvider.GetUtcNow() - start).Ticks * options.SpeedUp));

    /// <summary>
    /// Checks every sample since the last call for memory above a limit, and OOM-kills those containers. Called on every
    /// request, so it costs nothing while no pod changed and no container reached its next sample; otherwise only the
    /// pods with a container seen for the first time or due for a sample are copied and checked.
    /// </summary>
    public void Advance()
    {
        lock (gate)
        {
            var now = Elapsed;
            var podsVersion = store.VersionOf(ResourceCatalog.Pods);
            if (podsVersion == seenVersion && now < nextDue)
                return;
            seenVersion = podsVersion;

            var live = new HashSet<string>(StringComparer.Ordinal);
            var due = TimeSpan.MaxValue;
            var toCheck = store.Select(ResourceCatalog.Pods, null, pod =>
            {
                if (pod["status"]?["phase"]?.ToString() != "Running")
                    return null;
                var uid = pod["metadata"]!["uid"]!.ToString();
                var needed = false;
                foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var key = $"{uid}/{status["name"]}";
                    live.Add(key);
                    if (nextSample.TryGetValue(key, out var at) && now < at)
                        due = at < due ? at : due;
                    else
                        needed = true;
                }

                return needed ? (JsonObject)pod.DeepClone() : null;
            });

            foreach (var pod in toCheck)
                due = Min(due, Check(pod, now));

            // Forget containers that are gone, so their sample times never wake the check again.
            foreach (var key in nextSample.Keys.Where(k => !live.Contains(k)).ToList())
            {
                nextSample.Remove(key);
                checkedUntil.Remove(key);
                checkedLimit.Remove(key);
            }

            nextDue = due;
        }
    }

    /// <summary>Checks one pod's containers up to <paramref name="now"/>; returns the earliest time one has its next sample.</summary>
    private TimeSpan Check(JsonObject pod, TimeSpan now)
    {
        var uid = pod["metadata"]!["uid"]!.ToString();
        var due = TimeSpan.MaxValue;
        foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var container = status["name"]!.ToString();
            var key = $"{uid}/{container}";
            var source = Source(pod, "memory");
            var step = source.SampleInterval.TotalSeconds;
            var last = (long)Math.Floor(now.TotalSeconds / step);
            nextSample[key] = TimeSpan.FromSeconds((last + 1) * step);
            due = Min(due, nextSample[key]);
            if (!Quantity.TryParse(status["resources"]?["limits"]?["memory"]?.ToString(), out var limit))
                continue;
            var seen = checkedUntil.TryGetValue(key, out var from);
            checkedUntil[key] = now;
            checkedLimit[key] = limit;
            var (_, baseMemory) = Scale(pod, container);

            // Each sample is checked once: the current one on first sight, then those that passed since the last call.
            var first = seen ? (long)Math.Floor(from.TotalSeconds / step) + 1 : last;
            for (var sample = Math.Max(first, last - 10_000); sample <= last; sample++)
            {
                if ((decimal)source.FractionAt(TimeSpan.FromSeconds(sample * step)) * baseMemory > limit)
                {
                    OomKill(pod, container);
                    break;
                }
            }
        }

        return due;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    /// <summary>
    /// Looks at a resized pod at once: a memory limit lowered below the current demand OOM-kills the container now, as
    /// the kernel does when the kubelet lowers the cgroup's limit, not at the container's next sample. A raised limit
    /// kills nothing.
    /// </summary>
    public void Resized(JsonObject pod)
    {
        lock (gate)
        {
            var uid = pod["metadata"]?["uid"]?.ToString();
            var lowered = false;
            foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
            {
                var key = $"{uid}/{status["name"]}";
                if (!Quantity.TryParse(status["resources"]?["limits"]?["memory"]?.ToString(), out var limit)
                    || (checkedLimit.TryGetValue(key, out var before) && limit >= before))
                    continue;
                nextSample.Remove(key);
                checkedUntil.Remove(key);
                lowered = true;
            }

            if (lowered)
                nextDue = Min(nextDue, Check(pod, Elapsed));
        }
    }

    /// <summary>
    /// A container's usage at a simulated moment: its demand (its source's value times its scale), CPU throttled at the
    /// CPU limit and memory at most the memory limit.
    /// </summary>
    public (decimal Cpu, decimal Memory) Usage(JsonObject pod, string container, TimeSpan at)
    {
        var (cpu, memory) = Scale(pod, container);
        var (cpuLimit, memoryLimit) = Limits(pod, container);
        var cpuDemand = (decimal)Source(pod, "cpu").FractionAt(at) * cpu;
        var memoryDemand = (decimal)Source(pod, "memory").FractionAt(at) * memory;
        return (Math.Min(cpuDemand, cpuLimit ?? decimal.MaxValue), Math.Min(memoryDemand, memoryLimit ?? decimal.MaxValue));
    }

    private UsageSource Source(JsonObject pod, string resource)
    {
        var annotations = pod["metadata"]?["annotations"] as JsonObject;
        var specific = resource == "cpu" ? UsageAnnotations.CpuUsage : UsageAnnotations.MemoryUsage;
        var text = annotations?[specific]?.ToString() ?? annotations?[UsageAnnotations.Usage]?.ToString() ?? options.DefaultUsage;
        try
        {
            return UsageSource.Parse(text, traces, options.UsageSampleInterval);
        }
        catch (Exception e) when (e is FormatException or IOException or InvalidOperationException)
        {
            // A bad annotation must not break the API; the pod reports the default usage instead.
            return UsageSource.Parse(options.DefaultUsage, traces, options.UsageSampleInterval);
        }
    }

    /// <summary>What a container's usage source is relative to: its fixed scale, else (a pod stored before scales
    /// existed) its allocated requests.</summary>
    private static (decimal Cpu, decimal Memory) Scale(JsonObject pod, string container)
    {
        if (UsageScale.Read(pod, container) is { } scale)
            return scale;
        var resources = Resources(pod, container);
        decimal Pick(string name, decimal fallback) =>
            Quantity.TryParse((resources?["requests"]?[name] ?? resources?["limits"]?[name])?.ToString(), out var value) ? value : fallback;
        return (Pick("cpu", DefaultBase.Cpu), Pick("memory", DefaultBase.Memory));
    }

    private static (decimal? Cpu, decimal? Memory) Limits(JsonObject pod, string container)
    {
        var limits = Resources(pod, container)?["limits"];
        return (Quantity.TryParse(limits?["cpu"]?.ToString(), out var cpu) ? cpu : null,
            Quantity.TryParse(limits?["memory"]?.ToString(), out var memory) ? memory : null);
    }

    /// <summary>The resources a container runs with: the allocated ones in its status, else its spec's.</summary>
    private static JsonNode? Resources(JsonObject pod, string container)
    {
        var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["name"]?.ToString() == container);
        var spec = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["name"]?.ToString() == container);
        return status?["resources"] ?? spec?["resources"];
    }

    private void OomKill(JsonObject pod, string container)
    {
        var now = store.Now();
        try
        {
            store.Update(ResourceCatalog.Pods, pod["metadata"]!["namespace"]!.ToString(), pod["metadata"]!["name"]!.ToString(), current =>
            {
                var status = (current["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().First(s => s["name"]?.ToString() == container);
                status["restartCount"] = (JsonNumbers.Int(status["restartCount"]) ?? 0) + 1;
                status["lastState"] = new JsonObject
                {
                    ["terminated"] = new JsonObject
                    {
                        ["exitCode"] = 137,
                        ["reason"] = "OOMKilled",
                        ["startedAt"] = status["state"]?["running"]?["startedAt"]?.DeepClone(),
                        ["finishedAt"] = now,
                        ["containerID"] = status["containerID"]?.DeepClone(),
                    },
                };
                status["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = now } };
                status["containerID"] = $"sandbox://{Guid.NewGuid():N}";
                current["metadata"]!["resourceVersion"] = null;
                return current;
            }, "status");
        }
        catch (ApiError error) when (error.Code == 404)
        {
            // The pod went away meanwhile.
        }
    }
}
