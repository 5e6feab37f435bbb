using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Schema;

/// <summary>
/// A CRD version's structural OpenAPI v3 schema, applied as the API server applies it to a custom object: nulls dropped,
/// unknown fields pruned, defaults filled in, then types, enums, required fields, bounds, lengths, patterns, item and
/// property counts and list-map keys checked, with kube-openapi's messages (<c>spec.x in body should be ...</c>).
/// </summary>
internal sealed class StructuralSchema
{
    private static readonly string[] RootFields = ["apiVersion", "kind", "metadata"];
    private readonly Dictionary<string, Regex> patterns = new(StringComparer.Ordinal);

    public StructuralSchema(JsonObject root) => Root = root;

    public JsonObject Root { get; }

    /// <summary>
    /// Drops nulls and unknown fields and fills in defaults, in place, from the root of a custom object; the paths of
    /// the unknown fields dropped (<c>spec.a</c>, <c>spec.list[0].b</c>) are added to <paramref name="pruned"/>.
    /// </summary>
    public void Complete(JsonObject obj, ICollection<string>? pruned = null)
    {
        foreach (var (name, value) in obj.ToList())
        {
            if (RootFields.Contains(name))
                continue;
            if (Properties(Root)?[name] is JsonObject child)
            {
                obj[name] = Complete(value, child, name, pruned);
            }
            else if (!PreservesUnknown(Root))
            {
                obj.Remove(name);
                pruned?.Add(name);
            }
        }

        ApplyDefaults(obj, Root);
    }

    /// <summary>What is wrong with a completed custom object, outside <c>apiVersion</c>, <c>kind</c> and <c>metadata</c>.</summary>
    public List<FieldError> Validate(JsonObject obj)
    {
        var errors = new List<FieldError>();
        foreach (var required in Strings(Root["required"]))
        {
            if (obj[required] is null)
                errors.Add(FieldError.Required(required));
        }

        foreach (var (name, child) in Properties(Root) ?? [])
        {
            if (!RootFields.Contains(name) && obj[name] is { } value)
                Check(value, child!.AsObject(), name, errors);
        }

        return errors;
    }

    private static JsonNode? Complete(JsonNode? value, JsonObject schema, string path = "", ICollection<string>? pruned = null)
    {
        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj.ToList())
                {
                    var childSchema = Properties(schema)?[name] as JsonObject ?? schema["additionalProperties"] as JsonObject;
                    if (child is null && !IsNullable(childSchema))
                    {
                        obj.Remove(name);
                    }
                    else if (childSchema is not null)
                    {
                        obj[name] = Complete(child?.DeepClone(), childSchema, $"{path}.{name}", pruned);
                    }
                    else if (!PreservesUnknown(schema) && schema["additionalProperties"]?.GetValueKind() != System.Text.Json.JsonValueKind.True)
                    {
                        obj.Remove(name);
                        pruned?.Add($"{path}.{name}");
                    }
                }

                ApplyDefaults(obj, schema);
                return obj;
            case JsonArray array when schema["items"] is JsonObject items:
                return new JsonArray([.. array.Select((item, i) => Complete(item?.DeepClone(), items, $"{path}[{i}]", pruned))]);
            default:
                return value;
        }
    }

    private static void ApplyDefaults(JsonObject obj, JsonObject schema)
    {
        foreach (var (name, child) in Properties(schema) ?? [])
        {
            if (obj[name] is null && child?["default"] is { } fallback)
                obj[name] = Complete(fallback.DeepClone(), child.AsObject());
        }
    }

    private void Check(JsonNode value, JsonObject schema, string path, List<FieldError> errors)
    {
        var type = schema["type"]?.ToString();
        var actual = TypeOf(value);
        if (type is not null && !(type == actual || (type == "number" && actual == "integer")) && !IntOrString(schema, actual))
        {
            errors.Add(FieldError.TypeInvalid(path, Bad(value), $"{path} in body must be of type {type}: \"{actual}\""));
            return;
        }

        if (schema["enum"] is JsonArray allowed && !allowed.Any(a => JsonNode.DeepEquals(a, value)))
            errors.Add(FieldError.NotSupported(path, Bad(value), allowed.Select(a => a is JsonValue v && v.TryGetValue<string>(out var s) ? s : a?.ToJsonString() ?? "null")));
        switch (value)
        {
            case JsonValue scalar when actual is "integer" or "number":
                CheckNumber(AsDouble(scalar), schema, path, Bad(value), errors);
                break;
            case JsonValue scalar when actual == "string":
                CheckString(scalar.GetValue<string>(), schema, path, errors);
                break;
            case JsonArray array:
                CheckArray(array, schema, path, errors);
                break;
            case JsonObject obj:
                CheckObject(obj, schema, path, errors);
                break;
        }
    }

    private static void CheckNumber(double number, JsonObject schema, string path, object? bad, List<FieldError> errors)
    {
        var exclusiveMinimum = schema["exclusiveMinimum"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        var exclusiveMaximum = schema["exclusiveMaximum"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;
        if (Number(schema["minimum"]) is { } minimum && (exclusiveMinimum ? number <= minimum : number < minimum))
            errors.Add(FieldError.Invalid(path, bad, $"{path} in body should be greater than {(exclusiveMinimum ? "" : "or equal to ")}{Format(minimum)}"));
        if (Number(schema["maximum"]) is { } maximum && (exclusiveMaximum ? number >= maximum : number > maximum))
            errors.Add(FieldError.Invalid(path, bad, $"{path} in body should be less than {(exclusiveMaximum ? "" : "or equal to ")}{Format(maximum)}"));
        if (Number(schema["multipleOf"]) is { } factor && factor > 0 && Math.Abs(Math.IEEERemainder(number, factor)) > 1e-9)
            errors.Add(FieldError.Invalid(path, bad, $"{path} in body should be a multiple of {Format(factor)}"));
    }

    private void CheckString(string text, JsonObject schema, string path, List<FieldError> errors)
    {
        // kube-openapi counts characters (runes), not UTF-16 units.
        var length = text.EnumerateRunes().Count();
        if (Number(schema["maxLength"]) is { } maxLength && length > maxLength)
            errors.Add(FieldError.TooLong(path, (int)maxLength));
        if (Number(schema["minLength"]) is { } minLength && length < minLength)
            errors.Add(FieldError.Invalid(path, text, $"{path} in body should be at least {Format(minLength)} chars long"));
        if (schema["pattern"]?.ToString() is { } pattern && !Pattern(pattern).IsMatch(text))
            errors.Add(FieldError.Invalid(path, text, $"{path} in body should match '{pattern}'"));
        if (schema["format"]?.ToString() == "date-time" && !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out _))
            errors.Add(FieldError.Invalid(path, text, $"{path} in body must be of type date-time: {FieldError.Quote(text)}"));
    }

    private void CheckArray(JsonArray array, JsonObject schema, string path, List<FieldError> errors)
    {
        if (Number(schema["maxItems"]) is { } maxItems && array.Count > maxItems)
            errors.Add(FieldError.TooMany(path, array.Count, (int)maxItems));
        if (Number(schema["minItems"]) is { } minItems && array.Count < minItems)
            errors.Add(FieldError.Invalid(path, array.ToJsonString(), $"{path} in body should have at least {Format(minItems)} items"));
        var listType = schema["x-kubernetes-list-type"]?.ToString();
        var keys = Strings(schema["x-kubernetes-list-map-keys"]).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = $"{path}[{i}]";
            if (array[i] is { } item && schema["items"] is JsonObject items)
                Check(item, items, itemPath, errors);
            var identity = listType switch
            {
                "map" when array[i] is JsonObject entry => string.Join("\u0000", keys.Select(k => entry[k]?.ToJsonString() ?? "")),
                "set" => array[i]?.ToJsonString() ?? "null",
                _ => null,
            };
            if (identity is not null && !seen.Add(identity))
            {
                var duplicate = listType == "map"
                    ? "map[string]interface {}{" + string.Join(", ", keys.Select(k => $"\"{k}\":{array[i]![k]?.ToJsonString() ?? "<nil>"}")) + "}"
                    : array[i]?.ToJsonString();
                errors.Add(FieldError.Duplicate(itemPath, duplicate));
            }
        }
    }

    private void CheckObject(JsonObject obj, JsonObject schema, string path, List<FieldError> errors)
    {
        foreach (var required in Strings(schema["required"]))
        {
            if (obj[required] is null)
                errors.Add(FieldError.Required($"{path}.{required}"));
        }

        if (Number(schema["maxProperties"]) is { } maxProperties && obj.Count > maxProperties)
            errors.Add(FieldError.TooMany(path, obj.Count, (int)maxProperties));
        if (Number(schema["minProperties"]) is { } minProperties && obj.Count < minProperties)
            errors.Add(FieldError.Invalid(path, obj.ToJsonString(), $"{path} in body should have at least {Format(minProperties)} properties"));
        foreach (var (name, child) in obj)
        {
            var childSchema = Properties(schema)?[name] as JsonObject ?? schema["additionalProperties"] as JsonObject;
            if (child is not null && childSchema is not null)
                Check(child, childSchema, Properties(schema)?[name] is null ? $"{path}[{name}]" : $"{path}.{name}", errors);
        }
    }

    private Regex Pattern(string pattern)
    {
        lock (patterns)
        {
            if (!patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                patterns[pattern] = regex;
            }

            return regex;
        }
    }

    /// <summary>The JSON type of a value as the schema names types.</summary>
    public static string TypeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or System.Text.Json.JsonValueKind.Null => "null",
        System.Text.Json.JsonValueKind.Object => "object",
        System.Text.Json.JsonValueKind.Array => "array",
        System.Text.Json.JsonValueKind.String => "string",
        System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False => "boolean",
        _ => long.TryParse(value.ToJsonString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _) ? "integer" : "number",
    };

    /// <summary>A JSON number, whichever CLR type holds it.</summary>
    public static double AsDouble(JsonNode value) => double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    public static JsonObject? Properties(JsonObject schema) => schema["properties"] as JsonObject;

    private static bool IntOrString(JsonObject schema, string actual) =>
        schema["x-kubernetes-int-or-string"]?.GetValueKind() == System.Text.Json.JsonValueKind.True && actual is "integer" or "string";

    private static bool PreservesUnknown(JsonObject schema) => schema["x-kubernetes-preserve-unknown-fields"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static bool IsNullable(JsonObject? schema) => schema?["nullable"]?.GetValueKind() == System.Text.Json.JsonValueKind.True;

    private static IEnumerable<string> Strings(JsonNode? array) => (array as JsonArray ?? []).Select(s => s!.ToString());

    private static double? Number(JsonNode? node) => node is JsonValue v && v.GetValueKind() == System.Text.Json.JsonValueKind.Number ? AsDouble(v) : null;

    private static string Format(double number) => number.ToString(CultureInfo.InvariantCulture);

    /// <summary>A bad value as the API server prints it: scalars as themselves, objects and lists as JSON.</summary>
    private static object? Bad(JsonNode value) => value switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b,
        JsonValue v when TypeOf(v) == "integer" => long.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue v when TypeOf(v) == "number" => AsDouble(v),
        _ => value.ToJsonString(),
    };
}
