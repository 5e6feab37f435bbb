using Microsoft.AspNetCore.Http;

namespace Thoras.Functions.Http;

/// <summary>
/// Lets one function serve a route for every method and answer a method it does not support with a 405 problem
/// and an <c>Allow</c> header, instead of the host's bare 404: bind the trigger to
/// <c>"get", "post", "put", "patch", "delete", "head", "options"</c> and call <see cref="Require"/> first.
/// </summary>
public static class RequestMethods
{
    /// <summary>Throws a 405 problem unless the request's method is one of <paramref name="allowed"/>.</summary>
    public static void Require(HttpRequest request, params string[] allowed)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(allowed);
        if (allowed.Any(m => string.Equals(m, request.Method, StringComparison.OrdinalIgnoreCase)))
        {
            return;
        }

        var allow = string.Join(", ", allowed.Select(m => m.ToUpperInvariant()));
        request.HttpContext.Response.Headers.Allow = allow;
        throw new ProblemException(StatusCodes.Status405MethodNotAllowed, "Method not allowed", $"{request.Method} is not allowed on {RequestPaths.Redact(request.Path)}; use {allow}.");
    }
}
