using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>Writes times as Kubernetes does (<c>2026-01-31T12:00:00Z</c>, UTC, whole seconds) and reads any ISO 8601 time.</summary>
public sealed class Rfc3339JsonConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.String
        && DateTimeOffset.TryParse(reader.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.ToUniversalTime()
            : throw new JsonException("a time must be an RFC 3339 string such as 2026-01-31T12:00:00Z");

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
}
