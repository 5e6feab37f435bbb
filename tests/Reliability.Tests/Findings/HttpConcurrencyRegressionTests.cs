using System.Net.Http.Json;
using System.Text.Json;
using Azure.Data.Tables;
using Thoras.Reliability.Tests.Support;
using Xunit;

namespace Thoras.Reliability.Tests.Findings;

/// <summary>
/// The review's concurrent mode switches over HTTP: bursts of 20 mixed PUTs on one target, then one sync tick; every
/// answer with <c>changed: true</c> has one mode-change record under its actor, no other record is written (none by
/// <c>cluster</c>, none for a no-op). In-process by default; against a running app with <c>THORAS_REGRESSION_URL</c>
/// (see <see cref="RegressionTargetFixture"/>) plus <c>THORAS_REGRESSION_STORAGE</c> (its storage connection string) and
/// optionally <c>THORAS_REGRESSION_TABLE_PREFIX</c> (default <c>thoras</c>), waiting 70 s for its sync timer.
/// </summary>
public sealed class HttpConcurrencyRegressionTests : IAsyncLifetime
{
    private const int Bursts = 6;
    private const int PerBurst = 20;
    private ReliabilityApp? _app;
    private HttpClient _http = null!;
    private TableClient _audit = null!;
    private string _ns = "demo";
    private string _name = "web";

    public async Task InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable("THORAS_REGRESSION_URL") is { Length: > 0 } url)
        {
            _http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(120) };
            _http.DefaultRequestHeaders.Add("x-functions-key", Environment.GetEnvironmentVariable("THORAS_REGRESSION_KEY"));
            var prefix = Environment.GetEnvironmentVariable("THORAS_REGRESSION_TABLE_PREFIX") is { Length: > 0 } p ? p : "thoras";
            _audit = new TableServiceClient(Environment.GetEnvironmentVariable("THORAS_REGRESSION_STORAGE")).GetTableClient(prefix + "Audit");
            var target = (Environment.GetEnvironmentVariable("THORAS_REGRESSION_TARGET") is { Length: > 0 } t ? t : "demo/web").Split('/');
            (_ns, _name) = (target[0], target[1]);
            return;
        }

        _app = new ReliabilityApp();
        await _app.InitializeAsync();
        _ns = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(_ns, verticalMode: "recommendation", horizontalMode: "recommendation");
        await _app.SyncTickAsync();
        _http = _app.Http;
        _audit = _app.Tables.GetTableClient(_app.Prefix + "Audit");
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
            await _app.DisposeAsync();
        else
            _http.Dispose();
    }

    [Fact]
    public async Task PutMode_BurstsOfMixedSwitches_AuditMatchesTheChangesOneForOne()
    {
        var subject = $"{_ns}/{_name}";
        var before = await ModeChangesAsync(subject);
        var changed = new List<string>();
        for (var burst = 0; burst < Bursts; burst++)
        {
            // Mixed directions and modes, never both autonomous asked for by the same caller pattern: vertical flips
            // between autonomous and recommendation, horizontal stays recommendation (asked for again: a no-op).
            var calls = Enumerable.Range(0, PerBurst).Select(async i =>
            {
                var actor = $"b{burst}-c{i}";
                var (direction, mode) = (i % 3) switch
                {
                    0 => ("vertical", "autonomous"),
                    1 => ("vertical", "recommendation"),
                    _ => ("horizontal", "recommendation"),
                };
                using var response = await _http.PutAsJsonAsync(new Uri($"/api/targets/{_ns}/{_name}/mode", UriKind.Relative), new { direction, mode, actor });
                var body = await response.Content.ReadAsStringAsync();
                return response.IsSuccessStatusCode && JsonDocument.Parse(body).RootElement.GetProperty("changed").GetBoolean() ? actor : null;
            });
            changed.AddRange((await Task.WhenAll(calls)).OfType<string>());
        }

        if (_app is not null)
            await _app.SyncTickAsync();
        else
            await Task.Delay(TimeSpan.FromSeconds(70));

        var records = (await ModeChangesAsync(subject)).Except(before).ToList();
        Assert.NotEmpty(changed);
        var actors = records.Select(r => r.Actor).Order(StringComparer.Ordinal).ToList();
        Assert.True(
            actors.SequenceEqual(changed.Order(StringComparer.Ordinal)),
            $"{changed.Count} answers said changed: {string.Join(",", changed.Order(StringComparer.Ordinal))}; {records.Count} mode-change records: {string.Join(",", actors)}");
    }

    private async Task<List<(string Key, string Actor)>> ModeChangesAsync(string subject)
    {
        var rows = new List<(string, string)>();
        try
        {
            await foreach (var e in _audit.QueryAsync<TableEntity>())
            {
                if (e.GetString("Subject") == subject && e.GetString("Action") == "mode-change")
                    rows.Add((e.PartitionKey + "/" + e.RowKey, e.GetString("Actor") ?? string.Empty));
            }
        }
        catch (Azure.RequestFailedException ex) when (ex.Status == 404)
        {
            // No audit table yet.
        }

        return rows;
    }
}
