using System.Globalization;
using System.Text.Json;

namespace Thoras.Cli.Operator;

/// <summary>The calls of each operator command and what they print.</summary>
internal sealed class OperatorRun(ApiConnection connection, bool json, string? actor, TextWriter stdout, TextWriter stderr)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static readonly string[] Directions = ["vertical", "horizontal"];

    public ApiConnection Connection => connection;

    public async Task<int> StatusAsync(CancellationToken cancellationToken)
    {
        var pause = await connection.SendAsync(HttpMethod.Get, "system/pause", null, cancellationToken);
        if (!pause.Succeeded)
            return Refused(pause);
        var targets = await connection.SendAsync(HttpMethod.Get, "targets", null, cancellationToken);
        if (!targets.Succeeded)
            return Refused(targets);
        if (json)
            return Print(new { pause = OperatorCommand.Body(pause), targets = OperatorCommand.Body(targets).GetProperty("targets") });

        var status = OperatorCommand.Body(pause);
        stdout.WriteLine("Scaling: " + Describe(status));
        var affected = status.GetProperty("affectedTargets");
        stdout.WriteLine(affected.TryGetProperty("count", out var count) && count.ValueKind == JsonValueKind.Number
            ? $"Autonomous targets a pause affects: {count.GetInt32()}"
            : $"Autonomous targets a pause affects: unknown ({Text(affected, "error")})");
        var rows = OperatorCommand.Body(targets).GetProperty("targets").EnumerateArray().Select(t => new[]
        {
            Text(t, "namespace"), Text(t, "name"), Text(t, "verticalMode", "-"), Text(t, "horizontalMode", "-"), Conditions(t), Applied(t),
        }).ToList();
        stdout.WriteLine();
        Table(["NAMESPACE", "NAME", "VERTICAL", "HORIZONTAL", "CONDITIONS", "APPLIED"], rows);
        return 0;
    }

    public async Task<int> PauseAsync(string reason, CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(HttpMethod.Post, "system/pause", new { reason, actor }, cancellationToken);
        if (!answer.Succeeded || json)
            return Finish(answer);
        var result = OperatorCommand.Body(answer);
        var status = result.GetProperty("status");
        stdout.WriteLine(result.GetProperty("changed").GetBoolean() ? "Paused. " + Describe(status) : "Already paused; nothing changed. " + Describe(status));
        var affected = status.GetProperty("affectedTargets");
        if (affected.TryGetProperty("names", out var names) && names.GetArrayLength() > 0)
            stdout.WriteLine($"Holding their last applied suggestion: {string.Join(", ", names.EnumerateArray().Select(n => n.GetString()))}");
        return Warnings(result);
    }

    public async Task<int> ResumeAsync(bool force, string? reason, CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(HttpMethod.Post, "system/resume", new { force, reason, actor }, cancellationToken);
        if (!answer.Succeeded || json)
            return Finish(answer);
        var result = OperatorCommand.Body(answer);
        var status = result.GetProperty("status");
        var changed = result.GetProperty("changed").GetBoolean();
        stdout.WriteLine(status.GetProperty("paused").GetBoolean()
            ? $"{(changed ? "Resumed the manual and configmap holders, but s" : "Nothing to resume; s")}till {Describe(status)}{(force ? string.Empty : " (--force clears every holder)")}."
            : changed ? "Resumed: running pods are reconciled to the latest suggestion." : "Not paused; nothing changed.");
        return Warnings(result);
    }

    public async Task<int> ModeAsync((string Namespace, string Name) target, string direction, string mode, string? reason, CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(HttpMethod.Put, $"targets/{Escape(target.Namespace)}/{Escape(target.Name)}/mode", new { direction, mode, reason, actor }, cancellationToken);
        if (!answer.Succeeded || json)
            return Finish(answer);
        var result = OperatorCommand.Body(answer);
        stdout.WriteLine(result.GetProperty("changed").GetBoolean()
            ? $"{target.Namespace}/{target.Name} {Text(result, "direction")}: {Text(result, "previousMode")} -> {Text(result, "mode")}. {Text(result.GetProperty("revert"), "summary")}"
            : $"{target.Namespace}/{target.Name} {Text(result, "direction")} is already {Text(result, "mode")}; nothing changed.");
        return 0;
    }

    public async Task<int> UnenrollAsync((string Namespace, string Name) target, string? reason, CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(HttpMethod.Delete, $"targets/{Escape(target.Namespace)}/{Escape(target.Name)}", new { reason, actor }, cancellationToken);
        if (!answer.Succeeded || json)
            return Finish(answer);
        var result = OperatorCommand.Body(answer);
        stdout.WriteLine($"Unenrolled {target.Namespace}/{target.Name} ({Text(result, "uid")}): {Text(result.GetProperty("revert"), "summary")}; {result.GetProperty("purgedItems").GetInt32()} rows and blobs deleted.");
        return 0;
    }

    public async Task<int> WindowsAsync(CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(HttpMethod.Get, "system/windows", null, cancellationToken);
        if (!answer.Succeeded || json)
            return Finish(answer);
        var rows = OperatorCommand.Body(answer).GetProperty("windows").EnumerateArray().Select(w => new[]
        {
            Text(w, "id"), Text(w, "cron"), Text(w, "duration"), Text(w, "timeZone"), w.GetProperty("enabled").GetBoolean() ? "yes" : "no",
            w.GetProperty("active").GetBoolean() ? "yes" : "no", Text(w, "nextStart", "-"), Text(w, "reason"),
        }).ToList();
        Table(["ID", "CRON", "DURATION", "TIME ZONE", "ENABLED", "ACTIVE", "NEXT START", "REASON"], rows);
        return 0;
    }

    public async Task<int> CreateWindowAsync(object body, CancellationToken cancellationToken)
    {
        var withActor = JsonSerializer.SerializeToElement(body, JsonSerializerOptions.Web);
        var request = withActor.EnumerateObject().Where(p => p.Value.ValueKind != JsonValueKind.Null).ToDictionary(p => p.Name, p => (object?)p.Value);
        if (actor is not null)
            request["actor"] = actor;
        var answer = await connection.SendAsync(HttpMethod.Post, "system/windows", request, cancellationToken);
        if (!answer.Succeeded || json)
            return Finish(answer);
        var window = OperatorCommand.Body(answer);
        stdout.WriteLine($"Created maintenance window {Text(window, "id")}: {Text(window, "cron")} for {Text(window, "duration")} in {Text(window, "timeZone")}; next start {Text(window, "nextStart", "-")}.");
        return 0;
    }

    public async Task<int> DeleteWindowAsync(string id, CancellationToken cancellationToken)
    {
        var answer = await connection.SendAsync(HttpMethod.Delete, $"system/windows/{Escape(id)}", null, cancellationToken);
        if (!answer.Succeeded || json)
            return Finish(answer);
        stdout.WriteLine($"Deleted maintenance window {id}.");
        return 0;
    }

    public async Task<int> AuditAsync(Dictionary<string, string> query, bool all, CancellationToken cancellationToken)
    {
        var records = new List<JsonElement>();
        string? next = null;
        do
        {
            var parameters = next is null ? query : new Dictionary<string, string>(query) { ["continue"] = next };
            var answer = await connection.SendAsync(HttpMethod.Get, "audit" + QueryString(parameters), null, cancellationToken);
            if (!answer.Succeeded)
                return Refused(answer);
            var page = OperatorCommand.Body(answer);
            records.AddRange(page.GetProperty("records").EnumerateArray());
            next = page.GetProperty("continue").GetString();
        }
        while (all && next is not null);

        if (json)
            return Print(new { records, @continue = next });
        Table(["AT", "ACTOR", "ACTION", "SUBJECT", "REASON"], [.. records.Select(r => new[]
        {
            Text(r, "at"), Text(r, "actor"), Text(r, "action"), Text(r, "subject"), Text(r, "reason", "-"),
        })]);
        if (next is not null)
            stdout.WriteLine($"(more records: --all reads every page)");
        return 0;
    }

    private static string Describe(JsonElement status)
    {
        if (!status.GetProperty("paused").GetBoolean())
            return "running";
        var holders = status.GetProperty("holders").EnumerateArray()
            .Select(h => Text(h, "reason") is { Length: > 0 } reason ? $"{Text(h, "id")} ({Text(h, "actor")}: {reason})" : $"{Text(h, "id")} ({Text(h, "actor")})")
            .ToList();
        return holders.Count > 0 ? "paused by " + string.Join(", ", holders) : "paused";
    }

    private static string Conditions(JsonElement target)
    {
        if (!target.TryGetProperty("conditions", out var conditions) || conditions.ValueKind != JsonValueKind.Array)
            return target.TryGetProperty("problems", out var problems) && problems.ValueKind == JsonValueKind.Array ? "InvalidSpec" : "-";
        var parts = conditions.EnumerateArray().Select(c => $"{Text(c, "type")}={Text(c, "status")}" + (Text(c, "status") == "True" ? string.Empty : $"({Text(c, "reason")})")).ToList();
        return parts.Count == 0 ? "-" : string.Join(",", parts);
    }

    private static string Applied(JsonElement target)
    {
        var applied = target.GetProperty("suggestionsApplied");
        var directions = Directions.Where(d => applied.GetProperty(d).GetBoolean()).ToList();
        return directions.Count == 0 ? "-" : string.Join(",", directions);
    }

    private static string Text(JsonElement element, string property, string fallback = "") =>
        element.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null
            ? value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText()
            : fallback;

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private static string QueryString(Dictionary<string, string> parameters) =>
        parameters.Count == 0 ? string.Empty : "?" + string.Join('&', parameters.Select(p => $"{Uri.EscapeDataString(p.Key)}={Uri.EscapeDataString(p.Value)}"));

    private void Table(string[] header, List<string[]> rows)
    {
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        foreach (var row in rows.Prepend(header))
            stdout.WriteLine(string.Join("   ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd());
    }

    private int Print(object value)
    {
        stdout.WriteLine(JsonSerializer.Serialize(value, Indented));
        return 0;
    }

    /// <summary>Prints the answer as it is (json), or its problem (a refusal); 0 when the app accepted it.</summary>
    private int Finish(ApiAnswer answer)
    {
        if (!answer.Succeeded)
            return Refused(answer);
        return Print(OperatorCommand.Body(answer));
    }

    private int Refused(ApiAnswer answer)
    {
        if (json && answer.Json is { } problem)
            stdout.WriteLine(JsonSerializer.Serialize(problem, Indented));
        stderr.WriteLine("thoras: " + answer.Problem);
        return 1;
    }

    private int Warnings(JsonElement result)
    {
        if (result.TryGetProperty("mirrorError", out var mirror) && mirror.ValueKind == JsonValueKind.String)
            stderr.WriteLine("warning: the ConfigMap mirror was not written (the sync timer retries): " + mirror.GetString());
        if (result.TryGetProperty("reconcileErrors", out var errors))
        {
            foreach (var error in errors.EnumerateArray())
                stderr.WriteLine("warning: reconcile failed: " + error.GetString());
        }

        return 0;
    }
}
