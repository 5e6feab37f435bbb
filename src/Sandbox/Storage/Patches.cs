using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>The three patch types the API server accepts: JSON merge patch, JSON patch and strategic merge patch.</summary>
internal static class Patches
{
    public const string MergePatch = "application/merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string ApplyPatch = "application/apply-patch";

    // List fields merged by key in a strategic merge patch (the patchMergeKey tags of the built-in types in use).
    private static readonly Dictionary<string, string> MergeKeys = new(StringComparer.Ordinal)
    {
        ["containers"] = "name",
        ["initContainers"] = "name",
        ["ephemeralContainers"] = "name",
        ["env"] = "name",
        ["volumes"] = "name",
        ["volumeMounts"] = "mountPath",
        ["volumeDevices"] = "devicePath",
        ["imagePullSecrets"] = "name",
        ["ownerReferences"] = "uid",
        ["conditions"] = "type",
        ["resizePolicy"] = "resourceName",
        ["hostAliases"] = "ip",
        ["topologySpreadConstraints"] = "topologyKey",
        ["containerStatuses"] = "name",
    };

    // Primitive lists whose strategy is merge (set union) rather than replace.
    private static readonly HashSet<string> MergedPrimitiveLists = new(StringComparer.Ordinal) { "finalizers" };

    public static JsonNode Apply(string contentType, JsonNode original, string body)
    {
        var mediaType = contentType.Split(';')[0].Trim();
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiError.BadRequest($"error decoding patch: {e.Message}");
        }

        return mediaType switch
        {
            MergePatch => MergeObjects(original, patch) ?? new JsonObject(),
            JsonPatch => ApplyJsonPatch(original, patch as JsonArray ?? throw ApiError.BadRequest("json patch must be an array of operations")),
            StrategicMergePatch => Strategic(original, patch, "") ?? new JsonObject(),
            _ => throw ApiError.UnsupportedMediaType(contentType),
        };
    }

    /// <summary>
    /// Server-side apply, approximated: the applied configuration is merged into the object (lists of built-in kinds by
    /// their merge keys). Field ownership is not tracked, so fields an earlier apply set and this one omits stay.
    /// </summary>
    public static JsonObject ApplyConfiguration(JsonObject current, JsonObject applied, bool strategic)
    {
        var merged = strategic ? Strategic(current, applied, "") : MergeObjects(current, applied);
        return merged as JsonObject ?? current;
    }

    /// <summary>RFC 7386: objects merge recursively, null deletes, everything else replaces.</summary>
    public static JsonNode? MergeObjects(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        var result = target is JsonObject targetObject ? (JsonObject)targetObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (value is null)
                result.Remove(key);
            else
                result[key] = MergeObjects(result[key], value);
        }

        return result;
    }

    private static JsonNode? Strategic(JsonNode? original, JsonNode? patch, string field)
    {
        if (patch is not JsonObject patchObject)
            return patch?.DeepClone();
        if (patchObject["$patch"]?.ToString() == "replace")
            return WithoutDirectives(patchObject);
        if (patchObject["$patch"]?.ToString() == "delete")
            return null;
        var result = original is JsonObject originalObject ? (JsonObject)originalObject.DeepClone() : new JsonObject();
        foreach (var (key, value) in patchObject)
        {
            if (key.StartsWith("$deleteFromPrimitiveList/", StringComparison.Ordinal))
            {
                var listName = key["$deleteFromPrimitiveList/".Length..];
                if (result[listName] is JsonArray list && value is JsonArray removed)
                {
                    var drop = removed.Select(r => r?.ToJsonString()).ToHashSet();
                    result[listName] = new JsonArray(list.Where(i => !drop.Contains(i?.ToJsonString())).Select(i => i?.DeepClone()).ToArray());
                }

                continue;
            }

            // Ordering and retainKeys directives only matter for field order and defaulting; the result is the same without them.
            if (key.StartsWith('$'))
                continue;
            if (value is null)
            {
                result.Remove(key);
                continue;
            }

            var current = result[key];
            if (value is JsonArray patchList && current is JsonArray currentList)
                result[key] = MergeList(key, currentList, patchList);
            else if (value is JsonObject && current is JsonObject)
                result[key] = Strategic(current, value, key);
            else
                result[key] = value is JsonObject valueObject ? WithoutDirectives(valueObject) : value.DeepClone();
        }

        return result;
    }

    private static JsonArray MergeList(string field, JsonArray current, JsonArray patch)
    {
        if (patch.Count == 1 && patch[0] is JsonObject only && only["$patch"]?.ToString() == "replace")
            return [];
        if (MergedPrimitiveLists.Contains(field))
        {
            var union = current.Select(i => i?.DeepClone()).ToList();
            foreach (var item in patch)
            {
                if (!union.Any(u => JsonNode.DeepEquals(u, item)))
                    union.Add(item?.DeepClone());
            }

            return new JsonArray([.. union]);
        }

        var mergeKey = field == "ports" ? "containerPort" : MergeKeys.GetValueOrDefault(field);
        if (mergeKey is null || patch.Any(p => p is not JsonObject))
            return new JsonArray(patch.Select(p => p is JsonObject o ? WithoutDirectives(o) : p?.DeepClone()).ToArray());
        if (field == "ports" && patch.OfType<JsonObject>().All(p => p["containerPort"] is null))
            mergeKey = "port";

        var merged = current.Select(i => i?.DeepClone()).ToList();
        foreach (var item in patch.OfType<JsonObject>())
        {
            var keyValue = item[mergeKey]?.ToJsonString();
            var index = merged.FindIndex(m => m is JsonObject o && o[mergeKey]?.ToJsonString() == keyValue);
            if (item["$patch"]?.ToString() == "delete")
            {
                if (index >= 0)
                    merged.RemoveAt(index);
                continue;
            }

            if (index >= 0)
                merged[index] = Strategic(merged[index], item, field);
            else
                merged.Add(WithoutDirectives(item));
        }

        return new JsonArray([.. merged]);
    }

    private static JsonObject WithoutDirectives(JsonObject obj)
    {
        var clean = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key.StartsWith('$'))
                continue;
            clean[key] = value switch
            {
                JsonObject o => WithoutDirectives(o),
                JsonArray a => new JsonArray(a.Select(i => i is JsonObject io ? WithoutDirectives(io) : i?.DeepClone()).ToArray()),
                _ => value?.DeepClone(),
            };
        }

        return clean;
    }

    /// <summary>RFC 6902: add, remove, replace, move, copy and test, applied in order to a copy.</summary>
    private static JsonNode ApplyJsonPatch(JsonNode original, JsonArray operations)
    {
        var document = original.DeepClone();
        foreach (var operation in operations)
        {
            if (operation is not JsonObject op)
                throw ApiError.BadRequest("json patch operations must be objects");
            var name = op["op"]?.ToString() ?? throw ApiError.BadRequest("json patch operation has no 'op'");
            var path = op["path"]?.ToString() ?? throw ApiError.BadRequest("json patch operation has no 'path'");
            switch (name)
            {
                case "add":
                    Add(document, path, op["value"]?.DeepClone());
                    break;
                case "remove":
                    Remove(document, path);
                    break;
                case "replace":
                    Remove(document, path);
                    Add(document, path, op["value"]?.DeepClone());
                    break;
                case "move":
                    var moved = Resolve(document, op["from"]?.ToString() ?? "")?.DeepClone();
                    Remove(document, op["from"]?.ToString() ?? "");
                    Add(document, path, moved);
                    break;
                case "copy":
                    Add(document, path, Resolve(document, op["from"]?.ToString() ?? "")?.DeepClone());
                    break;
                case "test":
                    if (!JsonNode.DeepEquals(Resolve(document, path), op["value"]))
                        throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: testing value {path} failed");
                    break;
                default:
                    throw ApiError.BadRequest($"unexpected json patch operation '{name}'");
            }
        }

        return document;
    }

    private static string[] Tokens(string pointer) =>
        pointer.Length == 0 ? [] : pointer.TrimStart('/').Split('/').Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();

    private static JsonNode? Resolve(JsonNode document, string pointer)
    {
        JsonNode? current = document;
        foreach (var token in Tokens(pointer))
        {
            current = current switch
            {
                JsonObject o when o.ContainsKey(token) => o[token],
                JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
                _ => throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} does not exist"),
            };
        }

        return current;
    }

    private static void Add(JsonNode document, string pointer, JsonNode? value)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
            throw ApiError.BadRequest("json patch cannot replace the whole object");
        var parent = tokens.Length == 1 ? document : Resolve(document, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        switch (parent)
        {
            case JsonObject o:
                o[last] = value;
                break;
            case JsonArray a when last == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(last, out var i) && i >= 0 && i <= a.Count:
                a.Insert(i, value);
                break;
            default:
                throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: cannot add at {pointer}");
        }
    }

    private static void Remove(JsonNode document, string pointer)
    {
        var tokens = Tokens(pointer);
        if (tokens.Length == 0)
            throw ApiError.BadRequest("json patch cannot remove the whole object");
        var parent = tokens.Length == 1 ? document : Resolve(document, "/" + string.Join('/', tokens[..^1].Select(Escape)));
        var last = tokens[^1];
        var removed = parent switch
        {
            JsonObject o => o.Remove(last),
            JsonArray a when int.TryParse(last, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
            throw new ApiError(422, "Invalid", $"the server rejected our request due to an error in our request: path {pointer} does not exist");
    }

    private static bool RemoveAt(JsonArray array, int index)
    {
        array.RemoveAt(index);
        return true;
    }

    private static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);
}
