using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Cel;
using Google.Protobuf.WellKnownTypes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Schema;

/// <summary>
/// The <c>x-kubernetes-validations</c> rules of a structural schema, evaluated with the <c>Cel</c> package as the API
/// server evaluates them: at every value the rule's schema node describes, with <c>self</c> the value (typed by the
/// schema: integers as int, numbers as double, <c>date-time</c> strings as timestamps, <c>duration</c> strings as
/// durations) and, for transition rules, <c>oldSelf</c> the same value before an update. A rule whose value did not
/// change is not re-checked (validation ratcheting). A failed rule gives <c>path: Invalid value: "type": message</c>.
/// </summary>
internal sealed partial class CelRules
{
    private readonly CelEnvironment environment = KubernetesCelLibrary.Environment();
    private readonly Dictionary<string, CelProgramDelegate> programs = new(StringComparer.Ordinal);

    /// <summary>Syntax errors of every rule of <paramref name="schema"/>, with the rule's place in the CRD.</summary>
    public List<FieldError> Compile(JsonObject schema, string path)
    {
        var errors = new List<FieldError>();
        foreach (var (index, rule) in Rules(schema).Select((r, i) => (i, r)))
        {
            try
            {
                Program(rule["rule"]?.ToString() ?? "");
            }
            catch (CelException e)
            {
                errors.Add(FieldError.Invalid($"{path}.x-kubernetes-validations[{index}].rule", rule["rule"]?.ToString(), $"compilation failed: {e.Message}"));
            }
        }

        foreach (var (name, child) in StructuralSchema.Properties(schema) ?? [])
            errors.AddRange(Compile(child!.AsObject(), $"{path}.properties[{name}]"));
        if (schema["items"] is JsonObject items)
            errors.AddRange(Compile(items, $"{path}.items"));
        if (schema["additionalProperties"] is JsonObject values)
            errors.AddRange(Compile(values, $"{path}.additionalProperties"));
        return errors;
    }

    /// <summary>The failed rules of a custom object (<paramref name="old"/> before an update, else null).</summary>
    public List<FieldError> Validate(JsonObject root, JsonObject obj, JsonObject? old)
    {
        var errors = new List<FieldError>();
        foreach (var (name, child) in StructuralSchema.Properties(root) ?? [])
        {
            if (name != "metadata" && obj[name] is { } value)
                Walk(value, old?[name], child!.AsObject(), name, errors);
        }

        return errors;
    }

    private void Walk(JsonNode value, JsonNode? old, JsonObject schema, string path, List<FieldError> errors)
    {
        var unchanged = old is not null && JsonNode.DeepEquals(value, old);
        foreach (var rule in Rules(schema))
        {
            var text = rule["rule"]?.ToString() ?? "";
            var transition = OldSelf().IsMatch(text);
            if (unchanged || (transition && old is null))
                continue;
            Evaluate(rule, text, value, transition ? old : null, schema, path, errors);
        }

        switch (value)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    var named = StructuralSchema.Properties(schema)?[name] as JsonObject;
                    var childSchema = named ?? schema["additionalProperties"] as JsonObject;
                    if (child is not null && childSchema is not null)
                        Walk(child, (old as JsonObject)?[name], childSchema, named is null ? $"{path}[{name}]" : $"{path}.{name}", errors);
                }

                break;
            case JsonArray array when schema["items"] is JsonObject items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is { } item)
                        Walk(item, Correlated(schema, item, old as JsonArray), items, $"{path}[{i}]", errors);
                }

                break;
        }
    }

    /// <summary>The same entry before the update: only entries of <c>map</c> lists correlate, by their keys.</summary>
    private static JsonNode? Correlated(JsonObject schema, JsonNode item, JsonArray? old)
    {
        if (old is null || schema["x-kubernetes-list-type"]?.ToString() != "map")
            return null;
        var keys = (schema["x-kubernetes-list-map-keys"] as JsonArray ?? []).Select(k => k!.ToString()).ToList();
        return old.FirstOrDefault(o => o is JsonObject entry && keys.All(k => JsonNode.DeepEquals(entry[k], item[k])));
    }

    private void Evaluate(JsonObject rule, string text, JsonNode value, JsonNode? old, JsonObject schema, string path, List<FieldError> errors)
    {
        var type = schema["type"]?.ToString() ?? StructuralSchema.TypeOf(value);
        var at = path + Normalize(rule["fieldPath"]?.ToString());
        var message = (rule["message"]?.ToString() ?? "").Trim();
        var variables = new Dictionary<string, object?> { ["self"] = ToCel(value, schema) };
        if (old is not null)
            variables["oldSelf"] = ToCel(old, schema);
        object? result;
        try
        {
            result = Run(text, variables);
        }
        catch (CelException e)
        {
            errors.Add(FieldError.Invalid(at, type, $"{Describe(e)} evaluating rule: {(message.Length > 0 ? message : text.Trim())}"));
            return;
        }

        if (result is true)
            return;
        if (rule["messageExpression"]?.ToString() is { Length: > 0 } expression)
        {
            try
            {
                if (Run(expression, variables) is string computed && computed.Trim().Length > 0)
                    message = computed.Trim();
            }
            catch (CelException)
            {
                // As on the API server, a failing messageExpression falls back to the static message.
            }
        }

        var detail = message.Length > 0 ? message : $"failed rule: {text.Trim()}";
        errors.Add(rule["reason"]?.ToString() switch
        {
            "FieldValueForbidden" => FieldError.Forbidden(at, detail),
            "FieldValueRequired" => FieldError.Required(at, detail),
            "FieldValueDuplicate" => FieldError.Duplicate(at, type) with { Body = $"Duplicate value: {FieldError.Quote(type)}: {detail}" },
            _ => FieldError.Invalid(at, type, detail),
        });
    }

    private object? Run(string text, Dictionary<string, object?> variables)
    {
        // The package's evaluator keeps per-call state in the environment, so one evaluation runs at a time.
        lock (programs)
            return Program(text)(variables!);
    }

    private CelProgramDelegate Program(string text)
    {
        lock (programs)
        {
            if (!programs.TryGetValue(text, out var program))
            {
                program = environment.Compile(PresenceAsKeyTest(text));
                programs[text] = program;
            }

            return program;
        }
    }

    /// <summary>A JSON value as the CEL type its schema gives it.</summary>
    private static object? ToCel(JsonNode? value, JsonObject? schema)
    {
        switch (value)
        {
            case null:
                return null;
            case JsonObject obj:
                var map = new Dictionary<string, object?>(StringComparer.Ordinal);
                foreach (var (name, child) in obj)
                {
                    if (child is not null)
                        map[name] = ToCel(child, StructuralSchema.Properties(schema ?? [])?[name] as JsonObject ?? schema?["additionalProperties"] as JsonObject);
                }

                return map;
            case JsonArray array:
                return array.Select(item => ToCel(item, schema?["items"] as JsonObject)).ToArray();
        }

        var scalar = (JsonValue)value;
        if (scalar.TryGetValue<string>(out var text))
        {
            return schema?["format"]?.ToString() switch
            {
                "date-time" when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) => Timestamp.FromDateTimeOffset(at),
                "duration" => KubernetesCelLibrary.ParseDuration(text),
                _ => text,
            };
        }

        if (scalar.TryGetValue<bool>(out var flag))
            return flag;
        if (schema?["type"]?.ToString() == "number" || StructuralSchema.TypeOf(scalar) == "number")
            return StructuralSchema.AsDouble(scalar);
        return long.Parse(scalar.ToJsonString(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <c>has(e.f)</c> as <c>('f' in e)</c>. The package's <c>has</c> is false for a present but empty value (an empty
    /// object, list or string), where the CEL spec and the API server test only that the field is there; every object
    /// here is a map, for which <c>in</c> is exactly that test.
    /// </summary>
    private static string PresenceAsKeyTest(string rule) => Presence().Replace(rule, m => $"('{m.Groups["field"].Value}' in {m.Groups["operand"].Value})");

    private static IEnumerable<JsonObject> Rules(JsonObject schema) => (schema["x-kubernetes-validations"] as JsonArray ?? []).OfType<JsonObject>();

    private static string Normalize(string? fieldPath) =>
        string.IsNullOrEmpty(fieldPath) ? "" : fieldPath.StartsWith('.') || fieldPath.StartsWith('[') ? fieldPath : "." + fieldPath;

    /// <summary>The evaluation error in cel-go's words where they differ (a missing field is "no such key").</summary>
    private static string Describe(CelException e) => e is CelNoSuchFieldException && QuotedName().Match(e.Message) is { Success: true } field
        ? $"no such key: {field.Groups[1].Value}"
        : e.Message;

    [GeneratedRegex(@"\bhas\(\s*(?<operand>[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*)\.(?<field>[A-Za-z_][A-Za-z0-9_]*)\s*\)")]
    private static partial Regex Presence();

    [GeneratedRegex(@"\boldSelf\b")]
    private static partial Regex OldSelf();

    [GeneratedRegex("'([^']*)'")]
    private static partial Regex QuotedName();
}
