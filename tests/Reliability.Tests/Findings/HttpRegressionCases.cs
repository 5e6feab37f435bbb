using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Thoras.Reliability.Tests.Findings;

/// <summary>What a regression case's answer must be.</summary>
public enum Expect
{
    /// <summary>A 4xx problem (RFC 9457), and the state seen over HTTP unchanged.</summary>
    Refused,

    /// <summary>A 4xx problem (RFC 9457).</summary>
    Problem,

    /// <summary>A 400, empty or a problem (Kestrel refuses a NUL in the path before any app code runs).</summary>
    NulRefused,

    /// <summary>200 with an AdmissionReview response for uid <c>u1</c>: allowed, no patch (fail open).</summary>
    WebhookAllowed,

    /// <summary>A 400 problem: a body that is no review.</summary>
    WebhookBadRequest,

    /// <summary>413: the body is refused unread.</summary>
    TooLarge,

    /// <summary>A 4xx problem that does not contain the webhook secret anywhere.</summary>
    NoSecretEcho,

    /// <summary>The webhook is not reached through a path made from the function key (anything but a 200 review).</summary>
    DerivedSecretRefused,

    /// <summary>The principal header's name is not recorded as the actor (pause answered; resumed after).</summary>
    PrincipalIgnored,
}

/// <summary>
/// One regression case of the reliability review's findings, as data: the request (path and body with placeholders:
/// <c>{ns}</c>/<c>{target}</c> an enrolled target, <c>{vns}</c>/<c>{victim}</c> another one, <c>{secret}</c> the webhook
/// secret, <c>{derived}</c> the function key with <c>-</c> and <c>_</c> removed) and what its answer must be.
/// </summary>
public sealed record HttpRegressionCase(string Finding, string Name, string Method, string Path, string? Body, Expect Expect, string? Header = null)
{
    public override string ToString() => $"{Finding}: {Name}";
}

/// <summary>The cases, and how one is sent and judged against any running app (in-process or a base URL).</summary>
public static class HttpRegressionCases
{
    private const string Mode = """{"direction":"vertical","mode":"recommendation"}""";
    private const string Window = """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r"}""";

    public static IReadOnlyList<HttpRegressionCase> All { get; } =
    [
        new("trailing newline in names", "PUT mode of web%0A", "PUT", "/api/targets/{ns}/{target}%0A/mode", Mode, Expect.Refused),
        new("trailing newline in names", "window id w1\\n", "POST", "/api/system/windows", """{"id":"w1\n","cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r"}""", Expect.Refused),
        new("trailing newline in names", "actor alice\\n", "POST", "/api/system/windows", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r","actor":"alice\n"}""", Expect.Refused),
        new("enums trimmed or case-folded", "mode 'recommendation '", "PUT", "/api/targets/{ns}/{target}/mode", """{"direction":"vertical","mode":"recommendation "}""", Expect.Refused),
        new("enums trimmed or case-folded", "mode RECOMMENDATION", "PUT", "/api/targets/{ns}/{target}/mode", """{"direction":"vertical","mode":"RECOMMENDATION"}""", Expect.Refused),
        new("enums trimmed or case-folded", "direction Vertical", "PUT", "/api/targets/{ns}/{target}/mode", """{"direction":"Vertical","mode":"recommendation"}""", Expect.Refused),
        new("time zone Europe", "timeZone Europe", "POST", "/api/system/windows", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"Europe","reason":"r"}""", Expect.Refused),
        new("non-ASCII digit", "duration \u0662h", "POST", "/api/system/windows", """{"cron":"0 2 * * 6","duration":"\u0662h","timeZone":"UTC","reason":"r"}""", Expect.Refused),
        new("cron that never fires", "cron 0 0 30 2 *", "POST", "/api/system/windows", """{"cron":"0 0 30 2 *","duration":"2h","timeZone":"UTC","reason":"r"}""", Expect.Refused),
        new("control characters", "reason with ESC", "POST", "/api/system/windows", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r\u001b[2J"}""", Expect.Refused),
        new("problem details for every error", "HEAD pause", "HEAD", "/api/system/pause", null, Expect.Problem),
        new("problem details for every error", "OPTIONS targets", "OPTIONS", "/api/targets", null, Expect.Problem),
        new("problem details for every error", "unknown route", "GET", "/api/no-such-route", null, Expect.Problem),
        new("problem details for every error", "root", "GET", "/", null, Expect.Problem),
        new("problem details for every error", "PROPFIND pause", "PROPFIND", "/api/system/pause", null, Expect.Problem),
        new("problem details for every error", "%00 in the path", "GET", "/api/system/pause%00", null, Expect.NulRefused),
        new("webhook malformed review", "object not a pod", "POST", "/api/admission/pods/{secret}", """{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":"demo","object":"not a pod"}}""", Expect.WebhookAllowed),
        new("webhook malformed review", "cpu 'lots'", "POST", "/api/admission/pods/{secret}", """{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":"demo","object":{"spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":"lots"}}}]}}}}""", Expect.WebhookAllowed),
        new("webhook malformed review", "namespace a number", "POST", "/api/admission/pods/{secret}", """{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":7,"object":{}}}""", Expect.WebhookAllowed),
        new("webhook malformed review", "label a number", "POST", "/api/admission/pods/{secret}", """{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":"demo","object":{"metadata":{"labels":{"app":3}},"spec":{"containers":[]}}}}""", Expect.WebhookAllowed),
        new("webhook malformed review", "body not json", "POST", "/api/admission/pods/{secret}", "not json", Expect.WebhookBadRequest),
        new("webhook malformed review", "uid a number", "POST", "/api/admission/pods/{secret}", """{"request":{"uid":42}}""", Expect.WebhookBadRequest),
        new("webhook 10 MB body", "10 MB review", "POST", "/api/admission/pods/{secret}", "{\"request\":{\"uid\":\"u1\",\"pad\":\"" + new string('x', 10 * 1024 * 1024) + "\"}}", Expect.TooLarge),
        new("secret in instance", "GET the webhook path", "GET", "/api/admission/pods/{secret}", null, Expect.NoSecretEcho),
        new("secret derived from the function key", "review on the key-derived path", "POST", "/api/admission/pods/{derived}", """{"request":{"uid":"u2","operation":"DELETE","kind":{"kind":"Pod"}}}""", Expect.DerivedSecretRefused),
        new("principal header trusted", "X-MS-CLIENT-PRINCIPAL-NAME configmap", "POST", "/api/system/pause", """{"reason":"regression probe"}""", Expect.PrincipalIgnored, Header: "configmap"),
        new("principal header trusted", "X-MS-CLIENT-PRINCIPAL-NAME system", "POST", "/api/system/pause", """{"reason":"regression probe"}""", Expect.PrincipalIgnored, Header: "system"),

        // Last: on the code the review probed this half-unenrolled its target.
        new("trailing newline in names", "DELETE batch%0A", "DELETE", "/api/targets/{vns}/{victim}%0A", null, Expect.Refused),
    ];
}

/// <summary>A running app the cases are sent to: its client (with the function key), its targets and secrets.</summary>
public sealed record RegressionTarget(HttpClient Http, string FunctionKey, string AdmissionSecret, string Namespace, string Target, string VictimNamespace, string Victim)
{
    /// <summary>Sends <paramref name="c"/> and returns null when its answer is as expected, otherwise why not.</summary>
    public async Task<string?> CheckAsync(HttpRegressionCase c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var before = c.Expect == Expect.Refused ? await StateAsync() : null;
        using var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(Fill(c.Path), UriKind.Relative));
        if (c.Body is not null)
            request.Content = new StringContent(Fill(c.Body), Encoding.UTF8, "application/json");
        if (c.Header is not null)
            request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", c.Header);
        using var response = await Http.SendAsync(request);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync();
        var type = response.Content.Headers.ContentType?.MediaType;
        var answer = $"answered {status} {type ?? "(no type)"}: {Shorten(body)}";
        var problem = status is >= 400 and < 500 && type == "application/problem+json";
        switch (c.Expect)
        {
            case Expect.Refused:
                if (!problem)
                    return $"expected a 4xx problem, {answer}";
                var after = await StateAsync();
                return after == before ? null : $"refused, but the state changed:\n  before {before}\n  after  {after}";
            case Expect.Problem:
                return problem ? null : $"expected a 4xx problem, {answer}";
            case Expect.NulRefused:
                return status == 400 && (body.Length == 0 || type == "application/problem+json") ? null : $"expected an empty 400 or a problem, {answer}";
            case Expect.WebhookAllowed:
                return status == 200 && Review(body) is { } review && review["uid"]?.GetValue<string>() == "u1" && review["allowed"]?.GetValue<bool>() == true && review["patch"] is null
                    ? null : $"expected 200 allowed without a patch, {answer}";
            case Expect.WebhookBadRequest:
                return status == 400 && problem ? null : $"expected a 400 problem, {answer}";
            case Expect.TooLarge:
                return status == 413 ? null : $"expected 413, {answer}";
            case Expect.NoSecretEcho:
                return problem && !body.Contains(AdmissionSecret, StringComparison.Ordinal) ? null : $"expected a problem without the secret, {answer}";
            case Expect.DerivedSecretRefused:
                return status == 200 && Review(body) is not null ? $"the webhook answered on the key-derived path: {answer}" : null;
            case Expect.PrincipalIgnored:
                var claimed = Actors(JsonNode.Parse(body.Length == 0 ? "null" : body)).Contains(c.Header!);
                await ResumeAsync();
                return status != 200 ? $"expected 200, {answer}" : claimed ? $"recorded '{c.Header}' as the actor: {answer}" : null;
            default:
                throw new ArgumentOutOfRangeException(nameof(c));
        }
    }

    /// <summary>What the cases could change, as the API shows it: both targets' modes, the windows, the pause state.</summary>
    public async Task<string> StateAsync()
    {
        var parts = new List<string>();
        foreach (var (ns, name) in new[] { (Namespace, Target), (VictimNamespace, Victim) })
        {
            var target = await GetJsonAsync($"/api/targets/{ns}/{name}");
            parts.Add($"{ns}/{name}: {target?["uid"]} v={target?["verticalMode"]} h={target?["horizontalMode"]} unenrolling={target?["unenrolling"]}");
        }

        var windows = await GetJsonAsync("/api/system/windows");
        parts.Add("windows: " + string.Join(",", (windows?["windows"] as JsonArray ?? []).Select(w => w?["id"]?.ToString()).Order(StringComparer.Ordinal)));
        var pause = await GetJsonAsync("/api/system/pause");
        parts.Add($"paused={pause?["paused"]}");
        return string.Join("; ", parts);
    }

    private async Task ResumeAsync()
    {
        using var resumed = await Http.PostAsync(new Uri("/api/system/resume", UriKind.Relative), new StringContent("""{"force":true,"reason":"regression probe done"}""", Encoding.UTF8, "application/json"));
    }

    private async Task<JsonNode?> GetJsonAsync(string path)
    {
        using var response = await Http.GetAsync(new Uri(path, UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
            return new JsonObject { ["status"] = (int)response.StatusCode };
        return JsonNode.Parse(text);
    }

    private string Fill(string text) => text
        .Replace("{ns}", Namespace, StringComparison.Ordinal)
        .Replace("{target}", Target, StringComparison.Ordinal)
        .Replace("{vns}", VictimNamespace, StringComparison.Ordinal)
        .Replace("{victim}", Victim, StringComparison.Ordinal)
        .Replace("{secret}", AdmissionSecret, StringComparison.Ordinal)
        .Replace("{derived}", FunctionKey.Replace("-", string.Empty, StringComparison.Ordinal).Replace("_", string.Empty, StringComparison.Ordinal), StringComparison.Ordinal);

    private static JsonObject? Review(string body)
    {
        try
        {
            return JsonNode.Parse(body)?["response"] as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Every value of a property named <c>actor</c> (any case) anywhere in <paramref name="node"/>.</summary>
    private static List<string> Actors(JsonNode? node)
    {
        var found = new List<string>();
        void Walk(JsonNode? n)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (name, value) in o)
                    {
                        if (name.Equals("actor", StringComparison.OrdinalIgnoreCase) && value is JsonValue v && v.TryGetValue<string>(out var s))
                            found.Add(s);
                        Walk(value);
                    }

                    break;
                case JsonArray a:
                    foreach (var item in a)
                        Walk(item);
                    break;
            }
        }

        Walk(node);
        return found;
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}
