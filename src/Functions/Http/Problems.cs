using System.Globalization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace Thoras.Functions.Http;

/// <summary>Writes RFC 9457 problem-details responses.</summary>
public static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <summary>
    /// Answers with <paramref name="problem"/>: its status, <c>Retry-After</c> when it has one, and the request's path
    /// as <c>instance</c> with secrets redacted (<see cref="RequestPaths.Redact"/>).
    /// </summary>
    public static Task WriteAsync(HttpContext context, Problem problem)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(problem);
        context.Response.StatusCode = problem.Status;
        if (problem.RetryAfter is { } wait)
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        return context.Response.WriteAsJsonAsync(
            new ProblemDetails
            {
                Type = "about:blank",
                Status = problem.Status,
                Title = problem.Title,
                Detail = problem.Detail,
                Instance = RequestPaths.Redact(context.Request.Path),
            },
            options: null,
            contentType: ContentType);
    }

    /// <summary>Answers with a problem of <paramref name="status"/>.</summary>
    public static Task WriteAsync(HttpContext context, int status, string title, string detail) =>
        WriteAsync(context, new Problem(status, title, detail));
}
