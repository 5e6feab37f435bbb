using System.Text.Json.Nodes;
using Thoras.Sandbox.Usage;

namespace Thoras.Sandbox.Seeding;

/// <summary>Builders for the manifests tests and the local host seed: namespaces, HPAs, PDBs, CRDs and custom objects.</summary>
public static class Manifests
{
    public static JsonObject Namespace(string name, IReadOnlyDictionary<string, string>? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = Metadata(name, null, labels),
    };

    public static JsonObject ConfigMap(string ns, string name, IReadOnlyDictionary<string, string> data) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(name, ns, null),
        ["data"] = new JsonObject(data.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
    };

    /// <summary>An <c>autoscaling/v2</c> HPA on a workload's CPU utilisation.</summary>
    public static JsonObject HorizontalPodAutoscaler(string ns, string name, string targetKind, string targetName, int minReplicas, int maxReplicas, int cpuUtilization = 80) => new()
    {
        ["apiVersion"] = "autoscaling/v2",
        ["kind"] = "HorizontalPodAutoscaler",
        ["metadata"] = Metadata(name, ns, null),
        ["spec"] = new JsonObject
        {
            ["scaleTargetRef"] = new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = targetKind, ["name"] = targetName },
            ["minReplicas"] = minReplicas,
            ["maxReplicas"] = maxReplicas,
            ["metrics"] = new JsonArray(new JsonObject
            {
                ["type"] = "Resource",
                ["resource"] = new JsonObject
                {
                    ["name"] = "cpu",
                    ["target"] = new JsonObject { ["type"] = "Utilization", ["averageUtilization"] = cpuUtilization },
                },
            }),
        },
    };

    /// <summary>A <c>policy/v1</c> PDB; give exactly one of <paramref name="minAvailable"/> and <paramref name="maxUnavailable"/>
    /// (an integer or a percentage such as <c>"50%"</c>).</summary>
    public static JsonObject PodDisruptionBudget(string ns, string name, IReadOnlyDictionary<string, string> matchLabels, string? minAvailable = null, string? maxUnavailable = null)
    {
        if ((minAvailable is null) == (maxUnavailable is null))
            throw new ArgumentException("Give exactly one of minAvailable and maxUnavailable.");
        var spec = new JsonObject { ["selector"] = new JsonObject { ["matchLabels"] = Labels(matchLabels) } };
        if (minAvailable is not null)
            spec["minAvailable"] = IntOrPercent(minAvailable);
        if (maxUnavailable is not null)
            spec["maxUnavailable"] = IntOrPercent(maxUnavailable);
        return new JsonObject
        {
            ["apiVersion"] = "policy/v1",
            ["kind"] = "PodDisruptionBudget",
            ["metadata"] = Metadata(name, ns, null),
            ["spec"] = spec,
        };
    }

    /// <summary>A namespaced CRD serving one version with a status subresource and optional printer columns
    /// (name, type, jsonPath).</summary>
    public static JsonObject CustomResourceDefinition(string group, string version, string kind, string plural, IReadOnlyList<string>? shortNames = null, IReadOnlyList<(string Name, string Type, string JsonPath)>? printerColumns = null) => new()
    {
        ["apiVersion"] = "apiextensions.k8s.io/v1",
        ["kind"] = "CustomResourceDefinition",
        ["metadata"] = Metadata($"{plural}.{group}", null, null),
        ["spec"] = new JsonObject
        {
            ["group"] = group,
            ["scope"] = "Namespaced",
            ["names"] = new JsonObject
            {
                ["kind"] = kind,
                ["listKind"] = kind + "List",
                ["plural"] = plural,
                ["singular"] = kind.ToLowerInvariant(),
                ["shortNames"] = new JsonArray((shortNames ?? []).Select(s => (JsonNode)s).ToArray()),
            },
            ["versions"] = new JsonArray(new JsonObject
            {
                ["name"] = version,
                ["served"] = true,
                ["storage"] = true,
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
                ["additionalPrinterColumns"] = new JsonArray((printerColumns ?? []).Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["type"] = c.Type,
                    ["jsonPath"] = c.JsonPath,
                }).ToArray()),
            }),
        },
    };

    /// <summary>A custom object of any kind with the given spec.</summary>
    public static JsonObject CustomObject(string apiVersion, string kind, string ns, string name, JsonObject spec) => new()
    {
        ["apiVersion"] = apiVersion,
        ["kind"] = kind,
        ["metadata"] = Metadata(name, ns, null),
        ["spec"] = spec,
    };

    internal static JsonObject Metadata(string name, string? ns, IReadOnlyDictionary<string, string>? labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
            metadata["namespace"] = ns;
        if (labels is { Count: > 0 })
            metadata["labels"] = Labels(labels);
        return metadata;
    }

    internal static JsonObject Labels(IReadOnlyDictionary<string, string> labels) =>
        new(labels.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value)));

    private static JsonValue IntOrPercent(string value) =>
        int.TryParse(value, out var number) ? JsonValue.Create(number) : JsonValue.Create(value);
}

/// <summary>Builds a Deployment or StatefulSet with containers, requests/limits and a usage source.</summary>
/// <example><code>
/// var web = WorkloadBuilder.Deployment("shop", "web").WithReplicas(3)
///     .WithContainer("app", cpuRequest: "250m", memoryRequest: "256Mi", memoryLimit: "512Mi")
///     .WithUsage("trace:nab/ec2_cpu_utilization_24ae8d.csv").Build();
/// </code></example>
public sealed class WorkloadBuilder
{
    private readonly string kind;
    private readonly string ns;
    private readonly string name;
    private readonly List<JsonObject> containers = [];
    private readonly Dictionary<string, string> labels = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> annotations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> templateAnnotations = new(StringComparer.Ordinal);
    private int replicas = 1;

    private WorkloadBuilder(string kind, string ns, string name)
    {
        this.kind = kind;
        this.ns = ns;
        this.name = name;
        labels["app"] = name;
    }

    public static WorkloadBuilder Deployment(string ns, string name) => new("Deployment", ns, name);

    public static WorkloadBuilder StatefulSet(string ns, string name) => new("StatefulSet", ns, name);

    public WorkloadBuilder WithReplicas(int count)
    {
        replicas = count;
        return this;
    }

    /// <summary>Adds a container; requests and limits are quantities, null leaves them unset.</summary>
    public WorkloadBuilder WithContainer(string containerName, string? cpuRequest = null, string? memoryRequest = null, string? cpuLimit = null, string? memoryLimit = null, string image = "registry.k8s.io/pause:3.10")
    {
        var resources = new JsonObject();
        var requests = Resources(cpuRequest, memoryRequest);
        var limits = Resources(cpuLimit, memoryLimit);
        if (requests.Count > 0)
            resources["requests"] = requests;
        if (limits.Count > 0)
            resources["limits"] = limits;
        containers.Add(new JsonObject { ["name"] = containerName, ["image"] = image, ["resources"] = resources });
        return this;
    }

    /// <summary>Sets the usage source for CPU and memory (see <see cref="UsageAnnotations.Usage"/>).</summary>
    public WorkloadBuilder WithUsage(string source) => WithAnnotation(UsageAnnotations.Usage, source);

    public WorkloadBuilder WithCpuUsage(string source) => WithAnnotation(UsageAnnotations.CpuUsage, source);

    public WorkloadBuilder WithMemoryUsage(string source) => WithAnnotation(UsageAnnotations.MemoryUsage, source);

    public WorkloadBuilder WithLabel(string key, string value)
    {
        labels[key] = value;
        return this;
    }

    public WorkloadBuilder WithAnnotation(string key, string value)
    {
        annotations[key] = value;
        return this;
    }

    public WorkloadBuilder WithTemplateAnnotation(string key, string value)
    {
        templateAnnotations[key] = value;
        return this;
    }

    public JsonObject Build()
    {
        var metadata = Manifests.Metadata(name, ns, labels);
        if (annotations.Count > 0)
            metadata["annotations"] = Manifests.Labels(annotations);
        var templateMetadata = new JsonObject { ["labels"] = Manifests.Labels(labels) };
        if (templateAnnotations.Count > 0)
            templateMetadata["annotations"] = Manifests.Labels(templateAnnotations);
        var spec = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = new JsonObject { ["app"] = name } },
            ["template"] = new JsonObject
            {
                ["metadata"] = templateMetadata,
                ["spec"] = new JsonObject
                {
                    ["containers"] = new JsonArray(containers.Select(c => (JsonNode)c.DeepClone()).DefaultIfEmpty(
                        new JsonObject { ["name"] = "app", ["image"] = "registry.k8s.io/pause:3.10" }).ToArray()),
                },
            },
        };
        if (kind == "StatefulSet")
            spec["serviceName"] = name;
        return new JsonObject { ["apiVersion"] = "apps/v1", ["kind"] = kind, ["metadata"] = metadata, ["spec"] = spec };
    }

    private static JsonObject Resources(string? cpu, string? memory)
    {
        var result = new JsonObject();
        if (cpu is not null)
            result["cpu"] = cpu;
        if (memory is not null)
            result["memory"] = memory;
        return result;
    }
}
