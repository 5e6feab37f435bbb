using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Thoras.Sandbox.Schema;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Api;

/// <summary>
/// A write's <c>fieldValidation</c> directive, applied as the API server applies it to the unknown fields of a custom
/// object (those its CRD's schema prunes): <c>Strict</c> refuses the write, <c>Warn</c> (the default) answers a
/// <c>Warning</c> header per field and drops them, <c>Ignore</c> drops them silently. A server-side apply refuses
/// unknown fields whatever the directive, as the API server's typed conversion of the applied configuration does.
/// Built-in kinds have no schema in the sandbox, so their unknown fields are kept, unchecked.
/// </summary>
internal sealed class FieldValidation
{
    private const string Strict = "Strict";
    private const string Warn = "Warn";
    private const string Ignore = "Ignore";
    private readonly string directive;
    private readonly HttpResponse response;

    private FieldValidation(string directive, HttpResponse response)
    {
        this.directive = directive;
        this.response = response;
    }

    /// <summary>The directive of <paramref name="context"/>'s request; an unknown one is refused with 422 as the API
    /// server validates its <paramref name="optionsKind"/> (<c>CreateOptions</c>, <c>UpdateOptions</c>, <c>PatchOptions</c>).</summary>
    public static FieldValidation Of(HttpContext context, string optionsKind)
    {
        var value = context.Request.Query["fieldValidation"].ToString();
        if (value is not ("" or Strict or Warn or Ignore))
        {
            var error = FieldError.NotSupported("fieldValidation", value, ["", Ignore, Strict, Warn]);
            throw new ApiError(422, "Invalid", $"{optionsKind}.meta.k8s.io \"\" is invalid: {error}", kind: optionsKind, group: "meta.k8s.io", causes: [error]);
        }

        return new FieldValidation(value.Length == 0 ? Warn : value, context.Response);
    }

    /// <summary>A created or replaced object's unknown fields, checked as the API server's strict decoder checks a body.</summary>
    public void CheckBody(ResourceType type, JsonObject body)
    {
        var unknown = UnknownFields(type, body);
        if (unknown.Count > 0 && directive == Strict)
            throw ApiError.BadRequest($"{type.Kind} in version \"{type.Version}\" cannot be handled as a {type.Kind}: strict decoding error: {Describe(unknown)}");
        WarnAbout(unknown);
    }

    /// <summary>The unknown fields a JSON or merge patch brought into <paramref name="patched"/> (the object it made).</summary>
    public void CheckPatched(ResourceType type, JsonObject patched)
    {
        var unknown = UnknownFields(type, patched);
        if (unknown.Count > 0 && directive == Strict)
        {
            var error = FieldError.Invalid("patch", patched.ToJsonString(), $"strict decoding error: {Describe(unknown)}");
            throw new ApiError(422, "Invalid", $" \"\" is invalid: {error}", kind: "", causes: [error]);
        }

        WarnAbout(unknown);
    }

    /// <summary>A server-side apply's configuration: its unknown fields fail the typed conversion (500, no reason), whatever the directive.</summary>
    public static void CheckApplied(ResourceType type, string? ns, string name, JsonObject applied)
    {
        var unknown = UnknownFields(type, applied);
        if (unknown.Count == 0)
            return;
        var errors = unknown.Select(path => $".{path}: field not declared in schema").ToList();
        var detail = errors.Count == 1 ? errors[0] : string.Join("\n", ["errors:", .. errors.Select(e => "  " + e)]);
        throw new ApiError(500, "", $"failed to create typed patch object ({ns}/{name}; {type.Group}/{type.Version}, Kind={type.Kind}): {detail}");
    }

    private void WarnAbout(List<string> unknown)
    {
        if (directive != Warn)
            return;
        foreach (var path in unknown)
            response.Headers.Append("Warning", $"299 - {FieldError.Quote($"unknown field {FieldError.Quote(path)}")}");
    }

    private static string Describe(List<string> unknown) => string.Join(", ", unknown.Select(path => $"unknown field {FieldError.Quote(path)}"));

    /// <summary>The paths of the fields the schema of <paramref name="type"/> would prune from <paramref name="obj"/>, in order.</summary>
    private static List<string> UnknownFields(ResourceType type, JsonObject obj)
    {
        if (!type.IsCustom || type.Schema is null)
            return [];
        var pruned = new List<string>();
        new StructuralSchema(type.Schema).Complete((JsonObject)obj.DeepClone(), pruned);
        pruned.Sort(StringComparer.Ordinal);
        return pruned;
    }
}
