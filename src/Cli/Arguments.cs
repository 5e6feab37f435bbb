using System.Globalization;

namespace Thoras.Cli;

/// <summary>Parsed <c>--name value</c> options and positional arguments of one command.</summary>
public sealed class Arguments
{
    private readonly Dictionary<string, string> options = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> repeated = new(StringComparer.Ordinal);
    private readonly HashSet<string> used = new(StringComparer.Ordinal);

    private Arguments(IReadOnlyList<string> positional) => Positional = positional;

    /// <summary>Arguments that are not options, in order.</summary>
    public IReadOnlyList<string> Positional { get; }

    /// <summary>Parses <paramref name="args"/>; every option in <paramref name="flags"/> takes no value.</summary>
    public static Arguments Parse(IReadOnlyList<string> args, IReadOnlySet<string> flags)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(flags);
        var positional = new List<string>();
        var parsed = new Arguments(positional);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!arg.StartsWith("--", StringComparison.Ordinal))
            {
                positional.Add(arg);
            }
            else if (flags.Contains(arg))
            {
                parsed.options[arg] = "true";
            }
            else if (i + 1 < args.Count)
            {
                parsed.options[arg] = args[++i];
                if (!parsed.repeated.TryGetValue(arg, out var values))
                {
                    parsed.repeated[arg] = values = [];
                }

                values.Add(args[i]);
            }
            else
            {
                throw new CommandLineException($"Option {arg} needs a value.");
            }
        }

        return parsed;
    }

    /// <summary>True when the flag was given.</summary>
    public bool Flag(string name) => String(name) is not null;

    /// <summary>The option's value, or null.</summary>
    public string? String(string name)
    {
        used.Add(name);
        return options.TryGetValue(name, out var value) ? value : null;
    }

    /// <summary>Every value the option was given, in order (for an option that may be repeated).</summary>
    public IReadOnlyList<string> All(string name)
    {
        used.Add(name);
        return repeated.TryGetValue(name, out var values) ? values : [];
    }

    /// <summary>The option as a number, or <paramref name="fallback"/>.</summary>
    public double Number(string name, double fallback) => String(name) is { } text
        ? double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && double.IsFinite(value)
            ? value
            : throw new CommandLineException($"Option {name}: '{text}' is not a number.")
        : fallback;

    /// <summary>The option as a duration (<c>30s</c>, <c>5m</c>, <c>6h</c>, <c>14d</c>), or <paramref name="fallback"/>.</summary>
    public TimeSpan Duration(string name, TimeSpan fallback) => String(name) is { } text ? ParseDuration(name, text) : fallback;

    /// <summary>Throws for any option the command did not ask for (a typo must not be silently ignored).</summary>
    public void RejectUnknown()
    {
        var unknown = options.Keys.Where(k => !used.Contains(k)).ToArray();
        if (unknown.Length > 0)
        {
            throw new CommandLineException($"Unknown option {string.Join(", ", unknown)}.");
        }
    }

    /// <summary>Parses <c>&lt;number&gt;&lt;s|m|h|d&gt;</c>.</summary>
    public static TimeSpan ParseDuration(string name, string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(amount);
                case 'm': return TimeSpan.FromMinutes(amount);
                case 'h': return TimeSpan.FromHours(amount);
                case 'd': return TimeSpan.FromDays(amount);
            }
        }

        throw new CommandLineException($"Option {name}: '{text}' is not a duration like 30s, 5m, 6h or 14d.");
    }
}
