using System.Text.Json.Nodes;
using Thoras.Sandbox.Api;

namespace Thoras.Sandbox.Usage;

/// <summary>
/// Simulated time and the usage it drives: each container's CPU and memory follow its usage source, and a container whose
/// memory goes above its limit is OOM-killed and restarted, as the kubelet reports it.
/// </summary>
internal sealed class Simulation
{
    private static readonly (decimal Cpu, decimal Memory) DefaultBase = (0.1m, 128m * 1024 * 1024);

    private readonly object gate = new();
    private readonly ObjectStore store;
    private readonly SandboxOptions options;
    private readonly TraceLibrary traces;
    private readonly DateTimeOffset start;
    private readonly Dictionary<string, TimeSpan> checkedUntil = new(StringComparer.Ordinal);

    public Simulation(ObjectStore store, SandboxOptions options)
    {
        this.store = store;
        this.options = options;
        traces = new TraceLibrary(options.TracesDirectory);
        start = options.TimeProvider.GetUtcNow();
        Metrics = new MetricsView(store, this, options);
    }

    public MetricsView Metrics { get; }

    /// <summary>Simulated time since the sandbox started: real elapsed time times the speed-up.</summary>
    public TimeSpan Elapsed => TimeSpan.FromTicks((long)((options.TimeProvider.GetUtcNow() - start).Ticks * options.SpeedUp));

    /// <summary>Checks every sample since the last call for memory above a limit, and OOM-kills those containers.</summary>
    public void Advance()
    {
        lock (gate)
        {
            var now = Elapsed;
            foreach (var pod in store.List(ResourceCatalog.Pods, null).Items.Where(p => p["status"]?["phase"]?.ToString() == "Running"))
            {
                var uid = pod["metadata"]!["uid"]!.ToString();
                foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    var container = status["name"]!.ToString();
                    if (!Quantity.TryParse(status["resources"]?["limits"]?["memory"]?.ToString(), out var limit))
                        continue;
                    var key = $"{uid}/{container}";
                    var seen = checkedUntil.TryGetValue(key, out var from);
                    checkedUntil[key] = now;
                    var source = Source(pod, "memory");
                    var step = source.SampleInterval.TotalSeconds;
                    var (_, baseMemory) = Base(pod, container);

                    // Each sample is checked once: the current one on first sight, then those that passed since the last call.
                    var last = (long)Math.Floor(now.TotalSeconds / step);
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
            }
        }
    }

    /// <summary>A container's usage at a simulated moment: its source's fraction of its allocated requests.</summary>
    public (decimal Cpu, decimal Memory) Usage(JsonObject pod, string container, TimeSpan at)
    {
        var (cpu, memory) = Base(pod, container);
        return ((decimal)Source(pod, "cpu").FractionAt(at) * cpu, (decimal)Source(pod, "memory").FractionAt(at) * memory);
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

    private static (decimal Cpu, decimal Memory) Base(JsonObject pod, string container)
    {
        var status = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["name"]?.ToString() == container);
        var spec = (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(s => s["name"]?.ToString() == container);
        var resources = status?["resources"] ?? spec?["resources"];
        decimal Pick(string name, decimal fallback) =>
            Quantity.TryParse((resources?["requests"]?[name] ?? resources?["limits"]?[name])?.ToString(), out var value) ? value : fallback;
        return (Pick("cpu", DefaultBase.Cpu), Pick("memory", DefaultBase.Memory));
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
