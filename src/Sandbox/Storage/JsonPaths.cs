using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>Reads simple dotted paths (<c>.spec.replicas</c>, <c>status.conditions[0].type</c>) from JSON objects.</summary>
internal static class JsonPaths
{
    public static JsonNode? Get(JsonNode? node, string path)
    {
        var current = node;
        foreach (var raw in path.TrimStart('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            var segment = raw;
            int? index = null;
            var bracket = segment.IndexOf('[', StringComparison.Ordinal);
            if (bracket >= 0 && segment.EndsWith(']') && int.TryParse(segment[(bracket + 1)..^1], out var i))
            {
                index = i;
                segment = segment[..bracket];
            }

            current = current is JsonObject obj ? obj[segment] : null;
            if (index is { } at)
                current = current is JsonArray array && at < array.Count ? array[at] : null;
            if (current is null)
                return null;
        }

        return current;
    }

    public static string? GetString(JsonNode? node, string path) => Get(node, path) switch
    {
        null => null,
        JsonValue value when value.TryGetValue<string>(out var s) => s,
        var other => other.ToJsonString(),
    };

    public static JsonObject Object(JsonObject parent, string key)
    {
        if (parent[key] is JsonObject existing)
            return existing;
        var created = new JsonObject();
        parent[key] = created;
        return created;
    }

    public static JsonObject Metadata(JsonObject obj) => Object(obj, "metadata");
}

/// <summary>Numbers from JSON nodes, whether parsed from text or built in memory from any CLR numeric type.</summary>
internal static class JsonNumbers
{
    public static long? Long(JsonNode? node) =>
        node is JsonValue value && long.TryParse(value.ToJsonString().Trim('"'), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var number)
            ? number
            : null;

    public static int? Int(JsonNode? node) => Long(node) is { } number ? (int)number : null;
}
