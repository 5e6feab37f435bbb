using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Faults;

/// <summary>
/// Fault injection for tests: the next N requests matching a method and path pattern fail with a status code, hang, or
/// are carried out and then answered with a failure (as if the server crashed right after the write). Patterns are
/// paths with <c>*</c> wildcards, e.g. <c>/apis/apps/v1/namespaces/*/deployments/*</c>; method <c>*</c> matches any.
/// A 429 or 503 carries <c>Retry-After: 1</c>, as the API server's throttling does. <see cref="StartRecording"/> lists
/// the requests served, so a test can fault each step of an operation in turn.
/// </summary>
public sealed class SandboxFaults
{
    private readonly object gate = new();
    private readonly List<Rule> rules = [];
    private List<(string Method, string Path)>? recording;

    private sealed class Rule(string method, Regex path, int remaining, int statusCode, TimeSpan? hang, TimeSpan? retryAfter = null, bool afterCommit = false)
    {
        public bool AfterCommit { get; } = afterCommit;

        public string Method { get; } = method;

        public Regex Path { get; } = path;

        public int Remaining { get; set; } = remaining;

        public int StatusCode { get; } = statusCode;

        public TimeSpan? Hang { get; } = hang;

        public TimeSpan? RetryAfter { get; } = retryAfter;
    }

    /// <summary>Makes the next <paramref name="count"/> matching requests fail with <paramref name="statusCode"/> and a Status body.</summary>
    public void FailNext(string method, string pathPattern, int count = 1, int statusCode = 500) =>
        Add(new Rule(method, Compile(pathPattern), count, statusCode, null));

    /// <summary>
    /// Throttles the next <paramref name="count"/> matching requests as API Priority and Fairness does: <c>429 Too Many
    /// Requests</c> with <c>Retry-After</c> in whole seconds.
    /// </summary>
    public void ThrottleNext(string method, string pathPattern, TimeSpan retryAfter, int count = 1) =>
        Add(new Rule(method, Compile(pathPattern), count, 429, null, retryAfter));

    /// <summary>Makes the next <paramref name="count"/> matching requests hang for <paramref name="duration"/>
    /// (default: until the client gives up) before answering 504.</summary>
    public void HangNext(string method, string pathPattern, int count = 1, TimeSpan? duration = null) =>
        Add(new Rule(method, Compile(pathPattern), count, 504, duration ?? TimeSpan.FromMinutes(5)));

    /// <summary>
    /// Makes the next <paramref name="count"/> matching requests take effect and then fail with
    /// <paramref name="statusCode"/>: the client cannot tell the write happened.
    /// </summary>
    public void FailNextAfterCommit(string method, string pathPattern, int count = 1, int statusCode = 500) =>
        Add(new Rule(method, Compile(pathPattern), count, statusCode, null, afterCommit: true));

    /// <summary>Starts listing every request served (method and path), replacing an earlier list.</summary>
    public void StartRecording()
    {
        lock (gate)
            recording = [];
    }

    /// <summary>Stops listing and returns the requests served since <see cref="StartRecording"/>, in order.</summary>
    public IReadOnlyList<(string Method, string Path)> StopRecording()
    {
        lock (gate)
        {
            var seen = recording ?? [];
            recording = null;
            return seen;
        }
    }

    /// <summary>Removes every pending fault.</summary>
    public void Clear()
    {
        lock (gate)
            rules.Clear();
    }

    internal Task<bool> InterceptAsync(HttpContext context)
    {
        lock (gate)
            recording?.Add((context.Request.Method, context.Request.Path.Value ?? "/"));
        return InterceptAsync(context, afterCommit: false);
    }

    /// <summary>After a request was carried out: answers it with a fault instead, when an after-commit rule matches.</summary>
    internal Task<bool> InterceptAfterCommitAsync(HttpContext context) => InterceptAsync(context, afterCommit: true);

    private async Task<bool> InterceptAsync(HttpContext context, bool afterCommit)
    {
        Rule? hit;
        lock (gate)
        {
            hit = rules.FirstOrDefault(r =>
                r.AfterCommit == afterCommit
                && (r.Method == "*" || string.Equals(r.Method, context.Request.Method, StringComparison.OrdinalIgnoreCase))
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
        if (hit.RetryAfter is { } retryAfter)
            context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        else if (hit.StatusCode is 429 or 503)
            context.Response.Headers.RetryAfter = "1";
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
