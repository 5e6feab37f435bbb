using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>
/// <c>events.k8s.io/v1</c> Events, stored as core v1 Events with the API server's field mapping (regarding is
/// involvedObject, note is message, reportingController is reportingComponent, the deprecated fields are the legacy ones).
/// </summary>
internal sealed class EventsV1 : StoredVersion
{
    private static readonly (string Served, string Stored)[] Renamed =
    [
        ("regarding", "involvedObject"),
        ("note", "message"),
        ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"),
        ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"),
        ("deprecatedCount", "count"),
    ];

    // The field selectors events.k8s.io/v1 accepts, with their core names (k8s.io/kubernetes pkg/apis/events/v1).
    private static readonly Dictionary<string, string> FieldLabels = new(StringComparer.Ordinal)
    {
        ["metadata.name"] = "metadata.name",
        ["metadata.namespace"] = "metadata.namespace",
        ["reason"] = "reason",
        ["type"] = "type",
        ["reportingController"] = "reportingComponent",
        ["regarding.kind"] = "involvedObject.kind",
        ["regarding.name"] = "involvedObject.name",
        ["regarding.namespace"] = "involvedObject.namespace",
        ["regarding.uid"] = "involvedObject.uid",
        ["regarding.apiVersion"] = "involvedObject.apiVersion",
        ["regarding.resourceVersion"] = "involvedObject.resourceVersion",
        ["regarding.fieldPath"] = "involvedObject.fieldPath",
    };

    public EventsV1(ResourceType storage) => Storage = storage;

    public override ResourceType Storage { get; }

    public override JsonObject ToStorage(JsonObject served) => Rename(served, toStorage: true);

    public override JsonObject FromStorage(JsonObject stored) => Rename(stored, toStorage: false);

    public override string StorageFieldLabel(string label) =>
        FieldLabels.TryGetValue(label, out var stored) ? stored : throw ApiError.BadRequest($"field label not supported: {label}");

    private static JsonObject Rename(JsonObject source, bool toStorage)
    {
        // A field named as in the other version is unknown to this one, and dropped as the API server drops unknown fields.
        var copy = (JsonObject)source.DeepClone();
        var moved = new List<(string To, JsonNode Value)>();
        foreach (var (served, stored) in Renamed)
        {
            var (from, to) = toStorage ? (served, stored) : (stored, served);
            if (copy[from] is { } value)
                moved.Add((to, value));
            copy.Remove(from);
            copy.Remove(to);
        }

        foreach (var (to, value) in moved)
            copy[to] = value;
        return copy;
    }
}

/// <summary>The fields a core Event list or watch can select on (k8s.io/kubernetes pkg/registry/core/event).</summary>
internal static class EventFields
{
    private static readonly HashSet<string> Plain = new(StringComparer.Ordinal)
    {
        "metadata.name", "metadata.namespace", "reason", "reportingComponent", "type",
        "involvedObject.kind", "involvedObject.namespace", "involvedObject.name", "involvedObject.uid",
        "involvedObject.apiVersion", "involvedObject.resourceVersion", "involvedObject.fieldPath",
    };

    /// <summary>Reads the selectable field <paramref name="label"/> of a stored Event; 400 for any other label.</summary>
    public static Func<JsonObject, string> Reader(string label)
    {
        // "source" is the legacy source component, or the reporting controller of a new-style event.
        if (label == "source")
            return ev => JsonPaths.GetString(ev, "source.component") is { Length: > 0 } component ? component : JsonPaths.GetString(ev, "reportingComponent") ?? "";
        if (!Plain.Contains(label))
            throw ApiError.BadRequest($"field label not supported: {label}");
        return ev => JsonPaths.GetString(ev, label) ?? "";
    }
}
