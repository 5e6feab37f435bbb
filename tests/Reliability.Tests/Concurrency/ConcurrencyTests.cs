using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Thoras.Reliability.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Thoras.Reliability.Tests.Concurrency;

/// <summary>
/// 50 calls at once on every mutating endpoint: the audit log holds one record per real change, under the actor who
/// made it, and none for a call that changed nothing; stored state and the cluster agree afterwards.
/// </summary>
public sealed class ConcurrencyTests : IAsyncLifetime
{
    private const int Calls = 50;
    private readonly ReliabilityApp _app = new();
    private readonly ITestOutputHelper _output;

    public ConcurrencyTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task PutMode_FiftyMixedAtOnce_AuditMatchesRealChangesAndStorageAgreesWithTheSpec()
    {
        var ns = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(ns, verticalMode: "autonomous", horizontalMode: "recommendation");
        await _app.SyncTickAsync();
        var modes = new[] { "autonomous", "recommendation", "observation" };
        var calls = Enumerable.Range(0, Calls).Select(i => (Direction: i % 3 == 0 ? "horizontal" : "vertical", Mode: modes[i % modes.Length], Actor: $"user{i}")).ToList();

        var answers = await Task.WhenAll(calls.Select(async c =>
        {
            using var response = await _app.PutModeAsync(ns, c.Direction, c.Mode, c.Actor);
            var text = await response.Content.ReadAsStringAsync();
            return (c.Actor, response.StatusCode, Body: text);
        }));

        // A call that ran out of time (503) may have had its change finished by the next caller: then it is audited too.
        Assert.DoesNotContain(answers, a => (int)a.StatusCode >= 500 && a.StatusCode != HttpStatusCode.ServiceUnavailable);
        var changedBy = answers.Where(a => a.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(a.Body).RootElement.GetProperty("changed").GetBoolean())
            .Select(a => a.Actor).ToHashSet(StringComparer.Ordinal);
        var timedOut = answers.Where(a => a.StatusCode == HttpStatusCode.ServiceUnavailable).Select(a => a.Actor).ToHashSet(StringComparer.Ordinal);
        var audited = (await _app.AuditAsync($"{ns}/web")).Where(r => r.Action == "mode-change").Select(r => r.Actor).ToList();
        Assert.Equal(audited.Count, audited.Distinct(StringComparer.Ordinal).Count());
        Assert.Subset(audited.ToHashSet(StringComparer.Ordinal), changedBy);
        Assert.Subset(changedBy.Union(timedOut).ToHashSet(StringComparer.Ordinal), audited.ToHashSet(StringComparer.Ordinal));
        var ast = (await _app.ReadTargetAsync(ns))!["spec"]!;
        var row = (await _app.TargetRowAsync(ns))!;
        Assert.Equal(ast["vertical"]!["mode"]!.ToString(), row.GetString("VerticalMode"));
        Assert.Equal(ast["horizontal"]!["mode"]!.ToString(), row.GetString("HorizontalMode"));
        Assert.Empty(await _app.SyncTickAsync());
        Assert.DoesNotContain(await _app.AuditAsync($"{ns}/web"), r => r.Actor == "cluster" && r.Action == "mode-change");
        _output.WriteLine($"mode switch: {Calls} calls, {changedBy.Count} answered changed, {timedOut.Count} answered 503, {audited.Count} audit records (one per real change)");
    }

    [Fact]
    public async Task PauseAndResume_FiftyAtOnce_AuditMatchesRealChanges()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
        {
            var path = i % 2 == 0 ? "/api/system/pause" : "/api/system/resume";
            using var response = await _app.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent($$"""{"reason":"r{{i}}","actor":"user{{i}}"}""", Encoding.UTF8, "application/json"));
            return (Actor: $"user{i}", response.StatusCode, Body: await response.Content.ReadAsStringAsync());
        }));

        Assert.DoesNotContain(answers, a => (int)a.StatusCode >= 500 && a.StatusCode != HttpStatusCode.ServiceUnavailable);
        var changedBy = answers.Where(a => a.StatusCode == HttpStatusCode.OK && JsonDocument.Parse(a.Body).RootElement.GetProperty("changed").GetBoolean())
            .Select(a => a.Actor).Order(StringComparer.Ordinal).ToList();
        var audited = (await _app.AuditAsync("system")).Where(r => r.Action is "pause" or "resume").Select(r => r.Actor).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(changedBy, audited);
        _output.WriteLine($"pause/resume: {Calls} calls, {changedBy.Count} real changes, {audited.Count} audit records");
    }

    [Fact]
    public async Task Windows_FiftyCreatesAndDeletesOfOneIdAtOnce_OneRecordPerRealChange()
    {
        var created = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
        {
            using var response = await _app.Http.PostAsync(new Uri("/api/system/windows", UriKind.Relative),
                new StringContent($$"""{"id":"race","cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r","actor":"user{{i}}"}""", Encoding.UTF8, "application/json"));
            return response.StatusCode;
        }));
        var deleted = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async _ =>
        {
            using var response = await _app.Http.DeleteAsync(new Uri("/api/system/windows/race", UriKind.Relative));
            return response.StatusCode;
        }));

        Assert.Equal(1, created.Count(s => s == HttpStatusCode.Created));
        Assert.All(created.Where(s => s != HttpStatusCode.Created), s => Assert.Equal(HttpStatusCode.Conflict, s));
        Assert.Equal(1, deleted.Count(s => s == HttpStatusCode.NoContent));
        Assert.All(deleted.Where(s => s != HttpStatusCode.NoContent), s => Assert.Equal(HttpStatusCode.NotFound, s));
        var audit = await _app.AuditAsync("system");
        Assert.Equal(1, audit.Count(r => r.Action == "window-create"));
        Assert.Equal(1, audit.Count(r => r.Action == "window-delete"));
    }

    [Fact]
    public async Task Unenroll_FiftyAtOnce_OneUnenrollOneRestartNoServerError()
    {
        var ns = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(ns);
        await _app.SyncTickAsync();

        var answers = await Task.WhenAll(Enumerable.Range(0, Calls).Select(async i =>
        {
            using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri($"/api/targets/{ns}/web", UriKind.Relative))
            {
                Content = JsonContent.Create(new { actor = $"user{i}" }),
            };
            using var response = await _app.Http.SendAsync(request);
            return response.StatusCode;
        }));
        await _app.SyncTickAsync();

        Assert.True(
            !answers.Any(s => (int)s >= 500),
            string.Join(", ", answers.Select(s => (int)s).Order()) + "\n" + string.Join("\n", _app.Logs.Lines.Where(l => l.Contains(" Error ", StringComparison.Ordinal) || l.Contains(" Warning ", StringComparison.Ordinal))));
        Assert.Contains(HttpStatusCode.OK, answers);
        Assert.Equal(1, (await _app.AuditAsync($"{ns}/web")).Count(r => r.Action == "unenroll"));
        Assert.Null(await _app.ReadTargetAsync(ns));
        Assert.Null(await _app.TargetRowAsync(ns));
        _output.WriteLine($"unenroll: {Calls} calls, {answers.Count(s => s == HttpStatusCode.OK)} answered 200, {answers.Count(s => s == HttpStatusCode.NotFound)} 404, 1 audit record");
    }
}
