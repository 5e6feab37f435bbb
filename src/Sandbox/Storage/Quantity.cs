using System.Globalization;

namespace Thoras.Sandbox.Storage;

/// <summary>Kubernetes resource quantities (<c>250m</c>, <c>1.5</c>, <c>512Mi</c>, <c>1e3</c>) as plain decimals.</summary>
internal static class Quantity
{
    private static readonly (string Suffix, decimal Factor)[] Suffixes =
    [
        ("Ki", 1024m), ("Mi", 1024m * 1024), ("Gi", 1024m * 1024 * 1024), ("Ti", 1024m * 1024 * 1024 * 1024),
        ("Pi", 1024m * 1024 * 1024 * 1024 * 1024), ("Ei", 1024m * 1024 * 1024 * 1024 * 1024 * 1024),
        ("n", 0.000000001m), ("u", 0.000001m), ("m", 0.001m), ("k", 1000m), ("M", 1_000_000m),
        ("G", 1_000_000_000m), ("T", 1_000_000_000_000m), ("P", 1_000_000_000_000_000m), ("E", 1_000_000_000_000_000_000m),
    ];

    public static bool TryParse(string? text, out decimal value)
    {
        value = 0;
        if (string.IsNullOrWhiteSpace(text))
            return false;
        text = text.Trim();
        foreach (var (suffix, factor) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal)
                && decimal.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var number))
            {
                value = number * factor;
                return true;
            }
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var plain))
        {
            value = (decimal)plain;
            return true;
        }

        return false;
    }

    public static decimal Parse(string? text) =>
        TryParse(text, out var value) ? value : throw ApiError.BadRequest($"quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$': \"{text}\"");

    /// <summary>CPU as metrics-server reports it: nanocores.</summary>
    public static string FormatCpu(decimal cores) =>
        string.Create(CultureInfo.InvariantCulture, $"{decimal.Round(cores * 1_000_000_000m, 0)}n");

    /// <summary>Memory as metrics-server reports it: whole KiB.</summary>
    public static string FormatMemory(decimal bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{decimal.Round(bytes / 1024m, 0)}Ki");
}
