using System.Buffers.Text;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Thoras.Domain.Audit;
using Thoras.Functions.Http;
using Thoras.Functions.Targets;

namespace Thoras.Functions.Audit;

/// <summary>
/// Reads the query string of <c>GET /api/audit</c> into an <see cref="AuditQuery"/>, refusing with a 400 problem
/// anything it does not know, repeats, or cannot read — before the log is read.
/// </summary>
public static partial class AuditRequest
{
    /// <summary>How many records a page holds without <c>?limit=</c>.</summary>
    public const int DefaultLimit = 100;

    /// <summary>The most records one page may ask for.</summary>
    public const int MaxLimit = 1000;

    private const int MaxFilterLength = 256;

    private static readonly string[] Known = ["limit", "continue", "target", "uid", "actor", "action", "since", "until", "code"];

    /// <summary>The query the request asks for.</summary>
    public static AuditQuery Parse(IQueryCollection query)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach (var (name, values) in query)
        {
            if (!Known.Contains(name, StringComparer.Ordinal))
                throw Invalid("Unknown query parameter", $"'{name}' is not a parameter of this route; use {string.Join(", ", Known[..^1])}.");
            if (values.Count > 1)
                throw Invalid("Repeated query parameter", $"'{name}' is given {values.Count} times; give it once.");
        }

        var since = Time(query, "since");
        var until = Time(query, "until");
        if (since is not null && until is not null && since > until)
            throw Invalid("Invalid time range", $"since ({since:O}) is later than until ({until:O}).");

        return new AuditQuery
        {
            Limit = Limit(Single(query, "limit")),
            After = Single(query, "continue") is { } token ? Position(token) : null,
            Subject = Single(query, "target") is { } target ? Target(target) : null,
            TargetUid = Filter(query, "uid", UidPattern(), "a Kubernetes UID: letters, digits and '-', at most 128"),
            Actor = Filter(query, "actor", TextPattern(), $"1-{MaxFilterLength} printable characters"),
            Action = Filter(query, "action", ActionPattern(), "a lower-case action name such as pause, resume, mode-change, unenroll or apply-vertical"),
            Since = since,
            Until = until,
        };
    }

    /// <summary>The opaque token that resumes after <paramref name="last"/>.</summary>
    public static string Token(AuditRecord last)
    {
        ArgumentNullException.ThrowIfNull(last);
        return Base64Url.EncodeToString(Encoding.UTF8.GetBytes(last.Id));
    }

    /// <summary>The position a token names. Its form is the table's to check; here only that it decodes.</summary>
    private static string Position(string token)
    {
        if (token.Length is 0 or > 512 || !Base64Url.IsValid(token))
            throw InvalidToken();
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException)
        {
            throw InvalidToken();
        }
    }

    /// <summary>The 400 problem for a continue token that does not name a place in the log.</summary>
    public static ProblemException InvalidToken() =>
        Invalid("Invalid continue token", "The continue token is not one this route returned; start again without it.");

    private static string? Single(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var values) ? values.ToString() : null;

    private static int Limit(string? text)
    {
        if (text is null)
            return DefaultLimit;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var limit) || limit is < 1 or > MaxLimit)
            throw Invalid("Invalid limit", $"limit must be a whole number from 1 to {MaxLimit}; got '{text}'.");
        return limit;
    }

    private static string Target(string text)
    {
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0)
            throw Invalid("Invalid target", $"target must be namespace/name; got '{text}'.");
        return TargetRoute.Key(text[..slash], text[(slash + 1)..]).ToString();
    }

    private static string? Filter(IQueryCollection query, string name, Regex pattern, string expected)
    {
        var text = Single(query, name);
        if (text is null)
            return null;
        if (text.Length > MaxFilterLength || !pattern.IsMatch(text))
            throw Invalid($"Invalid {name}", $"{name} must be {expected}; got '{text}'.");
        return text;
    }

    private static DateTimeOffset? Time(IQueryCollection query, string name)
    {
        var text = Single(query, name);
        if (text is null)
            return null;
        if (!TimePattern().IsMatch(text) || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var at))
            throw Invalid($"Invalid {name}", $"{name} must be an RFC 3339 time with an offset, such as 2026-03-15T12:00:00Z; got '{text}'.");
        return at.ToUniversalTime();
    }

    private static ProblemException Invalid(string title, string detail) => new(StatusCodes.Status400BadRequest, title, detail);

    // Anchored with \A and \z (a "$" would let a final newline through) and ASCII digits only (\d matches any script's).
    [GeneratedRegex(@"\A[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,7})?)?(Z|[+-][0-9]{2}:[0-9]{2})\z", RegexOptions.IgnoreCase)]
    private static partial Regex TimePattern();

    [GeneratedRegex(@"\A[A-Za-z0-9-]{1,128}\z")]
    private static partial Regex UidPattern();

    [GeneratedRegex(@"\A[a-z][a-z0-9-]{0,63}\z")]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"\A[^\p{C}]+\z")]
    private static partial Regex TextPattern();
}
