using System.Collections.Concurrent;
using System.Text;
using Thoras.Reliability.Tests.Support;
using Xunit;
using Xunit.Abstractions;

namespace Thoras.Reliability.Tests.Fuzz;

/// <summary>
/// Sends the whole <see cref="FuzzCorpus"/> and checks each answer: never 5xx, never 2xx, a problem-details body,
/// and, compared before and after, no change to the pause state, windows, target rows, ConfigMap, AST specs or audit log.
/// </summary>
public sealed class FuzzTests : IAsyncLifetime
{
    private readonly ReliabilityApp _app = new();
    private readonly ITestOutputHelper _output;

    public FuzzTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Fact]
    public async Task Corpus_EveryMalformedRequest_IsRefusedWithAProblemAndChangesNothing()
    {
        var ns = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(ns);
        await _app.SyncTickAsync();
        using (await _app.Http.PostAsync(new Uri("/api/system/windows", UriKind.Relative),
                   new StringContent("""{"id":"w1","cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"kept"}""", Encoding.UTF8, "application/json")))
        {
        }

        var corpus = FuzzCorpus.Generate(ns, "web", ReliabilityApp.AdmissionSecret);
        var before = await _app.SnapshotAsync();
        var wrong = new ConcurrentBag<string>();
        var refusedByServer = 0;
        using var unauthenticated = new HttpClient { BaseAddress = _app.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        await Parallel.ForEachAsync(corpus, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (c, ct) =>
        {
            using var request = new HttpRequestMessage(new HttpMethod(c.Method), new Uri(c.Path, UriKind.Relative));
            if (c.Body is not null)
                request.Content = new StringContent(c.Body, Encoding.UTF8, c.ContentType);
            using var response = await (c.Key ? _app.Http : unauthenticated).SendAsync(request, ct);
            var status = (int)response.StatusCode;
            var isProblem = response.Content.Headers.ContentType?.MediaType == "application/problem+json";
            // Kestrel's request parser refuses some paths (a NUL) with an empty 400 before any app code runs.
            var refusedUnread = status == 400 && (await response.Content.ReadAsByteArrayAsync(ct)).Length == 0 && c.Method != "HEAD";
            if (refusedUnread)
                Interlocked.Increment(ref refusedByServer);
            if (status is < 400 or >= 500 || !(isProblem || refusedUnread))
                wrong.Add($"{c.Name}: {status} {response.Content.Headers.ContentType?.MediaType}");
        });
        var after = await _app.SnapshotAsync();

        _output.WriteLine($"fuzz corpus: {corpus.Count} malformed requests over {corpus.Select(c => c.Method + " " + c.Path.Split('?')[0]).Distinct().Count()} method/path pairs; " +
            $"{wrong.Count} answered wrong (5xx, 2xx or no problem); {refusedByServer} refused by the HTTP server's parser with an empty 400; state changed: {before != after}");
        Assert.True(corpus.Count >= 300, $"the corpus has {corpus.Count} requests");
        Assert.Empty(wrong);
        Assert.Equal(before, after);
    }
}
