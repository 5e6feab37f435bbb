using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Thoras.Domain.Pause;
using Thoras.Functions.Http;

namespace Thoras.Functions.Pause;

/// <summary>
/// Who is calling. App Service authentication, when turned on, puts the signed-in principal in
/// <c>X-MS-CLIENT-PRINCIPAL-NAME</c> (the platform strips it from outside requests); otherwise the body may
/// name an actor, and the default is <c>api</c>. Names the app uses for itself are refused.
/// </summary>
public static partial class Actors
{
    /// <summary>The actor when none is given.</summary>
    public const string Default = "api";

    private const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>The caller's actor name.</summary>
    public static string Of(HttpRequest request, string? declared)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Headers.TryGetValue(PrincipalHeader, out var principal) && !string.IsNullOrWhiteSpace(principal))
        {
            return principal.ToString();
        }

        if (declared is null)
        {
            return Default;
        }

        if (!Pattern().IsMatch(declared) || declared is PauseHolder.ConfigMap or PauseHolder.AppSetting or "system")
        {
            throw new ProblemException(
                StatusCodes.Status400BadRequest,
                "Invalid actor",
                "Field 'actor' must be 1-64 letters, digits, '@', '.', '_' or '-', starting with a letter or digit, and not a name the app uses itself (configmap, app-setting, system).");
        }

        return declared;
    }

    /// <summary>Checks a free-text reason: optional or required, at most 500 characters.</summary>
    public static string? Reason(string? reason, bool required)
    {
        if (required && string.IsNullOrWhiteSpace(reason))
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid reason", "Field 'reason' is required and must not be blank.");
        }

        if (reason is { Length: > MaintenanceWindow.MaxReasonLength })
        {
            throw new ProblemException(StatusCodes.Status400BadRequest, "Invalid reason", $"Field 'reason' must be at most {MaintenanceWindow.MaxReasonLength} characters.");
        }

        return string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9@._-]{0,63}$")]
    private static partial Regex Pattern();
}
