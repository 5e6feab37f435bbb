using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Microsoft.Extensions.DependencyInjection;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.Reliability.Tests.Support;
using Xunit;

namespace Thoras.Reliability.Tests.Findings;

/// <summary>Who is recorded as the actor: the principal header only counts behind App Service Authentication.</summary>
public sealed class UntrustedPrincipalFindingTests : IAsyncLifetime
{
    private readonly ReliabilityApp _app = new();

    public Task InitializeAsync() => _app.InitializeAsync();

    public Task DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData("configmap")]
    [InlineData("system")]
    public async Task Pause_PrincipalHeaderFromAKeyHolder_IsNotTheActor(string claimed)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/system/pause", UriKind.Relative))
        {
            Content = JsonContent.Create(new { reason = "probe" }),
        };
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", claimed);

        using var response = await _app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(await _app.AuditAsync("system"), r => r.Actor == claimed);
    }
}

/// <summary>Behind App Service Authentication the principal header is the actor, and it is validated.</summary>
public sealed class TrustedPrincipalFindingTests : IAsyncLifetime
{
    private readonly ReliabilityApp _app = new();

    public Task InitializeAsync()
    {
        _app.Settings["Auth:TrustAppServicePrincipal"] = "true";
        return _app.InitializeAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData("configmap")]
    [InlineData("system")]
    [InlineData(4000)]
    public async Task Pause_InvalidPrincipal_IsRefusedAndChangesNothing(object claimed)
    {
        var before = await _app.SnapshotAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/system/pause", UriKind.Relative))
        {
            Content = JsonContent.Create(new { reason = "probe" }),
        };
        request.Headers.Add("X-MS-CLIENT-PRINCIPAL-NAME", claimed is int length ? new string('a', length) : (string)claimed);

        using var response = await _app.Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(before, await _app.SnapshotAsync());
    }
}

/// <summary>With Table Storage stopped or failing, the API answers 503 with <c>Retry-After</c> in bounded time; it never hangs.</summary>
public sealed class StorageOutageFindingTests : IAsyncLifetime
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private readonly ReliabilityApp _app = new();
    private string _ns = string.Empty;

    public async Task InitializeAsync()
    {
        await _app.InitializeAsync();
        _ns = await _app.NewNamespaceAsync();
        await _app.SeedTargetAsync(_ns);
        await _app.SyncTickAsync();
    }

    public Task DisposeAsync() => _app.DisposeAsync();

    [Theory]
    [InlineData("GET", "/api/system/pause", null)]
    [InlineData("POST", "/api/system/pause", """{"reason":"outage"}""")]
    [InlineData("PUT", "/api/targets/{ns}/web/mode", """{"direction":"vertical","mode":"recommendation"}""")]
    public async Task Request_StorageStopped_Answers503WithRetryAfterInBoundedTime(string method, string path, string? body)
    {
        _app.TableProxy.Outage = true;
        try
        {
            var watch = Stopwatch.StartNew();
            using var response = await SendAsync(method, path, body);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.True(watch.Elapsed < Bound, $"answered after {watch.Elapsed}");
        }
        finally
        {
            _app.TableProxy.Outage = false;
        }
    }

    [Theory]
    [InlineData("PUT", "/api/targets/{ns}/web/mode", """{"direction":"vertical","mode":"recommendation"}""")]
    public async Task Request_StorageFailing_Answers503WithRetryAfter(string method, string path, string? body)
    {
        _app.TableProxy.FailNext(string.Empty, 503, count: 1000);
        try
        {
            using var response = await SendAsync(method, path, body);

            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
        }
        finally
        {
            _app.TableProxy.Clear();
        }
    }

    [Fact]
    public async Task GetPause_StorageFailing_AnswersPausedNamingTheUnreadableState()
    {
        _app.TableProxy.FailNext(string.Empty, 503, count: 1000);
        try
        {
            var watch = Stopwatch.StartNew();
            using var response = await SendAsync("GET", "/api/system/pause", null);
            var status = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

            // The status is the gate's view: it fails closed and says which source it could not read.
            Assert.Equal(
                (HttpStatusCode.OK, true, "the pause state"),
                (response.StatusCode, (bool)status["paused"]!, (string?)status["unreadable"]?[0]?["source"]));
            Assert.True(watch.Elapsed < Bound, $"answered after {watch.Elapsed}");
        }
        finally
        {
            _app.TableProxy.Clear();
        }
    }

    private Task<HttpResponseMessage> SendAsync(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), new Uri(path.Replace("{ns}", _ns, StringComparison.Ordinal), UriKind.Relative));
        if (body is not null)
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return _app.Http.SendAsync(request);
    }
}

/// <summary>Mode switches: a no-op changes nothing, and state of a vanished UID never blocks a switch.</summary>
public sealed class ModeSwitchFindingTests(ReliabilityApp app) : IClassFixture<ReliabilityApp>
{
    [Fact]
    public async Task PutMode_ModeAlreadyInForce_RestartsAndAuditsNothing()
    {
        var ns = await app.NewNamespaceAsync();
        await app.SeedTargetAsync(ns, verticalMode: "recommendation");
        await app.SyncTickAsync();
        // Applied requests still recorded (a revert the sync step has yet to finish): a no-op must not restart for them.
        var store = app.Services.GetRequiredService<IEnrollmentStore>();
        var key = new TargetKey(ns, "web");
        var record = (await store.GetAsync(key, CancellationToken.None))!;
        await store.SaveAsync(record with { Vertical = new VerticalBaseline("s1", DateTimeOffset.UtcNow, [], []) }, CancellationToken.None);
        var audits = (await app.AuditAsync($"{ns}/web")).Count;

        using var response = await app.PutModeAsync(ns, "vertical", "recommendation");
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(body.GetProperty("changed").GetBoolean());
        Assert.Null(await app.RestartStampAsync(ns));
        Assert.Equal(audits, (await app.AuditAsync($"{ns}/web")).Count);
    }

    [Fact]
    public async Task PutMode_StateOfAVanishedUidWithTheSameName_IsCleanedUpAndTheSwitchSucceeds()
    {
        var ns = await app.NewNamespaceAsync();
        var oldUid = await app.SeedTargetAsync(ns);
        await app.SyncTickAsync();
        // The AST goes without the app seeing it (a sandbox reset, a delete while the app was down) and comes back.
        var patch = new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch);
        await app.Cluster.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(patch, "thoras.ai", "v1", ns, "aiscaletargets", "web");
        await app.Cluster.CustomObjects.DeleteNamespacedCustomObjectAsync("thoras.ai", "v1", ns, "aiscaletargets", "web");
        var spec = (await app.Cluster.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>("thoras.ai", "v1", ns, "aiscaletargets")).GetProperty("items").GetArrayLength();
        Assert.Equal(0, spec);
        await app.Cluster.CustomObjects.CreateNamespacedCustomObjectAsync<JsonElement>(
            JsonNode.Parse("""{"apiVersion":"thoras.ai/v1","kind":"AIScaleTarget","metadata":{"name":"web","namespace":"NS"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},"vertical":{"mode":"autonomous","containers":[{"name":"app"}]}}}""".Replace("NS", ns, StringComparison.Ordinal))!,
            "thoras.ai", "v1", ns, "aiscaletargets");

        using var response = await app.PutModeAsync(ns, "vertical", "recommendation");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = await app.TargetRowAsync(ns);
        Assert.NotEqual(oldUid, row!.GetString("Uid"));
        Assert.Equal("recommendation", row.GetString("VerticalMode"));
    }
}
