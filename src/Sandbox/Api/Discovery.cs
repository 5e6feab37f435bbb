using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;
using Thoras.Sandbox.Usage;

namespace Thoras.Sandbox.Api;

/// <summary>The discovery documents kubectl and the client read: /version, /api, /apis and each group-version's resources.</summary>
internal sealed class Discovery
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];
    private static readonly HashSet<string> InCategoryAll = new(StringComparer.Ordinal)
    {
        "pods", "services", "deployments", "statefulsets", "replicasets", "daemonsets", "horizontalpodautoscalers", "jobs", "cronjobs",
    };

    private readonly ResourceCatalog catalog;

    public Discovery(ResourceCatalog catalog) => this.catalog = catalog;

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "35",
        ["gitVersion"] = "v1.35.0-thoras-sandbox",
        ["gitCommit"] = "0000000000000000000000000000000000000000",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "go1.25.0",
        ["compiler"] = "gc",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string host) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = host }),
    };

    public JsonObject Groups() => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray(GroupVersions().Where(g => g.Key.Length > 0).Select(g => (JsonNode)GroupDocument(g.Key, g.Value)).ToArray()),
    };

    public JsonObject? Group(string group)
    {
        var versions = GroupVersions().FirstOrDefault(g => g.Key == group);
        return versions.Value is null ? null : GroupDocument(group, versions.Value);
    }

    public JsonObject? Resources(string group, string version)
    {
        if (group == MetricsView.Group && version == MetricsView.Version)
        {
            return ResourceList($"{group}/{version}",
            [
                Resource("nodes", "NodeMetrics", false, [], ["get", "list"]),
                Resource("pods", "PodMetrics", true, [], ["get", "list"]),
            ]);
        }

        var types = catalog.All().Where(t => t.Group == group && t.Version == version).ToList();
        if (types.Count == 0)
            return null;
        var resources = new List<JsonObject>();
        foreach (var type in types)
        {
            var resource = Resource(type.Plural, type.Kind, type.Namespaced, type.ShortNames, AllVerbs);
            resource["singularName"] = type.Singular;
            if (InCategoryAll.Contains(type.Plural) && !type.IsCustom)
                resource["categories"] = new JsonArray("all");
            resources.Add(resource);
            if (type.HasStatus)
                resources.Add(Resource($"{type.Plural}/status", type.Kind, type.Namespaced, [], ["get", "patch", "update"]));
            if (type.HasScale)
            {
                var scale = Resource($"{type.Plural}/scale", "Scale", type.Namespaced, [], ["get", "patch", "update"]);
                scale["group"] = "autoscaling";
                scale["version"] = "v1";
                resources.Add(scale);
            }

            if (type.StorageKey == ResourceCatalog.Pods.StorageKey)
            {
                resources.Add(Resource("pods/resize", "Pod", true, [], ["get", "patch", "update"]));
                var eviction = Resource("pods/eviction", "Eviction", true, [], ["create"]);
                eviction["group"] = "policy";
                eviction["version"] = "v1";
                resources.Add(eviction);
            }
        }

        return ResourceList(type: group.Length == 0 ? version : $"{group}/{version}", resources);
    }

    private Dictionary<string, List<string>> GroupVersions()
    {
        var groups = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var type in catalog.All())
        {
            if (!groups.TryGetValue(type.Group, out var versions))
                groups[type.Group] = versions = [];
            if (!versions.Contains(type.Version))
                versions.Add(type.Version);
        }

        groups[MetricsView.Group] = [MetricsView.Version];
        return groups;
    }

    private static JsonObject GroupDocument(string group, List<string> versions)
    {
        JsonObject GroupVersion(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(versions.Select(v => (JsonNode)GroupVersion(v)).ToArray()),
            ["preferredVersion"] = GroupVersion(versions[0]),
        };
    }

    private static JsonObject ResourceList(string type, List<JsonObject> resources) => new()
    {
        ["kind"] = "APIResourceList",
        ["apiVersion"] = "v1",
        ["groupVersion"] = type,
        ["resources"] = new JsonArray([.. resources]),
    };

    private static JsonObject Resource(string name, string kind, bool namespaced, IEnumerable<string> shortNames, IEnumerable<string> verbs)
    {
        var resource = new JsonObject
        {
            ["name"] = name,
            ["singularName"] = "",
            ["namespaced"] = namespaced,
            ["kind"] = kind,
            ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)v).ToArray()),
        };
        var shorts = shortNames.ToArray();
        if (shorts.Length > 0)
            resource["shortNames"] = new JsonArray(shorts.Select(s => (JsonNode)s).ToArray());
        return resource;
    }
}
