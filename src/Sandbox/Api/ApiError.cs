using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Api;

/// <summary>A failed API call, rendered as a Kubernetes <c>Status</c> body with the matching HTTP code.</summary>
internal sealed class ApiError : Exception
{
    public ApiError(int code, string reason, string message, string? name = null, string? kind = null, string? group = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Name = name;
        Kind = kind;
        Group = group;
    }

    public int Code { get; }

    public string Reason { get; }

    public string? Name { get; }

    public string? Kind { get; }

    public string? Group { get; }

    public static ApiError NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{type.QualifiedPlural} \"{name}\" not found", name, type.Plural, type.Group);

    public static ApiError Conflict(ResourceType type, string name) =>
        new(409, "Conflict",
            $"Operation cannot be fulfilled on {type.QualifiedPlural} \"{name}\": the object has been modified; please apply your changes to the latest version and try again",
            name, type.Plural, type.Group);

    public static ApiError AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{type.QualifiedPlural} \"{name}\" already exists", name, type.Plural, type.Group);

    public static ApiError BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiError Invalid(ResourceType type, string name, string message) =>
        new(422, "Invalid", $"{type.Kind}.{type.Group} \"{name}\" is invalid: {message}".Replace(". \"", " \"", StringComparison.Ordinal), name, type.Kind, type.Group);

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
            ["reason"] = Reason,
            ["code"] = Code,
        };
        if (Name is not null || Kind is not null)
        {
            var details = new JsonObject();
            if (Name is not null)
                details["name"] = Name;
            if (!string.IsNullOrEmpty(Group))
                details["group"] = Group;
            if (Kind is not null)
                details["kind"] = Kind;
            status["details"] = details;
        }

        return status;
    }
}
