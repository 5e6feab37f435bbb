using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>A failed API call, rendered as a Kubernetes <c>Status</c> body with the matching HTTP code.</summary>
internal sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, string? name = null, string? kind = null, string? group = null, IReadOnlyList<FieldError>? causes = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Name = name;
        Kind = kind;
        Group = group;
        Causes = causes ?? [];
    }

    public int Code { get; }

    public string Reason { get; }

    public string? Name { get; }

    public string? Kind { get; }

    public string? Group { get; }

    /// <summary>The invalid fields of a 422 answer, in the order found.</summary>
    public IReadOnlyList<FieldError> Causes { get; }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", name, type.Plural, type.Group);

    public static ApiError Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            name, type.Plural, type.Group);

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", name, type.Plural, type.Group);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    /// <summary>
    /// 422 for the fields that failed validation, with the API server's message: one error as is, several (identical
    /// ones once) in brackets.
    /// </summary>
    public static ApiError Invalid(ResourceType type, string name, IReadOnlyList<FieldError> errors)
    {
        var qualifiedKind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        var messages = errors.Select(e => e.ToString()).Distinct(StringComparer.Ordinal).ToList();
        var message = messages.Count switch
        {
            0 => $"{qualifiedKind} {FieldError.Quote(name)} is invalid",
            1 => $"{qualifiedKind} {FieldError.Quote(name)} is invalid: {messages[0]}",
            _ => $"{qualifiedKind} {FieldError.Quote(name)} is invalid: [{string.Join(", ", messages)}]",
        };
        return new(422, "Invalid", message, name, type.Kind, type.Group, errors);
    }

    public static ApiError Invalid(ResourceType type, string name, FieldError error) => Invalid(type, name, [error]);

    public static ApiError MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    public static ApiError UnsupportedMediaType(string contentType) =>
        new(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/strategic-merge-patch+json; got {contentType}");

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
        };
        // As metav1.Status marshals: empty reason, name and kind are left out.
        if (Reason.Length > 0)
            status["reason"] = Reason;
        status["code"] = Code;
        if (Name is not null || Kind is not null)
        {
            var details = new JsonObject();
            if (!string.IsNullOrEmpty(Name))
                details["name"] = Name;
            if (!string.IsNullOrEmpty(Group))
                details["group"] = Group;
            if (!string.IsNullOrEmpty(Kind))
                details["kind"] = Kind;
            if (Causes.Count > 0)
            {
                details["causes"] = new JsonArray([.. Causes.Select(c => (JsonNode)new JsonObject
                {
                    ["reason"] = c.Reason,
                    ["message"] = c.Body,
                    ["field"] = c.Field,
                })]);
            }
            status["details"] = details;
        }

        return status;
    }
}
