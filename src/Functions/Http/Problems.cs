using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Thoras.Functions.Http;

/// <summary>Builds RFC 9457 problem-details responses.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    public static Task WriteAsync(HttpContext context, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new ProblemDetails
            {
                Type = "about:blank",
                Status = status,
                Title = title,
                Detail = detail,
                Instance = context.Request.Path,
            },
            options: null,
            contentType: ContentType);
    }
}
