using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Thoras.Reliability.Tests.Support;
using Xunit;

namespace Thoras.Reliability.Tests.Findings;

/// <summary>
/// The input findings of the reliability review, each as it was probed over HTTP: what must be refused is refused
/// with a problem, and changes nothing. Every test here failed on the code the review probed.
/// </summary>
public sealed class InputFindingTests(ReliabilityApp app) : IClassFixture<ReliabilityApp>
{
    [Theory]
    [InlineData("PUT", "/mode")]
    [InlineData("DELETE", "")]
    public async Task TargetRoute_NameWithTrailingNewline_IsRefusedAndChangesNothing(string method, string suffix)
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedTargetAsync(ns);
        await app.SyncTickAsync();
        var before = await app.SnapshotAsync();

        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri($"/api/targets/{ns}/web%0A{suffix}", UriKind.Relative))
        {
            Content = JsonContent.Create(new { direction = "vertical", mode = "recommendation" }),
        };
        using var response = await app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("vertical", "recommendation ")]
    [InlineData("vertical", "RECOMMENDATION")]
    [InlineData("Vertical", "recommendation")]
    [InlineData(" vertical", "rec")]
    [InlineData("vertical\n", "rec")]
    public async Task PutMode_DirectionOrModeNotSpelledExactly_Is400AndChangesNothing(string direction, string mode)
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedTargetAsync(ns);
        await app.SyncTickAsync();
        var before = await app.SnapshotAsync();

        using var response = await app.PutModeAsync(ns, direction, mode);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("time zone that is a folder", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"Europe","reason":"r"}""")]
    [InlineData("non-ASCII digit", """{"cron":"0 2 * * 6","duration":"\u0662h","timeZone":"UTC","reason":"r"}""")]
    [InlineData("cron that never fires", """{"cron":"0 0 30 2 *","duration":"2h","timeZone":"UTC","reason":"r"}""")]
    [InlineData("id with a trailing newline", """{"id":"w1\n","cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r"}""")]
    [InlineData("actor with a trailing newline", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r","actor":"alice\n"}""")]
    [InlineData("reason with a control character", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r\u001b[2J"}""")]
    [InlineData("duration with a trailing newline", """{"cron":"0 2 * * 6","duration":"2h\n","timeZone":"UTC","reason":"r"}""")]
    public async Task PostWindow_InvalidField_Is400AndChangesNothing(string name, string body)
    {
        var before = await app.SnapshotAsync();

        using var response = await app.Http.PostAsync(new Uri("/api/system/windows", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{name}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        Assert.Equal(before, await app.SnapshotAsync());
    }

    [Theory]
    [InlineData("HEAD", "/api/system/pause")]
    [InlineData("OPTIONS", "/api/targets")]
    [InlineData("GET", "/api/no-such-route")]
    [InlineData("GET", "/")]
    [InlineData("PROPFIND", "/api/system/pause")]
    [InlineData("GET", "/api/admission/pods/anything")]
    public async Task AnyRoute_ErrorAnswer_IsProblemDetails(string method, string path)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path, UriKind.Relative));

        using var response = await app.Http.SendAsync(request);

        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Theory]
    [InlineData("/api/system/pause%00")]
    [InlineData("/api/targets/demo/web%00/mode")]
    public async Task Path_WithNulCharacter_IsRefusedAndNeverAnsweredWithANonProblemBody(string path)
    {
        using var response = await app.Http.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();

        // Kestrel's request parser refuses a NUL in the path before any app code runs, with an empty 400.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True(body.Length == 0 || response.Content.Headers.ContentType?.MediaType == "application/problem+json", body);
    }

    [Theory]
    [InlineData("/api/system/resume", """{"force":"yes"}""")]
    [InlineData("/api/system/pause", """{"reason":5}""")]
    [InlineData("/api/system/windows", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"r","enabled":"no"}""")]
    public async Task Post_WrongType_ProblemNamesNoDotNetType(string path, string body)
    {
        using var response = await app.Http.PostAsync(new Uri(path, UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.DoesNotContain("Thoras.", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("System.", detail, StringComparison.Ordinal);
    }
}
