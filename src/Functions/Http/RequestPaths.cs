using System.Text;
using Microsoft.AspNetCore.Http;

namespace Thoras.Functions.Http;

/// <summary>
/// Request paths as the app may show them in logs and problem details: the admission webhook's secret segment is
/// replaced with <c>***</c>, and control characters (a <c>%00</c> or <c>%0A</c> in the path) are shown escaped, so
/// a path can neither leak the secret nor forge a log line.
/// </summary>
public static class RequestPaths
{
    /// <summary>The route prefix under which the webhook's secret segment follows.</summary>
    public const string AdmissionPrefix = "/api/admission/pods/";

    /// <summary>The redacted form of <paramref name="path"/>.</summary>
    public static string Redact(PathString path)
    {
        var value = path.Value ?? string.Empty;
        if (value.StartsWith(AdmissionPrefix, StringComparison.OrdinalIgnoreCase))
        {
            var rest = value[AdmissionPrefix.Length..];
            var slash = rest.IndexOf('/', StringComparison.Ordinal);
            value = AdmissionPrefix + "***" + (slash < 0 ? string.Empty : rest[slash..]);
        }

        if (!value.Any(char.IsControl))
            return value;
        var escaped = new StringBuilder(value.Length + 8);
        foreach (var c in value)
        {
            if (char.IsControl(c))
                escaped.Append('%').Append(((int)c).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            else
                escaped.Append(c);
        }

        return escaped.ToString();
    }
}
