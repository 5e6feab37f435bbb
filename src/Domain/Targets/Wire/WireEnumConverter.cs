using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>
/// Reads and writes an enum by its name in the AIScaleTarget CRD (<c>cost_optimized</c>, <c>in_place</c>, ...),
/// so a value the CRD does not allow fails with a message listing the allowed ones.
/// </summary>
public abstract class WireEnumConverter<TEnum> : JsonConverter<TEnum>
    where TEnum : struct, Enum
{
    /// <summary>What the value is, for error messages: "mode", "update_mode".</summary>
    protected abstract string What { get; }

    /// <summary>The values a user may write, for error messages.</summary>
    protected abstract string Allowed { get; }

    protected abstract bool TryParse(string? text, out TEnum value);

    protected abstract string WireName(TEnum value);

    public override TEnum Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException($"{What} must be a string: {Allowed}");
        var text = reader.GetString();
        return TryParse(text, out var value)
            ? value
            : throw new JsonException($"'{text}' is not a valid {What}; use {Allowed}");
    }

    public override void Write(Utf8JsonWriter writer, TEnum value, JsonSerializerOptions options) =>
        writer.WriteStringValue(WireName(value));
}
