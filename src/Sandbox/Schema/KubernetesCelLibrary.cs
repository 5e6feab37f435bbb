using System.Globalization;
using System.Text.RegularExpressions;
using Cel;
using Google.Protobuf.WellKnownTypes;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Schema;

/// <summary>A <c>quantity()</c> value of the Kubernetes CEL quantity library.</summary>
internal sealed record CelQuantity(decimal Value);

/// <summary>
/// The Kubernetes extensions to CEL that CRD rules use, on top of the standard library the <c>Cel</c> package provides:
/// Go-style <c>duration()</c> strings (<c>1h30m</c>, <c>10µs</c>), the quantity library (<c>quantity()</c>,
/// <c>isQuantity</c>, <c>compareTo</c>, <c>isGreaterThan</c>, <c>isLessThan</c>, <c>add</c>, <c>sub</c>,
/// <c>asInteger</c>, <c>asApproximateFloat</c>, <c>sign</c>, <c>isInteger</c>) and the strings library
/// (<c>lowerAscii</c>, <c>upperAscii</c>, <c>trim</c>, <c>replace</c>, <c>split</c>, <c>join</c>, <c>indexOf</c>,
/// <c>lastIndexOf</c>, <c>substring</c>, <c>charAt</c>).
/// </summary>
internal static partial class KubernetesCelLibrary
{
    public static CelEnvironment Environment()
    {
        var env = new CelEnvironment(null!, "");
        env.RegisterFunction("duration", [typeof(string)], a => ParseDuration(S(a, 0)));
        RegisterQuantity(env);
        RegisterStrings(env);
        return env;
    }

    /// <summary>A Go duration (<c>time.ParseDuration</c>): a sign, then numbers with units ns, us, µs, ms, s, m, h.</summary>
    public static Duration ParseDuration(string text)
    {
        if (text is "0" or "+0" or "-0")
            return Duration.FromTimeSpan(TimeSpan.Zero);
        var match = GoDuration().Match(text);
        if (!match.Success)
            throw new CelStringParsingException($"time: invalid duration \"{text}\"");
        decimal nanoseconds = 0;
        foreach (Capture part in match.Groups["part"].Captures)
        {
            var unit = UnitOf().Match(part.Value);
            var number = decimal.Parse(part.Value[..unit.Index], CultureInfo.InvariantCulture);
            nanoseconds += number * unit.Value switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                _ => 3_600_000_000_000m,
            };
        }

        if (match.Groups["sign"].Value == "-")
            nanoseconds = -nanoseconds;
        var seconds = decimal.Truncate(nanoseconds / 1_000_000_000m);
        return new Duration { Seconds = (long)seconds, Nanos = (int)(nanoseconds - (seconds * 1_000_000_000m)) };
    }

    private static void RegisterQuantity(CelEnvironment env)
    {
        var q = typeof(CelQuantity);
        env.RegisterFunction("quantity", [typeof(string)], a => Quantity.TryParse(S(a, 0), out var value)
            ? new CelQuantity(value)
            : throw new CelStringParsingException($"quantities must match the regular expression: {a[0]}"));
        env.RegisterFunction("isQuantity", [typeof(string)], a => Quantity.TryParse(S(a, 0), out _));
        env.RegisterFunction("compareTo", [q, q], a => (long)Q(a, 0).Value.CompareTo(Q(a, 1).Value));
        env.RegisterFunction("isGreaterThan", [q, q], a => Q(a, 0).Value > Q(a, 1).Value);
        env.RegisterFunction("isLessThan", [q, q], a => Q(a, 0).Value < Q(a, 1).Value);
        env.RegisterFunction("add", [q, q], a => new CelQuantity(Q(a, 0).Value + Q(a, 1).Value));
        env.RegisterFunction("add", [q, typeof(long)], a => new CelQuantity(Q(a, 0).Value + N(a, 1)));
        env.RegisterFunction("sub", [q, q], a => new CelQuantity(Q(a, 0).Value - Q(a, 1).Value));
        env.RegisterFunction("sub", [q, typeof(long)], a => new CelQuantity(Q(a, 0).Value - N(a, 1)));
        env.RegisterFunction("isInteger", [q], a => decimal.Truncate(Q(a, 0).Value) == Q(a, 0).Value);
        env.RegisterFunction("asInteger", [q], a => (long)Q(a, 0).Value);
        env.RegisterFunction("asApproximateFloat", [q], a => (double)Q(a, 0).Value);
        env.RegisterFunction("sign", [q], a => (long)Math.Sign(Q(a, 0).Value));
    }

    private static void RegisterStrings(CelEnvironment env)
    {
        var s = typeof(string);
        env.RegisterFunction("lowerAscii", [s], a => S(a, 0).ToLowerInvariant());
        env.RegisterFunction("upperAscii", [s], a => S(a, 0).ToUpperInvariant());
        env.RegisterFunction("trim", [s], a => S(a, 0).Trim());
        env.RegisterFunction("replace", [s, s, s], a => S(a, 0).Replace(S(a, 1), S(a, 2), StringComparison.Ordinal));
        env.RegisterFunction("split", [s, s], a => S(a, 0).Split(S(a, 1)).Cast<object>().ToArray());
        env.RegisterFunction("join", [typeof(object[])], a => string.Concat(L(a, 0).Select(x => x?.ToString())));
        env.RegisterFunction("join", [typeof(object[]), s], a => string.Join(S(a, 1), L(a, 0).Select(x => x?.ToString())));
        env.RegisterFunction("indexOf", [s, s], a => (long)S(a, 0).IndexOf(S(a, 1), StringComparison.Ordinal));
        env.RegisterFunction("lastIndexOf", [s, s], a => (long)S(a, 0).LastIndexOf(S(a, 1), StringComparison.Ordinal));
        env.RegisterFunction("substring", [s, typeof(long)], a => S(a, 0)[(int)N(a, 1)..]);
        env.RegisterFunction("substring", [s, typeof(long), typeof(long)], a => S(a, 0)[(int)N(a, 1)..(int)N(a, 2)]);
        env.RegisterFunction("charAt", [s, typeof(long)], a => N(a, 1) == S(a, 0).Length ? "" : S(a, 0)[(int)N(a, 1)].ToString());
    }

    private static CelQuantity Q(object?[] args, int i) => (CelQuantity)args[i]!;

    private static string S(object?[] args, int i) => (string)args[i]!;

    private static long N(object?[] args, int i) => (long)args[i]!;

    private static object?[] L(object?[] args, int i) => (object?[])args[i]!;

    [GeneratedRegex(@"^(?<sign>[-+]?)(?<part>([0-9]*(\.[0-9]*)?)(ns|us|µs|μs|ms|s|m|h))+$")]
    private static partial Regex GoDuration();

    [GeneratedRegex(@"(ns|us|µs|μs|ms|s|m|h)$")]
    private static partial Regex UnitOf();
}
