using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Cli.Tests.Targets;

/// <summary>Bad input to the target API: a problem-details answer, and nothing changed in the cluster or Table Storage.</summary>
public sealed class TargetInputTests(TargetApiFixture app) : IClassFixture<TargetApiFixture>
{
    private async Task<(string Ns, string ResourceVersion, string? ETag)> EnrolledAsync()
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedDeploymentAsync(ns, replicas: 1);
        await app.CreateTargetAsync(ns);
        await app.SyncTickAsync();
        return (ns, await ResourceVersionAsync(ns), (await app.Enrollment.GetAsync(new TargetKey(ns, "web"), CancellationToken.None))!.ETag);
    }

    private async Task<string> ResourceVersionAsync(string ns) => (string)(await app.ReadTargetAsync(ns))!["metadata"]!["resourceVersion"]!;

    private async Task AssertUnchangedAsync(string ns, string resourceVersion, string? etag)
    {
        Assert.Equal(resourceVersion, await ResourceVersionAsync(ns));
        Assert.Equal(etag, (await app.Enrollment.GetAsync(new TargetKey(ns, "web"), CancellationToken.None))!.ETag);
    }

    private static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString()!;
    }

    [Fact]
    public async Task PutMode_UnknownTarget_404()
    {
        var ns = await app.NewNamespaceAsync();

        var response = await app.PutModeAsync(ns, "missing", new { direction = "vertical", mode = "rec" });

        Assert.Contains("no AIScaleTarget missing", await ProblemAsync(response, HttpStatusCode.NotFound), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTarget_UnknownTarget_404()
    {
        var ns = await app.NewNamespaceAsync();

        var response = await app.Http.GetAsync(new Uri($"/api/targets/{ns}/missing", UriKind.Relative));

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Delete_UnknownTarget_404()
    {
        var ns = await app.NewNamespaceAsync();

        var response = await app.Http.DeleteAsync(new Uri($"/api/targets/{ns}/missing", UriKind.Relative));

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task PutMode_MalformedJson_400AndNothingChanged()
    {
        var (ns, version, etag) = await EnrolledAsync();

        var response = await app.Http.PutAsync(
            new Uri($"/api/targets/{ns}/web/mode", UriKind.Relative), new StringContent("{\"direction\": \"vertical\", ", Encoding.UTF8, "application/json"));

        await ProblemAsync(response, HttpStatusCode.BadRequest);
        await AssertUnchangedAsync(ns, version, etag);
    }

    [Fact]
    public async Task PutMode_UnknownField_400AndNothingChanged()
    {
        var (ns, version, etag) = await EnrolledAsync();

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "rec", force = true });

        Assert.Contains("force", await ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertUnchangedAsync(ns, version, etag);
    }

    [Fact]
    public async Task PutMode_MissingMode_400AndNothingChanged()
    {
        var (ns, version, etag) = await EnrolledAsync();

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical" });

        await ProblemAsync(response, HttpStatusCode.BadRequest);
        await AssertUnchangedAsync(ns, version, etag);
    }

    [Fact]
    public async Task PutMode_UnknownDirection_400AndNothingChanged()
    {
        var (ns, version, etag) = await EnrolledAsync();

        var response = await app.PutModeAsync(ns, "web", new { direction = "diagonal", mode = "rec" });

        Assert.Contains("'diagonal'", await ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertUnchangedAsync(ns, version, etag);
    }

    [Fact]
    public async Task PutMode_UnknownMode_400AndNothingChanged()
    {
        var (ns, version, etag) = await EnrolledAsync();

        var response = await app.PutModeAsync(ns, "web", new { direction = "vertical", mode = "turbo" });

        Assert.Contains(TargetModes.AllowedText, await ProblemAsync(response, HttpStatusCode.BadRequest), StringComparison.Ordinal);
        await AssertUnchangedAsync(ns, version, etag);
    }

    [Theory]
    [InlineData("Bad_Namespace", "web", "Invalid namespace")]
    [InlineData("-shop", "web", "Invalid namespace")]
    [InlineData("shop", "Web", "Invalid name")]
    [InlineData("shop", "web..api", "Invalid name")]
    public async Task PutMode_NotDns1123_400(string ns, string name, string title)
    {
        var response = await app.PutModeAsync(ns, name, new { direction = "vertical", mode = "rec" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(title, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
    }

    [Fact]
    public async Task Delete_InvalidNamespace_400()
    {
        var response = await app.Http.DeleteAsync(new Uri("/api/targets/Bad_Namespace/web", UriKind.Relative));

        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task PutMode_WithoutFunctionKey_401AndNothingChanged()
    {
        var (ns, version, etag) = await EnrolledAsync();
        using var anonymous = new HttpClient { BaseAddress = app.Http.BaseAddress };

        var response = await anonymous.PutAsJsonAsync(new Uri($"/api/targets/{ns}/web/mode", UriKind.Relative), new { direction = "vertical", mode = "rec" });

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertUnchangedAsync(ns, version, etag);
    }

    [Fact]
    public async Task PostMode_WrongMethod_405()
    {
        var (ns, _, _) = await EnrolledAsync();

        var response = await app.Http.PostAsJsonAsync(new Uri($"/api/targets/{ns}/web/mode", UriKind.Relative), new { direction = "vertical", mode = "rec" });

        await ProblemAsync(response, HttpStatusCode.MethodNotAllowed);
    }
}
