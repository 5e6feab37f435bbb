using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Api;

/// <summary>Server-side printing: the <c>meta.k8s.io/v1</c> Table that <c>kubectl get</c> asks for.</summary>
internal static class Tables
{
    private sealed record Column(string Name, string Type, Func<JsonObject, JsonNode?> Cell, int Priority = 0, string Format = "");

    public static JsonObject Build(ResourceType type, IEnumerable<JsonObject> items, string resourceVersion, ObjectStore store)
    {
        var now = DateTimeOffset.Parse(store.Now(), CultureInfo.InvariantCulture);
        var columns = ColumnsFor(type.Stored, now);

        // A converted type prints as its stored form does, as the API server prints its internal version.
        if (type.Conversion is { } conversion)
            items = items.Select(conversion.ToStorage).ToList();
        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = new JsonObject { ["resourceVersion"] = resourceVersion },
            ["columnDefinitions"] = new JsonArray(columns.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["type"] = c.Type,
                ["format"] = c.Format,
                ["description"] = c.Name,
                ["priority"] = c.Priority,
            }).ToArray()),
            ["rows"] = new JsonArray(items.Select(item => (JsonNode)new JsonObject
            {
                ["cells"] = new JsonArray(columns.Select(c => c.Cell(item)?.DeepClone() ?? "<none>").ToArray()),
                ["object"] = new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = item["metadata"]?.DeepClone(),
                },
            }).ToArray()),
        };
    }

    private static List<Column> ColumnsFor(ResourceType type, DateTimeOffset now)
    {
        var name = new Column("Name", "string", o => o["metadata"]?["name"]?.DeepClone(), Format: "name");
        var age = new Column("Age", "string", o => Age(o["metadata"]?["creationTimestamp"]?.ToString(), now));
        string S(JsonObject o, string path) => JsonPaths.GetString(o, path) ?? "<none>";
        int I(JsonObject o, string path) => JsonNumbers.Int(JsonPaths.Get(o, path)) ?? 0;

        if (type.IsCustom)
        {
            return type.PrinterColumns switch
            {
                null => [name, new Column("Created At", "date", o => o["metadata"]?["creationTimestamp"]?.DeepClone())],
                [] => [name, age],
                var printer => [name, .. printer.Select(c => new Column(c.Name, c.Type, o => CustomCell(c, o, now), c.Priority, c.Format))],
            };
        }

        return (type.Group, type.Plural) switch
        {
            ("", "pods") =>
            [
                name,
                new Column("Ready", "string", o => $"{(o["status"]?["containerStatuses"] as JsonArray ?? []).Count(c => c?["ready"]?.ToString() == "true")}/{(o["spec"]?["containers"] as JsonArray ?? []).Count}"),
                new Column("Status", "string", o => PodStatus(o)),
                new Column("Restarts", "string", o => (o["status"]?["containerStatuses"] as JsonArray ?? []).Sum(c => JsonNumbers.Int(c?["restartCount"]) ?? 0).ToString(CultureInfo.InvariantCulture)),
                age,
                new Column("IP", "string", o => S(o, "status.podIP"), 1),
                new Column("Node", "string", o => S(o, "spec.nodeName"), 1),
            ],
            ("apps", "deployments") =>
            [
                name,
                new Column("Ready", "string", o => $"{I(o, "status.readyReplicas")}/{JsonNumbers.Int(JsonPaths.Get(o, "spec.replicas")) ?? 1}"),
                new Column("Up-to-date", "integer", o => I(o, "status.updatedReplicas")),
                new Column("Available", "integer", o => I(o, "status.availableReplicas")),
                age,
            ],
            ("apps", "statefulsets") =>
            [
                name,
                new Column("Ready", "string", o => $"{I(o, "status.readyReplicas")}/{JsonNumbers.Int(JsonPaths.Get(o, "spec.replicas")) ?? 1}"),
                age,
            ],
            ("", "configmaps") => [name, new Column("Data", "integer", o => (o["data"] as JsonObject ?? []).Count + (o["binaryData"] as JsonObject ?? []).Count), age],
            ("", "secrets") => [name, new Column("Type", "string", o => S(o, "type")), new Column("Data", "integer", o => (o["data"] as JsonObject ?? []).Count), age],
            ("", "namespaces") => [name, new Column("Status", "string", o => o["metadata"]?["deletionTimestamp"] is null ? "Active" : "Terminating"), age],
            ("", "nodes") => [name, new Column("Status", "string", _ => "Ready"), new Column("Roles", "string", _ => "<none>"), age, new Column("Version", "string", o => S(o, "status.nodeInfo.kubeletVersion"))],
            ("", "services") => [name, new Column("Type", "string", o => S(o, "spec.type")), new Column("Cluster-IP", "string", o => S(o, "spec.clusterIP")), age],
            ("", "events") =>
            [
                new Column("Last Seen", "string", o => EventLastSeen(o, now)),
                new Column("Type", "string", o => JsonPaths.GetString(o, "type") ?? ""),
                new Column("Reason", "string", o => JsonPaths.GetString(o, "reason") ?? ""),
                new Column("Object", "string", o => EventObject(o)),
                new Column("Subobject", "string", o => JsonPaths.GetString(o, "involvedObject.fieldPath") ?? "", 1),
                new Column("Source", "string", o => EventSource(o), 1),
                new Column("Message", "string", o => (JsonPaths.GetString(o, "message") ?? "").Trim()),
                new Column("First Seen", "string", o => EventFirstSeen(o, now), 1),
                new Column("Count", "string", o => JsonNumbers.Long(o["series"]?["count"]) ?? (JsonNumbers.Long(o["count"]) is { } count and not 0 ? count : 1), 1),
                name with { Priority = 1 },
            ],
            ("autoscaling", "horizontalpodautoscalers") =>
            [
                name,
                new Column("Reference", "string", o => $"{S(o, "spec.scaleTargetRef.kind")}/{S(o, "spec.scaleTargetRef.name")}"),
                new Column("MinPods", "integer", o => JsonNumbers.Int(JsonPaths.Get(o, "spec.minReplicas")) ?? 1),
                new Column("MaxPods", "integer", o => I(o, "spec.maxReplicas")),
                new Column("Replicas", "integer", o => I(o, "status.currentReplicas")),
                age,
            ],
            ("policy", "poddisruptionbudgets") =>
            [
                name,
                new Column("Min Available", "string", o => S(o, "spec.minAvailable").Replace("<none>", "N/A", StringComparison.Ordinal)),
                new Column("Max Unavailable", "string", o => S(o, "spec.maxUnavailable").Replace("<none>", "N/A", StringComparison.Ordinal)),
                new Column("Allowed Disruptions", "integer", o => I(o, "status.disruptionsAllowed")),
                age,
            ],
            ("apiextensions.k8s.io", "customresourcedefinitions") =>
                [name, new Column("Created At", "date", o => o["metadata"]?["creationTimestamp"]?.DeepClone())],
            _ => [name, age],
        };
    }

    /// <summary>
    /// A printer column's cell as the API server's table convertor makes it: the first value its path selects, printed
    /// for a string column and otherwise kept when it has the column's type; null (kubectl prints &lt;none&gt;) when
    /// nothing is selected, the value is of another type, or the path fails on this object.
    /// </summary>
    private static JsonNode? CustomCell(PrinterColumn column, JsonObject obj, DateTimeOffset now)
    {
        if (column.JsonPath.Evaluate(obj) is not [JsonNode value, ..])
            return null;
        var kind = value.GetValueKind();
        return column.Type switch
        {
            "string" => JsonPathExpression.Text(value),
            "integer" when kind == JsonValueKind.Number => JsonPathExpression.Number(value.AsValue()) switch
            {
                long integer => integer,
                var real => (long)(double)real,
            },
            "number" when kind == JsonValueKind.Number => Convert.ToDouble(JsonPathExpression.Number(value.AsValue()), CultureInfo.InvariantCulture),
            "boolean" when kind is JsonValueKind.True or JsonValueKind.False => kind == JsonValueKind.True,
            "date" when kind == JsonValueKind.String => DateTimeOffset.TryParse(value.GetValue<string>(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _)
                ? Age(value.GetValue<string>(), now)
                : "<invalid>",
            _ => null,
        };
    }

    // k8s.io/kubernetes pkg/printers/internalversion printEvent: new-style events have eventTime and series, not the
    // legacy timestamps and count.
    private static string EventFirstSeen(JsonObject ev, DateTimeOffset now) =>
        Age(Set(JsonPaths.GetString(ev, "firstTimestamp")) ?? Set(JsonPaths.GetString(ev, "eventTime")), now);

    private static string EventLastSeen(JsonObject ev, DateTimeOffset now) =>
        ev["series"] is JsonObject series
            ? Age(Set(series["lastObservedTime"]?.ToString()), now)
            : Set(JsonPaths.GetString(ev, "lastTimestamp")) is { } last ? Age(last, now) : EventFirstSeen(ev, now);

    private static string EventObject(JsonObject ev)
    {
        var kind = (JsonPaths.GetString(ev, "involvedObject.kind") ?? "").ToLowerInvariant();
        return JsonPaths.GetString(ev, "involvedObject.name") is { Length: > 0 } name ? $"{kind}/{name}" : kind;
    }

    private static string EventSource(JsonObject ev)
    {
        var component = Set(JsonPaths.GetString(ev, "source.component")) ?? Set(JsonPaths.GetString(ev, "reportingComponent"));
        var instance = Set(JsonPaths.GetString(ev, "source.host")) ?? Set(JsonPaths.GetString(ev, "reportingInstance"));
        return component is null ? "<unknown>" : instance is null ? component : $"{component}, {instance}";
    }

    private static string? Set(string? value) => string.IsNullOrEmpty(value) || value == "null" ? null : value;

    private static string PodStatus(JsonObject pod)
    {
        if (pod["metadata"]?["deletionTimestamp"] is not null)
            return "Terminating";
        foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (status["state"]?["waiting"]?["reason"] is { } waiting)
                return waiting.ToString();
            if (status["state"]?["terminated"]?["reason"] is { } terminated)
                return terminated.ToString();
        }

        return pod["status"]?["phase"]?.ToString() ?? "Pending";
    }

    /// <summary>The API server's short age format (k8s.io/apimachinery duration.HumanDuration).</summary>
    public static string Age(string? timestamp, DateTimeOffset now)
    {
        if (timestamp is null || !DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            return "<unknown>";
        var d = now - at;
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
            return "<invalid>";
        if (seconds < 0)
            return "0s";
        if (seconds < 120)
            return $"{seconds}s";
        var minutes = (long)d.TotalMinutes;
        if (minutes < 10)
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        if (minutes < 180)
            return $"{minutes}m";
        var hours = (long)d.TotalHours;
        if (hours < 8)
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        if (hours < 48)
            return $"{hours}h";
        if (hours < 192)
            return hours % 24 == 0 ? $"{hours / 24}d" : $"{hours / 24}d{hours % 24}h";
        if (hours < 24 * 365 * 2)
            return $"{hours / 24}d";
        var years = hours / 24 / 365;
        return years < 8 ? $"{years}y{hours / 24 % 365}d" : $"{years}y";
    }
}
