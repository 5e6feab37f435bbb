using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>Label selectors (<c>a=b,c!=d,e in (x,y),!f</c>) and field selectors (<c>metadata.name=x</c>).</summary>
internal static class Selectors
{
    public static Func<JsonObject, bool> ParseLabelSelector(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return _ => true;
        var requirements = SplitTopLevel(text).Select(ParseRequirement).ToList();
        return obj =>
        {
            var labels = obj["metadata"]?["labels"] as JsonObject;
            return requirements.All(r => r(labels));
        };
    }

    /// <summary>A field selector over objects of <paramref name="type"/> in their stored form.</summary>
    public static Func<JsonObject, bool> ParseFieldSelector(string? text, ResourceType type)
    {
        if (string.IsNullOrWhiteSpace(text))
            return _ => true;
        var terms = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(term =>
        {
            var negate = term.Contains("!=", StringComparison.Ordinal);
            var parts = term.Split(negate ? "!=" : term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2);
            if (parts.Length != 2)
                throw ApiError.BadRequest($"invalid field selector: '{term}'");
            var label = parts[0].Trim();
            var expected = parts[1].Trim();
            var read = FieldReader(type, type.Conversion?.StorageFieldLabel(label) ?? label);
            return (Func<JsonObject, bool>)(obj =>
            {
                var actual = read(obj);
                return negate ? actual != expected : actual == expected;
            });
        }).ToList();
        return obj => terms.All(t => t(obj));
    }

    private static Func<JsonObject, string> FieldReader(ResourceType type, string label) =>
        type.StorageKey == ResourceCatalog.CoreEvents.StorageKey
            ? EventFields.Reader(label)
            : obj => JsonPaths.Get(obj, label)?.ToString() ?? "";

    /// <summary>Matches a <c>LabelSelector</c> object (matchLabels and matchExpressions) against labels.</summary>
    public static bool Matches(JsonObject? selector, JsonObject? labels)
    {
        if (selector is null)
            return false;
        foreach (var (key, value) in selector["matchLabels"] as JsonObject ?? [])
        {
            if (labels?[key]?.ToString() != value?.ToString())
                return false;
        }

        foreach (var expression in (selector["matchExpressions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var key = expression["key"]?.ToString() ?? "";
            var values = (expression["values"] as JsonArray ?? []).Select(v => v?.ToString()).ToHashSet();
            var present = labels?[key] is not null;
            var actual = labels?[key]?.ToString();
            var ok = expression["operator"]?.ToString() switch
            {
                "In" => present && values.Contains(actual),
                "NotIn" => !present || !values.Contains(actual),
                "Exists" => present,
                "DoesNotExist" => !present,
                _ => false,
            };
            if (!ok)
                return false;
        }

        return true;
    }

    /// <summary>Renders a LabelSelector object as the string form the scale subresource reports.</summary>
    public static string Format(JsonObject? selector) =>
        string.Join(',', (selector?["matchLabels"] as JsonObject ?? []).Select(p => $"{p.Key}={p.Value}"));

    private static IEnumerable<string> SplitTopLevel(string text)
    {
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '(')
                depth++;
            else if (text[i] == ')')
                depth--;
            else if (text[i] == ',' && depth == 0)
            {
                yield return text[start..i].Trim();
                start = i + 1;
            }
        }

        yield return text[start..].Trim();
    }

    private static Func<JsonObject?, bool> ParseRequirement(string term)
    {
        string Value(JsonObject? labels, string key) => labels?[key]?.ToString() ?? "";
        bool Has(JsonObject? labels, string key) => labels?[key] is not null;

        var setMatch = System.Text.RegularExpressions.Regex.Match(term, @"^([^\s!=]+)\s+(in|notin)\s+\((.*)\)$");
        if (setMatch.Success)
        {
            var key = setMatch.Groups[1].Value;
            var values = setMatch.Groups[3].Value.Split(',', StringSplitOptions.TrimEntries).ToHashSet();
            return setMatch.Groups[2].Value == "in"
                ? labels => Has(labels, key) && values.Contains(Value(labels, key))
                : labels => !Has(labels, key) || !values.Contains(Value(labels, key));
        }

        if (term.StartsWith('!'))
        {
            var key = term[1..].Trim();
            return labels => !Has(labels, key);
        }

        if (term.Contains("!=", StringComparison.Ordinal))
        {
            var parts = term.Split("!=", 2, StringSplitOptions.TrimEntries);
            return labels => Value(labels, parts[0]) != parts[1] || !Has(labels, parts[0]);
        }

        if (term.Contains('=', StringComparison.Ordinal))
        {
            var parts = term.Split(term.Contains("==", StringComparison.Ordinal) ? "==" : "=", 2, StringSplitOptions.TrimEntries);
            return labels => Has(labels, parts[0]) && Value(labels, parts[0]) == parts[1];
        }

        if (term.Length == 0 || term.Any(char.IsWhiteSpace))
            throw ApiError.BadRequest($"unable to parse requirement: '{term}'");
        return labels => Has(labels, term);
    }
}
