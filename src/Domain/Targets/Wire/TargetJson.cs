using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>
/// Reads and writes the spec and status of an AIScaleTarget as the CRD spells them. Fields the model does not know
/// are ignored (the API server prunes them anyway); unset fields are left out when writing, so a merge patch built
/// from a model never clears a field by accident.
/// </summary>
public static class TargetJson
{
    /// <summary>The options every reader and writer of AIScaleTarget JSON uses.</summary>
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.General)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.Strict,
        ReadCommentHandling = JsonCommentHandling.Disallow,
    };

    /// <summary>Reads a spec; throws <see cref="FormatException"/> naming the field and what is wrong with it.</summary>
    public static TargetSpec ReadSpec(JsonElement spec) => Read<TargetSpec>(spec, "spec");

    /// <summary>
    /// Reads and validates a spec: the spec, or every problem found (a spec that cannot be read has exactly one,
    /// naming the field). Never throws for bad input.
    /// </summary>
    public static TargetSpec? ReadValidSpec(JsonElement spec, out IReadOnlyList<SpecProblem> problems)
    {
        if (spec.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            problems = [new SpecProblem("spec", "is required")];
            return null;
        }

        try
        {
            var read = ReadSpec(spec);
            problems = TargetValidator.Validate(read);
            return problems.Count == 0 ? read : null;
        }
        catch (FormatException ex)
        {
            var colon = ex.Message.IndexOf(": ", StringComparison.Ordinal);
            problems = [colon > 0 ? new SpecProblem(ex.Message[..colon], ex.Message[(colon + 2)..]) : new SpecProblem("spec", ex.Message)];
            return null;
        }
    }

    /// <summary>Reads a status; throws <see cref="FormatException"/> naming the field and what is wrong with it.</summary>
    public static TargetStatus ReadStatus(JsonElement status) => Read<TargetStatus>(status, "status");

    /// <summary>Writes a value of the model (a spec, a status or a part of one) as JSON.</summary>
    public static JsonElement Write<T>(T value) => JsonSerializer.SerializeToElement(value, Options);

    private static T Read<T>(JsonElement element, string root)
        where T : class
    {
        if (element.ValueKind != JsonValueKind.Object)
            throw new FormatException($"{root}: must be an object");
        try
        {
            return element.Deserialize<T>(Options) ?? throw new FormatException($"{root}: must be an object");
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{FieldPath(root, ex.Path)}: {UserMessage(ex)}", ex);
        }
    }

    /// <summary><c>$.vertical.containers[0].name</c> → <c>spec.vertical.containers[0].name</c>.</summary>
    private static string FieldPath(string root, string? jsonPath) =>
        string.IsNullOrEmpty(jsonPath) || jsonPath == "$" ? root : root + jsonPath[1..];

    /// <summary>Our converters say what is wrong in a user's words; the serializer's own messages name .NET types.</summary>
    private static string UserMessage(JsonException ex) =>
        ex.Message.Contains(" Path: ", StringComparison.Ordinal) || ex.Message.Contains("System.", StringComparison.Ordinal)
            ? "has a value of the wrong type (see kubectl explain aiscaletarget.spec)"
            : ex.Message;
}
