using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Thoras.Sandbox.Storage;

/// <summary>
/// The API server's Event validation (k8s.io/kubernetes pkg/apis/core/validation/events.go): legacy rules for every
/// write, and for writes through events.k8s.io/v1 the strict ones (eventTime required, the deprecated fields unset, only
/// the series and metadata may change).
/// </summary>
internal sealed partial class EventValidation : IWriteStrategy
{
    private const int ReportingInstanceLimit = 128;
    private const int ActionLimit = 128;
    private const int ReasonLimit = 128;
    private const int NoteLimit = 1024;

    private static readonly string[] Immutable =
    [
        "involvedObject", "reason", "message", "source", "firstTimestamp", "lastTimestamp", "count", "reason", "type",
        "eventTime", "action", "related", "reportingComponent", "reportingInstance",
    ];

    public void Admit(ResourceType requested, JsonObject? old, JsonObject next, string subresource)
    {
        if (requested.StorageKey != ResourceCatalog.CoreEvents.StorageKey)
            return;
        var strict = requested.Conversion is not null;
        var errors = Legacy(next, strict);
        if (strict && old is null)
        {
            errors.AddRange(Series(next));
            if (IsZeroTime(next["eventTime"]))
                errors.Add(FieldError.Required("eventTime"));
            var type = Text(next, "type");
            if (type is not ("Normal" or "Warning"))
                errors.Add(FieldError.Invalid("type", "", $"has invalid value: {type}"));
            foreach (var field in new[] { "firstTimestamp", "lastTimestamp" })
            {
                if (!IsZeroTime(next[field]))
                    errors.Add(FieldError.Invalid(field, "", "needs to be unset"));
            }

            if ((JsonNumbers.Long(next["count"]) ?? 0) != 0)
                errors.Add(FieldError.Invalid("count", "", "needs to be unset"));
            if (Text(next, "source.component").Length > 0 || Text(next, "source.host").Length > 0)
                errors.Add(FieldError.Invalid("source", "", "needs to be unset"));
        }
        else if (strict && old is not null)
        {
            if (!JsonNode.DeepEquals(next["series"], old["series"]))
                errors.AddRange(Series(next));
            foreach (var field in Immutable)
            {
                if (!SameValue(next[field], old[field]))
                    errors.Add(FieldError.Invalid(FieldName(field, strict), Value(next[field]), "field is immutable"));
            }
        }

        if (errors.Count > 0)
            throw ApiError.Invalid(requested, next["metadata"]?["name"]?.ToString() ?? "", errors);
    }

    private static List<FieldError> Legacy(JsonObject ev, bool strict)
    {
        var errors = new List<FieldError>();
        var ns = Text(ev, "metadata.namespace");
        var involvedNamespace = Text(ev, "involvedObject.namespace");
        if (IsZeroTime(ev["eventTime"]))
        {
            // An old-style event: its namespace is its object's (or "default" for cluster-scoped objects).
            if (involvedNamespace.Length == 0 ? ns is not ("" or "default") : ns != involvedNamespace)
                errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
            return errors;
        }

        if (involvedNamespace.Length == 0 && ns is not ("default" or "kube-system"))
            errors.Add(FieldError.Invalid("involvedObject.namespace", involvedNamespace, "does not match event.namespace"));
        var controllerField = strict ? "reportingController" : "reportingComponent";
        var controller = Text(ev, "reportingComponent");
        if (controller.Length == 0)
            errors.Add(FieldError.Required(controllerField));
        errors.AddRange(QualifiedNameErrors(controller).Select(message => FieldError.Invalid(controllerField, controller, message)));
        Limited(errors, ev, "reportingInstance", ReportingInstanceLimit);
        Limited(errors, ev, "action", ActionLimit);
        Limited(errors, ev, "reason", ReasonLimit);
        if (Text(ev, "message").Length > NoteLimit)
            errors.Add(FieldError.Invalid("message", "", $"can have at most {NoteLimit} characters"));
        return errors;
    }

    private static void Limited(List<FieldError> errors, JsonObject ev, string field, int limit)
    {
        var value = Text(ev, field);
        if (value.Length == 0)
            errors.Add(FieldError.Required(field));
        if (value.Length > limit)
            errors.Add(FieldError.Invalid(field, "", $"can have at most {limit} characters"));
    }

    private static IEnumerable<FieldError> Series(JsonObject ev)
    {
        if (ev["series"] is not JsonObject series)
            yield break;
        if ((JsonNumbers.Long(series["count"]) ?? 0) < 2)
            yield return FieldError.Invalid("series.count", "", "should be at least 2");
        if (IsZeroTime(series["lastObservedTime"]))
            yield return FieldError.Required("series.lastObservedTime");
    }

    /// <summary>apimachinery's IsQualifiedName: an optional DNS subdomain prefix and '/', then a name of at most 63 characters.</summary>
    private static List<string> QualifiedNameErrors(string value)
    {
        const string NameMessage = "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
        var errors = new List<string>();
        var parts = value.Split('/');
        if (parts.Length > 2)
            return ["a qualified name " + NameMessage + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')"];
        var name = parts[^1];
        if (parts.Length == 2)
        {
            if (parts[0].Length == 0)
                errors.Add("prefix part must be non-empty");
            else if (!Names.IsSubdomain(parts[0]))
                errors.Add("prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')");
        }

        if (name.Length == 0)
            errors.Add("name part must be non-empty");
        else if (name.Length > 63)
            errors.Add("name part must be no more than 63 characters");
        if (!QualifiedNamePart().IsMatch(name))
            errors.Add("name part " + NameMessage);
        return errors;
    }

    private static string FieldName(string stored, bool strict) => strict && stored == "reportingComponent" ? "reportingController" : stored;

    private static bool IsZeroTime(JsonNode? value) =>
        value?.ToString() is not { Length: > 0 } text || text.StartsWith("0001-01-01", StringComparison.Ordinal);

    private static bool SameValue(JsonNode? a, JsonNode? b) => JsonNode.DeepEquals(a, b) || (IsEmpty(a) && IsEmpty(b));

    private static bool IsEmpty(JsonNode? value) => value switch
    {
        null => true,
        JsonObject o => o.Count == 0,
        JsonValue v => v.ToString() is "" or "0",
        _ => false,
    };

    private static object? Value(JsonNode? node) => node switch
    {
        null => null,
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when JsonNumbers.Long(v) is { } number => number,
        _ => node.ToJsonString(),
    };

    private static string Text(JsonObject ev, string path) => JsonPaths.GetString(ev, path) ?? "";

    [GeneratedRegex("^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$")]
    private static partial Regex QualifiedNamePart();
}
