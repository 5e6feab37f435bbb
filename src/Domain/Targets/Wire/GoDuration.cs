using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>
/// Durations in Go's <c>time.Duration</c> text form, as Kubernetes resources and CEL's <c>duration()</c> use them:
/// <c>15m</c>, <c>1h30m</c>, <c>1.5h</c>, <c>500ms</c> are read; <see cref="Format"/> prints what Go prints
/// (<c>15m0s</c>, <c>1h30m0s</c>, <c>500ms</c>, <c>0s</c>). Negative durations and durations finer than a .NET tick
/// (100ns) are refused, because no setting of an AIScaleTarget means either.
/// </summary>
public static class GoDuration
{
    private const long NanosPerTick = 100;

    private static readonly (string Unit, long Nanos)[] Units =
    [
        ("ns", 1L), ("us", 1_000L), ("\u00b5s", 1_000L), ("\u03bcs", 1_000L), ("ms", 1_000_000L),
        ("s", 1_000_000_000L), ("m", 60_000_000_000L), ("h", 3_600_000_000_000L),
    ];

    /// <summary>Parses a Go duration; throws <see cref="FormatException"/> with a message a user understands.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var duration, out var error) ? duration : throw new FormatException(error);

    /// <summary>Parses a Go duration without throwing.</summary>
    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text, out duration, out _);

    /// <summary>Parses a Go duration without throwing; <paramref name="error"/> says what is wrong when it fails.</summary>
    public static bool TryParse(string? text, out TimeSpan duration, out string error)
    {
        duration = TimeSpan.Zero;
        error = $"'{text}' is not a duration (examples: 30s, 5m, 15m0s, 1h30m, 24h)";
        if (string.IsNullOrEmpty(text))
            return false;
        if (text == "0")
            return true;
        if (text[0] is '-' or '+')
        {
            if (text[0] == '-')
                error = $"'{text}' is negative; a duration must be zero or longer";
            return false;
        }

        decimal totalNanos = 0;
        var pos = 0;
        while (pos < text.Length)
        {
            var numberStart = pos;
            while (pos < text.Length && (char.IsAsciiDigit(text[pos]) || text[pos] == '.'))
                pos++;
            var number = text[numberStart..pos];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1)
                return false;

            var unitStart = pos;
            while (pos < text.Length && !char.IsAsciiDigit(text[pos]) && text[pos] != '.')
                pos++;
            var unit = text[unitStart..pos];
            var unitNanos = Units.FirstOrDefault(u => u.Unit == unit).Nanos;
            if (unitNanos == 0)
                return false;
            if (!decimal.TryParse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value))
                return false;

            totalNanos += value * unitNanos;
            if (totalNanos > long.MaxValue)
            {
                error = $"'{text}' is too long a duration";
                return false;
            }
        }

        if (totalNanos % NanosPerTick != 0)
        {
            error = $"'{text}' is finer than 100ns, which is not supported";
            return false;
        }

        duration = TimeSpan.FromTicks((long)(totalNanos / NanosPerTick));
        return true;
    }

    /// <summary>Prints a duration the way Go's <c>Duration.String()</c> does: <c>15m0s</c>, <c>1h0m0s</c>, <c>1.5s</c>, <c>500ms</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
            return "0s";

        var negative = duration < TimeSpan.Zero;
        var nanos = (ulong)Math.Abs((decimal)duration.Ticks * NanosPerTick);
        var builder = new StringBuilder();
        if (nanos < 1_000_000_000UL)
        {
            var (unit, precision) = nanos switch
            {
                < 1_000UL => ("ns", 0),
                < 1_000_000UL => ("\u00b5s", 3),
                _ => ("ms", 6),
            };
            builder.Append(FormatFraction(nanos, precision)).Append(unit);
        }
        else
        {
            var seconds = nanos / 1_000_000_000UL;
            var secondsText = FormatFraction(nanos, 9);
            var minutes = seconds / 60;
            var hours = minutes / 60;
            if (hours > 0)
                builder.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            if (minutes > 0)
                builder.Append((minutes % 60).ToString(CultureInfo.InvariantCulture)).Append('m');
            var wholeSeconds = seconds % 60;
            var fraction = secondsText.Contains('.', StringComparison.Ordinal) ? secondsText[secondsText.IndexOf('.', StringComparison.Ordinal)..] : string.Empty;
            builder.Append(wholeSeconds.ToString(CultureInfo.InvariantCulture)).Append(fraction).Append('s');
        }

        return (negative ? "-" : string.Empty) + builder;
    }

    /// <summary><paramref name="value"/> / 10^<paramref name="precision"/> with trailing zeros of the fraction dropped.</summary>
    private static string FormatFraction(ulong value, int precision)
    {
        var divisor = (ulong)Math.Pow(10, precision);
        var whole = value / divisor;
        var fraction = value % divisor;
        if (fraction == 0)
            return whole.ToString(CultureInfo.InvariantCulture);
        var digits = fraction.ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');
        return whole.ToString(CultureInfo.InvariantCulture) + "." + digits;
    }
}

/// <summary>Reads and writes an optional <see cref="TimeSpan"/> as a Go duration string (<c>15m0s</c>).</summary>
public sealed class GoDurationJsonConverter : JsonConverter<TimeSpan?>
{
    public override TimeSpan? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
            return null;
        if (reader.TokenType != JsonTokenType.String)
            throw new JsonException("a duration must be a string such as 30s, 5m or 24h");
        return GoDuration.TryParse(reader.GetString(), out var duration, out var error)
            ? duration
            : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, TimeSpan? value, JsonSerializerOptions options)
    {
        if (value is null)
            writer.WriteNullValue();
        else
            writer.WriteStringValue(GoDuration.Format(value.Value));
    }
}
