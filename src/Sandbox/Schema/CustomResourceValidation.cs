using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Schema;

/// <summary>
/// Enforces each CRD's schema on its custom objects as the API server does: prune and default, then the structural
/// schema, then (only if no value had the wrong type or an unsupported enum value) the CEL rules; a CRD whose rules
/// do not compile is refused.
/// </summary>
internal sealed class CustomResourceValidation : IWriteStrategy
{
    private readonly ConditionalWeakTable<JsonObject, Compiled> compiled = [];

    public void Admit(ResourceType requested, JsonObject? old, JsonObject next, string subresource)
    {
        if (requested.StorageKey == ResourceCatalog.Crds.StorageKey)
        {
            AdmitDefinition(requested, next);
            return;
        }

        if (!requested.IsCustom || requested.Schema is null)
            return;
        var (schema, rules) = compiled.GetValue(requested.Schema, s => new Compiled(new StructuralSchema(s), new CelRules()));
        schema.Complete(next);
        var errors = schema.Validate(next);
        if (errors.Any(e => e.Reason is "FieldValueNotSupported" or "FieldValueTypeInvalid"))
            errors.Add(FieldError.Invalid("<nil>", "null", "some validation rules were not checked because the object was invalid; correct the existing errors to complete validation"));
        else
            errors.AddRange(rules.Validate(schema.Root, next, Completed(schema, old)));
        if (errors.Count > 0)
            throw ApiError.Invalid(requested, next["metadata"]?["name"]?.ToString() ?? "", errors);
    }

    /// <summary>The stored object as the API server reads it back, pruned and defaulted, for ratcheting to compare with.</summary>
    private static JsonObject? Completed(StructuralSchema schema, JsonObject? old)
    {
        if (old?.DeepClone() is not JsonObject copy)
            return null;
        schema.Complete(copy);
        return copy;
    }

    private static void AdmitDefinition(ResourceType requested, JsonObject crd)
    {
        var rules = new CelRules();
        var errors = new List<FieldError>();
        var versions = crd["spec"]?["versions"] as JsonArray ?? [];
        for (var i = 0; i < versions.Count; i++)
        {
            if (versions[i]?["schema"]?["openAPIV3Schema"] is JsonObject schema)
                errors.AddRange(rules.Compile(schema, $"spec.versions[{i}].schema.openAPIV3Schema"));
        }

        if (errors.Count > 0)
            throw ApiError.Invalid(requested, crd["metadata"]?["name"]?.ToString() ?? "", errors);
    }

    private sealed record Compiled(StructuralSchema Schema, CelRules Rules);
}
