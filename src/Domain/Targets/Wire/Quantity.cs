using System.Globalization;
using System.Numerics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Thoras.Domain.Targets;

/// <summary>How a <see cref="Quantity"/> is written: the family of its suffix, kept so it prints the way the user wrote it.</summary>
public enum QuantityFormat
{
    /// <summary>Powers of 1000: <c>n u m "" k M G T P E</c> (CPU is usually written like this: <c>250m</c>, <c>2</c>).</summary>
    DecimalSI,

    /// <summary>Powers of 1024: <c>Ki Mi Gi Ti Pi Ei</c> (memory is usually written like this: <c>512Mi</c>).</summary>
    BinarySI,

    /// <summary>Scientific notation: <c>1e3</c>, <c>12E6</c>.</summary>
    DecimalExponent,
}

/// <summary>
/// A Kubernetes resource quantity (<c>250m</c>, <c>1.5</c>, <c>512Mi</c>, <c>2Gi</c>, <c>1e3</c>), parsed and printed
/// exactly as the API server does: values are kept to nano precision (finer values round up, away from zero),
/// and <see cref="ToString"/> gives the canonical form (<c>1000m</c> → <c>1</c>, <c>1024Mi</c> → <c>1Gi</c>,
/// <c>0.5</c> → <c>500m</c>, <c>1.5Gi</c> → <c>1536Mi</c>). Two quantities are equal when their amounts are,
/// whatever their format.
/// </summary>
[JsonConverter(typeof(QuantityJsonConverter))]
public readonly struct Quantity : IEquatable<Quantity>, IComparable<Quantity>
{
    private const int NanoScale = 9;
    private const int MaxDigits = 40;
    private const int MaxExponent = 30;
    private static readonly BigInteger NanosPerUnit = BigInteger.Pow(10, NanoScale);

    private static readonly (string Suffix, int Exponent)[] DecimalSuffixes =
    [
        ("n", -9), ("u", -6), ("m", -3), ("k", 3), ("M", 6), ("G", 9), ("T", 12), ("P", 15), ("E", 18),
    ];

    private static readonly (string Suffix, int Power)[] BinarySuffixes =
    [
        ("Ki", 1), ("Mi", 2), ("Gi", 3), ("Ti", 4), ("Pi", 5), ("Ei", 6),
    ];

    private readonly BigInteger _nanos;

    private Quantity(BigInteger nanos, QuantityFormat format)
    {
        _nanos = nanos;
        Format = format;
    }

    /// <summary>The suffix family this quantity prints with.</summary>
    public QuantityFormat Format { get; }

    /// <summary>The amount in base units (cores for CPU, bytes for memory).</summary>
    public decimal Amount => (decimal)_nanos / (decimal)NanosPerUnit;

    /// <summary>The amount as a double, for arithmetic where nano precision does not matter (forecasting).</summary>
    public double ToDouble() => (double)_nanos / 1e9;

    /// <summary>Whether the amount is below zero.</summary>
    public bool IsNegative => _nanos.Sign < 0;

    /// <summary>A quantity of <paramref name="amount"/> base units, rounded up to nano precision.</summary>
    public static Quantity FromAmount(decimal amount, QuantityFormat format)
    {
        var scaled = amount * 1_000_000_000m;
        var rounded = scaled >= 0 ? decimal.Ceiling(scaled) : decimal.Floor(scaled);
        return new Quantity(new BigInteger(rounded), format);
    }

    /// <summary>A quantity of <paramref name="amount"/> base units, rounded up to nano precision.</summary>
    public static Quantity FromAmount(double amount, QuantityFormat format)
    {
        if (double.IsNaN(amount) || double.IsInfinity(amount))
            throw new ArgumentOutOfRangeException(nameof(amount), amount, "A quantity must be a finite number.");
        return FromAmount((decimal)amount, format);
    }

    /// <summary>Parses a Kubernetes quantity; throws <see cref="FormatException"/> with a message a user understands.</summary>
    public static Quantity Parse(string text)
    {
        if (TryParse(text, out var quantity, out var error))
            return quantity;
        throw new FormatException(error);
    }

    /// <summary>Parses a Kubernetes quantity without throwing.</summary>
    public static bool TryParse(string? text, out Quantity quantity) => TryParse(text, out quantity, out _);

    /// <summary>Parses a Kubernetes quantity without throwing; <paramref name="error"/> says what is wrong when it fails.</summary>
    public static bool TryParse(string? text, out Quantity quantity, out string error)
    {
        quantity = default;
        error = $"'{text}' is not a Kubernetes quantity (examples: 250m, 1, 1.5, 512Mi, 2Gi)";
        if (string.IsNullOrEmpty(text))
            return false;

        var pos = 0;
        var negative = false;
        if (text[pos] is '+' or '-')
        {
            negative = text[pos] == '-';
            pos++;
        }

        var integerStart = pos;
        while (pos < text.Length && char.IsAsciiDigit(text[pos]))
            pos++;
        var integerDigits = text[integerStart..pos];
        var fractionDigits = string.Empty;
        if (pos < text.Length && text[pos] == '.')
        {
            pos++;
            var fractionStart = pos;
            while (pos < text.Length && char.IsAsciiDigit(text[pos]))
                pos++;
            fractionDigits = text[fractionStart..pos];
        }

        if (integerDigits.Length + fractionDigits.Length == 0 || integerDigits.Length + fractionDigits.Length > MaxDigits)
            return false;

        if (!TryParseSuffix(text[pos..], out var base10Exponent, out var binaryPower, out var format))
            return false;

        // The mantissa as an integer count of 10^-fractionDigits units.
        var mantissa = BigInteger.Parse(integerDigits + fractionDigits, NumberStyles.None, CultureInfo.InvariantCulture);
        var scale = base10Exponent - fractionDigits.Length + NanoScale;
        var multiplier = BigInteger.Pow(1024, binaryPower);
        BigInteger nanos;
        if (scale >= 0)
        {
            nanos = mantissa * multiplier * BigInteger.Pow(10, scale);
        }
        else
        {
            var divisor = BigInteger.Pow(10, -scale);
            nanos = BigInteger.DivRem(mantissa * multiplier, divisor, out var remainder);
            if (!remainder.IsZero)
                nanos += 1;
        }

        quantity = new Quantity(negative ? -nanos : nanos, format);
        return true;
    }

    private static bool TryParseSuffix(string suffix, out int base10Exponent, out int binaryPower, out QuantityFormat format)
    {
        base10Exponent = 0;
        binaryPower = 0;
        format = QuantityFormat.DecimalSI;
        if (suffix.Length == 0)
            return true;

        foreach (var (s, power) in BinarySuffixes)
        {
            if (suffix == s)
            {
                binaryPower = power;
                format = QuantityFormat.BinarySI;
                return true;
            }
        }

        foreach (var (s, exponent) in DecimalSuffixes)
        {
            if (suffix == s)
            {
                base10Exponent = exponent;
                return true;
            }
        }

        if (suffix[0] is 'e' or 'E'
            && int.TryParse(suffix.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e)
            && char.IsAsciiDigit(suffix[^1])
            && Math.Abs(e) <= MaxExponent)
        {
            base10Exponent = e;
            format = QuantityFormat.DecimalExponent;
            return true;
        }

        return false;
    }

    /// <summary>The canonical form, as the API server prints it.</summary>
    public override string ToString()
    {
        if (_nanos.IsZero)
            return "0";

        var sign = _nanos.Sign < 0 ? "-" : string.Empty;
        var magnitude = BigInteger.Abs(_nanos);

        if (Format == QuantityFormat.BinarySI && magnitude >= 1024 * NanosPerUnit)
        {
            var whole = BigInteger.DivRem(magnitude, NanosPerUnit, out var fraction);
            if (fraction.IsZero)
                return sign + FormatBinary(whole);
        }

        // Mantissa × 10^exponent with exponent a multiple of 3, the smallest integer mantissa.
        var mantissa = magnitude;
        var exponent = -NanoScale;
        while (exponent < 18 && (mantissa % 1000).IsZero)
        {
            mantissa /= 1000;
            exponent += 3;
        }

        var builder = new StringBuilder(sign).Append(mantissa.ToString(CultureInfo.InvariantCulture));
        if (exponent != 0)
        {
            builder.Append(Format == QuantityFormat.DecimalExponent
                ? "e" + exponent.ToString(CultureInfo.InvariantCulture)
                : DecimalSuffixes.First(s => s.Exponent == exponent).Suffix);
        }

        return builder.ToString();
    }

    private static string FormatBinary(BigInteger whole)
    {
        var power = 0;
        while (power < BinarySuffixes.Length && (whole % 1024).IsZero)
        {
            whole /= 1024;
            power++;
        }

        var suffix = power == 0 ? string.Empty : BinarySuffixes[power - 1].Suffix;
        return whole.ToString(CultureInfo.InvariantCulture) + suffix;
    }

    public bool Equals(Quantity other) => _nanos == other._nanos;

    public override bool Equals(object? obj) => obj is Quantity other && Equals(other);

    public override int GetHashCode() => _nanos.GetHashCode();

    public int CompareTo(Quantity other) => _nanos.CompareTo(other._nanos);

    public static bool operator ==(Quantity left, Quantity right) => left.Equals(right);

    public static bool operator !=(Quantity left, Quantity right) => !left.Equals(right);

    public static bool operator <(Quantity left, Quantity right) => left.CompareTo(right) < 0;

    public static bool operator >(Quantity left, Quantity right) => left.CompareTo(right) > 0;

    public static bool operator <=(Quantity left, Quantity right) => left.CompareTo(right) <= 0;

    public static bool operator >=(Quantity left, Quantity right) => left.CompareTo(right) >= 0;
}

/// <summary>Reads a quantity from a JSON string or integer (as Kubernetes allows) and writes its canonical string.</summary>
public sealed class QuantityJsonConverter : JsonConverter<Quantity>
{
    public override Quantity Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType switch
        {
            JsonTokenType.String => reader.GetString(),
            JsonTokenType.Number when reader.TryGetInt64(out var whole) => whole.ToString(CultureInfo.InvariantCulture),
            _ => throw new JsonException("a quantity must be a string such as 250m or 512Mi, or a whole number"),
        };
        return Quantity.TryParse(text, out var quantity, out var error) ? quantity : throw new JsonException(error);
    }

    public override void Write(Utf8JsonWriter writer, Quantity value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
