using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Faults;

/// <summary>
/// Fault injection for tests: the next N requests matching a method and path pattern fail with a status code, or hang.
/// Patterns are paths with <c>*</c> wildcards, e.g. <c>/apis/apps/v1/namespaces/*/deployments/*</c>; method <c>*</c> matches any.
/// </summary>
public sealed class SandboxFaults
{
    private readonly object gate = new();
    private readonly List<Rule> rules = [];

    private sealed class Rule(string method, Regex path, int remaining, int statusCode, TimeSpan? hang)
    {
        public string Method { get; } = method;

        public Regex Path { get; } = path;

        public int Remaining { get; set; } = remaining;

        public int StatusCode { get; } = statusCode;

        public TimeSpan? Hang { get; } = hang;
    }

    /// <summary>Makes the next <paramref name="count"/> matching requests fail with <paramref name="statusCode"/> and a Status body.</summary>
    public void FailNext(string method, string pathPattern, int count = 1, int statusCode = 500) =>
        Add(new Rule(method, Compile(pathPattern), count, statusCode, null));

    /// <summary>Makes the next <paramref name="count"/> matching requests hang for <paramref name="duration"/>
    /// (default: until the client gives up) before answering 504.</summary>
    public void HangNext(string method, string pathPattern, int count = 1, TimeSpan? duration = null) =>
        Add(new Rule(method, Compile(pathPattern), count, 504, duration ?? TimeSpan.FromMinutes(5)));

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (gate)
            rules.Clear();
    }

    internal async Task<bool> InterceptAsync(HttpContext context)
    {
        Rule? hit;
        lock (gate)
        {
            hit = rules.FirstOrDefault(r =>
                (r.Method == "*" || string.Equals(r.Method, context.Request.Method, StringComparison.OrdinalIgnoreCase))
                && r.Path.IsMatch(context.Request.Path.Value ?? "/"));
            if (hit is null)
                return false;
            if (--hit.Remaining <= 0)
                rules.Remove(hit);
        }

        if (hit.Hang is { } hang)
        {
            try
            {
                await Task.Delay(hang, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return true;
            }
        }

        var error = new ApiError(hit.StatusCode, ReasonFor(hit.StatusCode), $"injected fault: {hit.StatusCode}");
        context.Response.StatusCode = hit.StatusCode;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(error.ToStatus().ToJsonString(), context.RequestAborted);
        return true;
    }

    private void Add(Rule rule)
    {
        if (rule.Remaining <= 0)
            throw new ArgumentOutOfRangeException(nameof(rule), "count must be positive");
        lock (gate)
            rules.Add(rule);
    }

    private static Regex Compile(string pattern) =>
        new("^" + Regex.Escape(pattern.TrimEnd('/')).Replace("\\*", ".*", StringComparison.Ordinal) + "/?$", RegexOptions.CultureInvariant);

    private static string ReasonFor(int code) => code switch
    {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        429 => "TooManyRequests",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "InternalError",
    };
}
