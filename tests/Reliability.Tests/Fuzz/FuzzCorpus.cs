namespace Thoras.Reliability.Tests.Fuzz;

/// <summary>One malformed request: what it is, and how to send it.</summary>
/// <param name="Name">What is wrong with it.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Path">The path and query, already escaped.</param>
/// <param name="Body">The body, or null.</param>
/// <param name="ContentType">The body's content type (default application/json).</param>
/// <param name="Key">Whether the function key is sent.</param>
public sealed record FuzzCase(string Name, string Method, string Path, string? Body = null, string ContentType = "application/json", bool Key = true);

/// <summary>
/// The HTTP fuzz corpus: requests every route must refuse with a 4xx problem and no state change, generated from the
/// ways a request goes wrong (auth, method, path parameters, body syntax, body fields, field values, query) over
/// every route, plus the reliability review's findings. The namespace and name given are a real target,
/// so a bad body meets a target it could have changed.
/// </summary>
public static class FuzzCorpus
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

    private static readonly string[] BadLabels =
        ["web%0A", "web%00", "WEB", "-web", "web-", "we%20b", "w%C3%A9b", "web%2Fx", new string('a', 64), "web%0D%0A", "%E2%80%8Bweb", "web.", ".web", "web..x"];

    private static readonly string[] BadIds = ["race%0A", "UPPER", "-lead", new string('a', 41), "w%00", "w%20x", "w_x", "%F0%9F%98%80"];

    private static readonly string[] BrokenJson =
        ["{", "not json", "{\"reason\":\"x\",}", "{/*c*/\"reason\":\"x\"}", "[]", "null", "\"text\"", "42", "{\"reason\":\"x\"}{}", "{\"reason\":\"x\"", "\u0000", "{'reason':'x'}"];

    public static IReadOnlyList<FuzzCase> Generate(string ns, string name, string admissionSecret)
    {
        var target = $"/api/targets/{ns}/{name}";
        var cases = new List<FuzzCase>();

        // Auth: no key and a wrong key, on every keyed route.
        var keyed = new (string Method, string Path, string? Body)[]
        {
            ("GET", "/api/system/pause", null), ("POST", "/api/system/pause", "{\"reason\":\"x\"}"), ("POST", "/api/system/resume", null),
            ("GET", "/api/system/windows", null), ("POST", "/api/system/windows", Window()), ("DELETE", "/api/system/windows/w1", null),
            ("GET", "/api/targets", null), ("GET", target, null), ("DELETE", target, null),
            ("PUT", target + "/mode", "{\"direction\":\"vertical\",\"mode\":\"recommendation\"}"), ("GET", target + "/suggestions", null),
            ("GET", target + "/usage", null), ("GET", "/api/fleet", null), ("GET", $"/api/fleet/{ns}/{name}", null), ("GET", "/api/audit", null),
        };
        foreach (var (method, path, body) in keyed)
        {
            cases.Add(new FuzzCase($"no key: {method} {path}", method, path, body, Key: false));
            cases.Add(new FuzzCase($"wrong key: {method} {path}", method, path + (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + "code=wrong", body, Key: false));
        }

        // Methods a route does not serve (HEAD and OPTIONS included).
        var routes = new (string Path, string[] Allowed)[]
        {
            ("/api/system/pause", ["GET", "POST"]), ("/api/system/resume", ["POST"]), ("/api/system/windows", ["GET", "POST"]),
            ("/api/system/windows/w1", ["DELETE"]), ("/api/targets", ["GET"]), (target, ["GET", "DELETE"]), (target + "/mode", ["PUT"]),
            (target + "/suggestions", ["GET"]), ("/api/health", ["GET"]), ($"/api/admission/pods/{admissionSecret}", ["POST"]),
            (target + "/usage", ["GET"]), ("/api/fleet", ["GET"]), ($"/api/fleet/{ns}/{name}", ["GET"]), ("/api/audit", ["GET"]), ("/api/dashboard/", ["GET", "HEAD"]),
        };
        foreach (var (path, allowed) in routes)
        {
            foreach (var method in Methods.Except(allowed))
                cases.Add(new FuzzCase($"method {method} on {path}", method, path, method is "POST" or "PUT" or "PATCH" ? "{}" : null));
        }

        // Unknown routes and paths no route can match.
        foreach (var path in new[] { "/api/nope", "/api/system", "/api/system/pause/extra", "/api/targets/a/b/c/d", "/api/system/pause%00", "/", "/admin", "/api/../etc/passwd", "/api/%ZZ" })
            cases.Add(new FuzzCase($"unknown route {path}", "GET", path));

        // Path parameters Kubernetes could never name, on every route that takes them.
        foreach (var bad in BadLabels)
        {
            cases.Add(new FuzzCase($"bad namespace {bad}: GET", "GET", $"/api/targets/{bad}/{name}"));
            cases.Add(new FuzzCase($"bad name {bad}: GET", "GET", $"/api/targets/{ns}/{bad}"));
            cases.Add(new FuzzCase($"bad name {bad}: DELETE", "DELETE", $"/api/targets/{ns}/{bad}"));
            cases.Add(new FuzzCase($"bad name {bad}: PUT mode", "PUT", $"/api/targets/{ns}/{bad}/mode", "{\"direction\":\"vertical\",\"mode\":\"recommendation\"}"));
            cases.Add(new FuzzCase($"bad name {bad}: suggestions", "GET", $"/api/targets/{ns}/{bad}/suggestions"));
            cases.Add(new FuzzCase($"bad name {bad}: usage", "GET", $"/api/targets/{ns}/{bad}/usage"));
            cases.Add(new FuzzCase($"bad namespace {bad}: fleet", "GET", $"/api/fleet/{bad}/{name}"));
            cases.Add(new FuzzCase($"bad name {bad}: fleet", "GET", $"/api/fleet/{ns}/{bad}"));
        }

        cases.Add(new FuzzCase("name over 253 characters", "GET", $"/api/targets/{ns}/{string.Join('.', Enumerable.Repeat(new string('a', 60), 5))}"));
        foreach (var bad in BadIds)
            cases.Add(new FuzzCase($"bad window id {bad}", "DELETE", $"/api/system/windows/{bad}"));

        // Bodies that are not a JSON object, on every route that reads one.
        var bodied = new (string Method, string Path)[] { ("POST", "/api/system/pause"), ("POST", "/api/system/resume"), ("POST", "/api/system/windows"), ("PUT", target + "/mode"), ("DELETE", target) };
        foreach (var (method, path) in bodied)
        {
            foreach (var body in BrokenJson)
                cases.Add(new FuzzCase($"broken JSON {Show(body)}: {method} {path}", method, path, body));
            cases.Add(new FuzzCase($"text/plain body: {method} {path}", method, path, "{\"reason\":\"x\"}", "text/plain"));
            cases.Add(new FuzzCase($"XML body: {method} {path}", method, path, "<reason>x</reason>", "application/xml"));
            cases.Add(new FuzzCase($"body over 16 KiB: {method} {path}", method, path, "{\"reason\":\"" + new string('x', 17 * 1024) + "\"}"));
            cases.Add(new FuzzCase($"unknown field: {method} {path}", method, path, "{\"reason\":\"x\",\"bogus\":1}"));
            cases.Add(new FuzzCase($"actor reserved: {method} {path}", method, path, Merge(method, path, "\"actor\":\"configmap\"")));
            cases.Add(new FuzzCase($"actor with newline: {method} {path}", method, path, Merge(method, path, "\"actor\":\"alice\\n\"")));
            cases.Add(new FuzzCase($"actor too long: {method} {path}", method, path, Merge(method, path, $"\"actor\":\"{new string('a', 65)}\"")));
            cases.Add(new FuzzCase($"actor a number: {method} {path}", method, path, Merge(method, path, "\"actor\":7")));
            cases.Add(new FuzzCase($"reason with escape: {method} {path}", method, path, Merge(method, path, "\"reason\":\"x\\u001b[31m\"", replacesReason: true)));
            cases.Add(new FuzzCase($"reason too long: {method} {path}", method, path, Merge(method, path, $"\"reason\":\"{new string('x', 501)}\"", replacesReason: true)));
        }

        // The pause and resume bodies.
        foreach (var body in new[] { "{}", "{\"reason\":\"\"}", "{\"reason\":\"   \"}", "{\"reason\":null}", "{\"reason\":5}", "{\"reason\":\"x\",\"reason\":\"y\"}", "{\"Reason\":\"x\"}", "{\"reason\":[\"x\"]}" })
            cases.Add(new FuzzCase($"pause body {body}", "POST", "/api/system/pause", body));
        foreach (var body in new[] { "{\"force\":\"yes\"}", "{\"force\":1}", "{\"force\":null}", "{\"Force\":true}", "{\"force\":true,\"force\":false}" })
            cases.Add(new FuzzCase($"resume body {body}", "POST", "/api/system/resume", body));

        // The mode body: directions and modes not spelled exactly, wrong types, missing fields.
        foreach (var (direction, mode) in new[]
                 {
                     ("vertical", "recommendation "), ("vertical", "RECOMMENDATION"), ("Vertical", "rec"), (" vertical", "rec"), ("vertical\\n", "rec"),
                     ("diagonal", "rec"), ("vertical", "manual"), ("vertical", ""), ("", "rec"), ("v\u0435rtical", "rec"), ("vertical", "Auto"), ("horizontal", "autonomous\\t"),
                 })
        {
            cases.Add(new FuzzCase($"mode {direction}/{mode}", "PUT", target + "/mode", $"{{\"direction\":\"{direction}\",\"mode\":\"{mode}\"}}"));
        }

        foreach (var body in new[] { "{\"direction\":\"vertical\"}", "{\"mode\":\"rec\"}", "{\"direction\":1,\"mode\":\"rec\"}", "{\"direction\":\"vertical\",\"mode\":null}", "{\"direction\":\"vertical\",\"mode\":[\"rec\"]}" })
            cases.Add(new FuzzCase($"mode body {body}", "PUT", target + "/mode", body));

        // The window body: every field's bad values.
        foreach (var cron in new[] { "0 0 30 2 *", "0 0 31 4 *", "* * * *", "0 0 0 0 0 0 0", "60 * * * *", "0 25 * * *", "@weekly", "0 2 * * 6\\n", "0\\t2 * * 6", "", "\u0661 2 * * 6" })
            cases.Add(new FuzzCase($"window cron '{cron}'", "POST", "/api/system/windows", Window(cron: cron)));
        foreach (var duration in new[] { "0m", "8d", "-1h", "1h ", "\u0662h", "PT", "P1Y", "2 hours", "", "1h\\n", "99999999999h", "P-1D", "\uFF12h" })
            cases.Add(new FuzzCase($"window duration '{duration}'", "POST", "/api/system/windows", Window(duration: duration)));
        foreach (var zone in new[] { "Europe", "Mars/Olympus", "../etc/passwd", "UTC\\n", "", " UTC", "America/", "/etc/localtime", new string('A', 65), "Europe/Berlin\\u0000" })
            cases.Add(new FuzzCase($"window time zone '{Show(zone)}'", "POST", "/api/system/windows", Window(zone: zone)));
        foreach (var id in new[] { "UPPER", "-lead", new string('a', 41), "w\\n", "w x", "w_x", "" })
            cases.Add(new FuzzCase($"window id '{Show(id)}'", "POST", "/api/system/windows", Window(id: id)));
        cases.Add(new FuzzCase("window enabled as text", "POST", "/api/system/windows", Window().Replace("\"reason\"", "\"enabled\":\"no\",\"reason\"", StringComparison.Ordinal)));

        // Query parameters.
        foreach (var limit in new[] { "0", "-1", "1001", "abc", "%D9%A1", "1e3", "1.5", "%20 5", "99999999999" })
            cases.Add(new FuzzCase($"suggestions limit {limit}", "GET", $"{target}/suggestions?limit={limit}"));
        foreach (var (parameter, value) in new[]
                 {
                     ("from", "yesterday"), ("from", "2026-06-02"), ("from", "2026-06-02T12:00:00"), ("to", "2026-06-02T12:00:00Z%0A"), ("to", "0001-01-01T00:00:00Z"),
                     ("from", "0001-01-01T00:00:00Z"), ("from", "9999-12-31T23:59:59Z"), ("to", "%D9%A2%D9%A0%D9%A2%D9%A6-06-02T12:00:00Z"), ("from", "2026-13-02T12:00:00Z"),
                     ("to", "2026-06-02T12:00:00+25:00"), ("from", "2026-06-02T12:00:00Z&from=2026-06-03T12:00:00Z"), ("to", "%00"),
                 })
        {
            cases.Add(new FuzzCase($"usage {parameter}={value}", "GET", $"{target}/usage?{parameter}={value}"));
        }

        cases.Add(new FuzzCase("usage range over 7 days", "GET", $"{target}/usage?from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z"));
        foreach (var query in new[]
                 {
                     "limit=0", "limit=-1", "limit=1001", "limit=abc", "limit=%D9%A1", "limit=5&limit=6", "continue=nope", "continue=%00", "continue=202612%2Fx",
                     "target=demo%2FWEB", "target=a%2Fb%2Fc", "uid=a%0A", "uid=" + new string('a', 129), "actor=alice%0A", "actor=%1B%5B31m",
                     "actor=" + new string('a', 300), "action=PAUSE", "action=pause%0A", "since=yesterday", "since=2026-06-02", "until=2026-06-02T12:00:00Z%0A",
                     "since=2026-06-03T00:00:00Z&until=2026-06-02T00:00:00Z", "since=%D9%A2%D9%A0%D9%A2%D9%A6-06-02T12:00Z", "bogus=1",
                 })
        {
            cases.Add(new FuzzCase($"audit query {Show(query)}", "GET", $"/api/audit?{query}"));
        }

        // The webhook: a wrong or empty secret, and bodies that are no AdmissionReview.
        foreach (var secret in new[] { "wrong", admissionSecret + "x", admissionSecret.ToUpperInvariant(), "%00" })
            cases.Add(new FuzzCase($"webhook secret {Show(secret)}", "POST", $"/api/admission/pods/{secret}", "{\"request\":{\"uid\":\"u\"}}", Key: false));
        foreach (var body in BrokenJson.Concat(["{\"request\":{\"uid\":42}}", "{\"request\":\"x\"}", "{\"request\":{}}", "{\"request\":{\"uid\":\"\"}}", "{}"]))
            cases.Add(new FuzzCase($"webhook body {Show(body)}", "POST", $"/api/admission/pods/{admissionSecret}", body, Key: false));
        cases.Add(new FuzzCase("webhook body over 3 MiB", "POST", $"/api/admission/pods/{admissionSecret}", "{\"pad\":\"" + new string('x', 4 * 1024 * 1024) + "\"}", Key: false));

        return cases;
    }

    private static string Window(string cron = "0 2 * * 6", string duration = "2h", string zone = "UTC", string? id = null) =>
        $"{{{(id is null ? string.Empty : $"\"id\":\"{id}\",")}\"cron\":\"{cron}\",\"duration\":\"{duration}\",\"timeZone\":\"{zone}\",\"reason\":\"fuzz\"}}";

    /// <summary>A valid body of the route with one field added or replaced.</summary>
    private static string Merge(string method, string path, string field, bool replacesReason = false)
    {
        var valid = (method, path) switch
        {
            ("POST", "/api/system/pause") => "\"reason\":\"x\"",
            ("POST", "/api/system/windows") => Window()[1..^1],
            ("PUT", _) => "\"direction\":\"vertical\",\"mode\":\"recommendation\"",
            _ => string.Empty,
        };
        if (replacesReason)
            valid = string.Join(',', valid.Split(',').Where(f => !f.StartsWith("\"reason\"", StringComparison.Ordinal)));
        return "{" + string.Join(',', new[] { valid, field }.Where(f => f.Length > 0)) + "}";
    }

    private static string Show(string text) => text.Length <= 24 ? text : text[..24] + "...";
}
