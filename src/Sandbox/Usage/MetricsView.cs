using System.Globalization;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Usage;

/// <summary>The <c>metrics.k8s.io/v1beta1</c> API: PodMetrics and NodeMetrics computed from each pod's usage source.</summary>
internal sealed class MetricsView
{
    public const string Group = "metrics.k8s.io";
    public const string Version = "v1beta1";

    private readonly ObjectStore store;
    private readonly Simulation simulation;
    private readonly SandboxOptions options;

    public MetricsView(ObjectStore store, Simulation simulation, SandboxOptions options)
    {
        this.store = store;
        this.simulation = simulation;
        this.options = options;
    }

    public JsonObject Serve(string version, string plural, string? ns, string? name, string? labelSelector)
    {
        if (version != Version || plural is not ("pods" or "nodes"))
            throw new ApiError(404, "NotFound", "the server could not find the requested resource");
        var at = simulation.Elapsed;
        var now = store.Now();
        var labels = Selectors.ParseLabelSelector(labelSelector);
        var pods = store.List(ResourceCatalog.Pods, ns, labels).Items.Where(Reportable).ToList();
        if (plural == "nodes")
        {
            decimal cpu = 0, memory = 0;
            foreach (var pod in pods)
            {
                foreach (var container in Containers(pod))
                {
                    var usage = simulation.Usage(pod, container, at);
                    cpu += usage.Cpu;
                    memory += usage.Memory;
                }
            }

            var node = new JsonObject
            {
                ["metadata"] = new JsonObject { ["name"] = "sandbox-node", ["creationTimestamp"] = now },
                ["timestamp"] = now,
                ["window"] = "30s",
                ["usage"] = new JsonObject { ["cpu"] = Quantity.FormatCpu(cpu), ["memory"] = Quantity.FormatMemory(memory) },
            };
            return name is null ? ListOf("NodeMetricsList", [node])
                : name == "sandbox-node" ? Single("NodeMetrics", node)
                : throw new ApiError(404, "NotFound", $"nodemetrics.metrics.k8s.io \"{name}\" not found", name, "nodes", Group);
        }

        var items = pods.Select(pod => new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["name"] = pod["metadata"]!["name"]!.DeepClone(),
                ["namespace"] = pod["metadata"]!["namespace"]!.DeepClone(),
                ["labels"] = pod["metadata"]?["labels"]?.DeepClone(),
                ["creationTimestamp"] = now,
            },
            ["timestamp"] = now,
            ["window"] = "30s",
            ["containers"] = new JsonArray(Containers(pod).Select(container =>
            {
                var usage = simulation.Usage(pod, container, at);
                return (JsonNode)new JsonObject
                {
                    ["name"] = container,
                    ["usage"] = new JsonObject { ["cpu"] = Quantity.FormatCpu(usage.Cpu), ["memory"] = Quantity.FormatMemory(usage.Memory) },
                };
            }).ToArray()),
        }).ToList();
        if (name is null)
            return ListOf("PodMetricsList", items);
        var found = items.FirstOrDefault(i => i["metadata"]!["name"]!.ToString() == name);
        return found is null
            ? throw new ApiError(404, "NotFound", $"podmetrics.metrics.k8s.io \"{ns}/{name}\" not found", name, "pods", Group)
            : Single("PodMetrics", found);
    }

    private bool Reportable(JsonObject pod)
    {
        if (pod["status"]?["phase"]?.ToString() != "Running" || pod["metadata"]?["deletionTimestamp"] is not null)
            return false;
        var started = (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(s => s["state"]?["running"]?["startedAt"]?.ToString())
            .Where(s => s is not null)
            .Select(s => DateTimeOffset.Parse(s!, CultureInfo.InvariantCulture))
            .DefaultIfEmpty(DateTimeOffset.MinValue)
            .Max();
        return options.TimeProvider.GetUtcNow() - started >= options.MetricsWarmup;
    }

    private static IEnumerable<string> Containers(JsonObject pod) =>
        (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().Select(c => c["name"]!.ToString());

    private static JsonObject ListOf(string kind, List<JsonObject> items) => new()
    {
        ["kind"] = kind,
        ["apiVersion"] = $"{Group}/{Version}",
        ["metadata"] = new JsonObject(),
        ["items"] = new JsonArray([.. items]),
    };

    private static JsonObject Single(string kind, JsonObject item)
    {
        var result = new JsonObject { ["kind"] = kind, ["apiVersion"] = $"{Group}/{Version}" };
        foreach (var (key, value) in item)
            result[key] = value?.DeepClone();
        return result;
    }
}
