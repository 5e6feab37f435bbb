using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>The resources the sandbox serves: the built-in kinds plus every applied CustomResourceDefinition.</summary>
internal sealed class ResourceCatalog
{
    private readonly object gate = new();
    private readonly List<ResourceType> builtIns;
    private readonly Dictionary<string, List<ResourceType>> custom = new(StringComparer.Ordinal);

    public ResourceCatalog()
    {
        builtIns =
        [
            Namespaces,
            Pods,
            Core("configmaps", "ConfigMap", true, ["cm"]),
            Core("secrets", "Secret", true, []),
            Core("services", "Service", true, ["svc"], status: true),
            Core("serviceaccounts", "ServiceAccount", true, ["sa"]),
            CoreEvents,
            Nodes,
            Core("endpoints", "Endpoints", true, ["ep"]),
            Core("persistentvolumeclaims", "PersistentVolumeClaim", true, ["pvc"], status: true),
            Deployments,
            StatefulSets,
            Builtin("apps", "v1", "replicasets", "ReplicaSet", true, ["rs"], status: true, scale: true),
            Builtin("apps", "v1", "daemonsets", "DaemonSet", true, ["ds"], status: true),
            Builtin("autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true, ["hpa"], status: true),
            Pdbs,
            Builtin("batch", "v1", "jobs", "Job", true, [], status: true),
            Builtin("batch", "v1", "cronjobs", "CronJob", true, ["cj"], status: true),
            EventsV1Events,
            Builtin("coordination.k8s.io", "v1", "leases", "Lease", true, []),
            Crds,
            Builtin("rbac.authorization.k8s.io", "v1", "roles", "Role", true, []),
            Builtin("rbac.authorization.k8s.io", "v1", "rolebindings", "RoleBinding", true, []),
            Builtin("rbac.authorization.k8s.io", "v1", "clusterroles", "ClusterRole", false, []),
            Builtin("rbac.authorization.k8s.io", "v1", "clusterrolebindings", "ClusterRoleBinding", false, []),
            MutatingWebhooks,
            Builtin("admissionregistration.k8s.io", "v1", "validatingwebhookconfigurations", "ValidatingWebhookConfiguration", false, []),
            Builtin("networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true, ["netpol"]),
            Builtin("scheduling.k8s.io", "v1", "priorityclasses", "PriorityClass", false, ["pc"]),
        ];
    }

    public static readonly ResourceType Namespaces = Core("namespaces", "Namespace", false, ["ns"], status: true);
    public static readonly ResourceType Pods = Core("pods", "Pod", true, ["po"], status: true);
    public static readonly ResourceType Nodes = Core("nodes", "Node", false, ["no"], status: true);
    public static readonly ResourceType CoreEvents = Core("events", "Event", true, ["ev"]);
    public static readonly ResourceType EventsV1Events = new("events.k8s.io", "v1", "events", "Event", true, ["ev"], false, false, Conversion: new EventsV1(CoreEvents));
    public static readonly ResourceType Deployments = Builtin("apps", "v1", "deployments", "Deployment", true, ["deploy"], status: true, scale: true);
    public static readonly ResourceType StatefulSets = Builtin("apps", "v1", "statefulsets", "StatefulSet", true, ["sts"], status: true, scale: true);
    public static readonly ResourceType Pdbs = Builtin("policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true, ["pdb"], status: true);
    public static readonly ResourceType Crds = Builtin("apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition", false, ["crd", "crds"], status: true);
    public static readonly ResourceType MutatingWebhooks = Builtin("admissionregistration.k8s.io", "v1", "mutatingwebhookconfigurations", "MutatingWebhookConfiguration", false, []);

    /// <summary>Group-versions that are served, in discovery order, with their resources.</summary>
    public IReadOnlyList<ResourceType> All()
    {
        lock (gate)
            return [.. builtIns, .. custom.Values.SelectMany(v => v)];
    }

    public ResourceType? Find(string group, string version, string plural)
    {
        lock (gate)
        {
            return builtIns.Concat(custom.Values.SelectMany(v => v))
                .FirstOrDefault(t => t.Group == group && t.Version == version && t.Plural == plural);
        }
    }

    public ResourceType? FindByKind(string apiVersion, string kind)
    {
        lock (gate)
        {
            return builtIns.Concat(custom.Values.SelectMany(v => v))
                .FirstOrDefault(t => t.ApiVersion == apiVersion && t.Kind == kind);
        }
    }

    /// <summary>Starts or updates serving the versions a CRD declares.</summary>
    public void Register(JsonObject crd)
    {
        var spec = crd["spec"]?.AsObject() ?? throw ApiError.BadRequest("CustomResourceDefinition has no spec");
        var group = spec["group"]?.ToString() ?? throw ApiError.BadRequest("spec.group is required");
        var names = spec["names"]?.AsObject() ?? throw ApiError.BadRequest("spec.names is required");
        var plural = names["plural"]?.ToString() ?? throw ApiError.BadRequest("spec.names.plural is required");
        var kind = names["kind"]?.ToString() ?? throw ApiError.BadRequest("spec.names.kind is required");
        var shortNames = names["shortNames"]?.AsArray().Select(n => n!.ToString()).ToArray() ?? [];
        var namespaced = (spec["scope"]?.ToString() ?? "Namespaced") == "Namespaced";
        var types = new List<ResourceType>();
        foreach (var version in spec["versions"]?.AsArray() ?? [])
        {
            if (version is not JsonObject v || v["served"]?.ToString() == "false")
                continue;
            var columns = PrinterColumns(v["additionalPrinterColumns"] as JsonArray);
            types.Add(new ResourceType(
                group,
                v["name"]?.ToString() ?? throw ApiError.BadRequest("spec.versions[].name is required"),
                plural,
                kind,
                namespaced,
                shortNames,
                HasStatus: v["subresources"]?["status"] is not null,
                HasScale: v["subresources"]?["scale"] is not null,
                IsCustom: true,
                PrinterColumns: columns,
                Schema: v["schema"]?["openAPIV3Schema"]?.DeepClone() as JsonObject));
        }

        lock (gate)
            custom[$"{group}/{plural}"] = types;
    }

    /// <summary>A version's printer columns, or null (the default columns) when a path does not parse, as the API server
    /// falls back when its table convertor cannot be built.</summary>
    private static List<PrinterColumn>? PrinterColumns(JsonArray? definitions)
    {
        try
        {
            return (definitions ?? [])
                .OfType<JsonObject>()
                .Select(c => new PrinterColumn(
                    c["name"]?.ToString() ?? "",
                    c["type"]?.ToString() ?? "string",
                    c["format"]?.ToString() ?? "",
                    JsonPathExpression.Parse(c["jsonPath"]?.ToString() ?? ""),
                    c["description"]?.ToString() ?? "",
                    JsonNumbers.Int(c["priority"]) ?? 0))
                .ToList();
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public void Unregister(JsonObject crd)
    {
        var group = crd["spec"]?["group"]?.ToString();
        var plural = crd["spec"]?["names"]?["plural"]?.ToString();
        lock (gate)
            custom.Remove($"{group}/{plural}");
    }

    private static ResourceType Core(string plural, string kind, bool namespaced, string[] shortNames, bool status = false) =>
        new("", "v1", plural, kind, namespaced, shortNames, status, false);

    private static ResourceType Builtin(string group, string version, string plural, string kind, bool namespaced, string[] shortNames, bool status = false, bool scale = false) =>
        new(group, version, plural, kind, namespaced, shortNames, status, scale);
}
