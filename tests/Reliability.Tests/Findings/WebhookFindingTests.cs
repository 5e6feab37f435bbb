using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Thoras.Reliability.Tests.Support;
using Xunit;

namespace Thoras.Reliability.Tests.Findings;

/// <summary>The admission webhook's findings: it fails open and never answers 500, caps its body, and never shows its secret.</summary>
public sealed class WebhookFindingTests(ReliabilityApp app) : IClassFixture<ReliabilityApp>
{
    private static readonly Uri Webhook = new($"/api/admission/pods/{ReliabilityApp.AdmissionSecret}", UriKind.Relative);

    [Theory]
    [InlineData("""{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":"demo","object":"not a pod"}}""")]
    [InlineData("""{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":"demo","object":{"spec":{"containers":[{"name":"a","resources":{"requests":{"cpu":"lots"}}}]}}}}""")]
    [InlineData("""{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":7,"object":{}}}""")]
    [InlineData("""{"request":{"uid":"u1","operation":"CREATE","kind":{"kind":"Pod"},"namespace":"demo","object":{"metadata":{"labels":{"app":3}},"spec":{"containers":[]}}}}""")]
    public async Task Webhook_MalformedReview_AllowsThePodUnchangedAndLogsWhy(string body)
    {
        var before = app.Logs.Lines.Count;

        using var response = await app.Http.PostAsync(Webhook, new StringContent(body, Encoding.UTF8, "application/json"));
        var answer = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var review = answer.GetProperty("response");
        Assert.Equal("u1", review.GetProperty("uid").GetString());
        Assert.True(review.GetProperty("allowed").GetBoolean());
        Assert.False(review.TryGetProperty("patch", out _));
        Assert.Contains(app.Logs.Lines.Skip(before), l => l.Contains("Admission", StringComparison.Ordinal) && l.Contains("u1", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("""{"request":{"uid":42}}""")]
    [InlineData("[1,2,3]")]
    [InlineData("""{"request":"x"}""")]
    public async Task Webhook_BodyThatIsNoReview_IsAClientErrorNeverA500(string body)
    {
        using var response = await app.Http.PostAsync(Webhook, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Webhook_TenMegabyteBody_IsRefusedUnread()
    {
        var body = "{\"request\":{\"uid\":\"u1\",\"pad\":\"" + new string('x', 10 * 1024 * 1024) + "\"}}";

        using var response = await app.Http.PostAsync(Webhook, new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Fact]
    public async Task Webhook_Calls_NeverLogOrEchoTheSecret()
    {
        using var malformed = await app.Http.PostAsync(Webhook, new StringContent("not json", Encoding.UTF8, "application/json"));
        using var wrongMethod = await app.Http.GetAsync(Webhook);
        using var fine = await app.Http.PostAsync(Webhook, new StringContent("""{"request":{"uid":"u2","operation":"DELETE","kind":{"kind":"Pod"}}}""", Encoding.UTF8, "application/json"));

        Assert.DoesNotContain(ReliabilityApp.AdmissionSecret, await malformed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(ReliabilityApp.AdmissionSecret, await wrongMethod.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, fine.StatusCode);
        var leaked = app.Logs.Lines.Where(l => l.Contains(ReliabilityApp.AdmissionSecret, StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, string.Join("\n", leaked));
    }
}
