using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace Thoras.Domain.Pause;

/// <summary>Reads a window duration written like Kubernetes durations (<c>90m</c>, <c>2h</c>, <c>1h30m</c>) or ISO 8601 (<c>PT2H</c>).</summary>
public static partial class WindowDuration
{
    private const int MaxLength = 32;

    /// <summary>Parses <paramref name="text"/>; returns false when it is neither form.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = default;
        // ASCII letters and digits only: '\d' and the ISO 8601 reader would take other scripts' digits (and spaces).
        if (string.IsNullOrEmpty(text) || text.Length > MaxLength || !text.All(char.IsAsciiLetterOrDigit))
        {
            return false;
        }

        var match = GoStyle().Match(text);
        if (match.Success && match.Length > 0)
        {
            duration = new TimeSpan(Part(match, "d"), Part(match, "h"), Part(match, "m"), Part(match, "s"));
            return true;
        }

        if (text.StartsWith('P'))
        {
            try
            {
                duration = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>Writes <paramref name="duration"/> in the short form, e.g. <c>1h30m</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        var text = string.Empty;
        if (duration.Days > 0)
        {
            text += duration.Days.ToString(CultureInfo.InvariantCulture) + "d";
        }

        if (duration.Hours > 0)
        {
            text += duration.Hours.ToString(CultureInfo.InvariantCulture) + "h";
        }

        if (duration.Minutes > 0)
        {
            text += duration.Minutes.ToString(CultureInfo.InvariantCulture) + "m";
        }

        if (duration.Seconds > 0 || text.Length == 0)
        {
            text += duration.Seconds.ToString(CultureInfo.InvariantCulture) + "s";
        }

        return text;
    }

    private static int Part(Match match, string group) =>
        match.Groups[group].Success ? int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture) : 0;

    [GeneratedRegex(@"\A(?:(?<d>[0-9]{1,3})d)?(?:(?<h>[0-9]{1,4})h)?(?:(?<m>[0-9]{1,6})m)?(?:(?<s>[0-9]{1,8})s)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex GoStyle();
}
