using Microsoft.AspNetCore.Mvc;
using Moq;
using Thoras.Functions.Tests.Http;
using Thoras.Domain.Pause;
using Thoras.Functions.Http;
using Thoras.Functions.Pause;
using Thoras.TestSupport.Storage;
using Xunit;
using static Thoras.Functions.Tests.Pause.PauseHarness;

namespace Thoras.Functions.Tests.Pause;

public sealed class PauseFunctionsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string PausePath = "/api/system/pause";
    private const string ResumePath = "/api/system/resume";

    private static T Body<T>(IActionResult result)
    {
        var ok = Assert.IsType<OkObjectResult>(result);
        return Assert.IsType<T>(ok.Value);
    }

    [Fact]
    public async Task Get_NothingPaused_ShowsRunningAndTheAffectedTargets()
    {
        var h = new PauseHarness(azurite);

        var status = Body<PauseStatusView>(await h.Functions.Pause(Request("GET", PausePath)));

        Assert.False(status.Paused);
        Assert.Empty(status.Holders);
        Assert.Equal(2, status.AffectedTargets.Count);
        Assert.Equal(["shop/api", "shop/web"], status.AffectedTargets.Names);
    }

    [Fact]
    public async Task Post_Pause_AddsManualHolderAuditsAndWritesThroughToTheMirror()
    {
        var h = new PauseHarness(azurite);

        var result = Body<PauseChangeResult>(await h.Functions.Pause(Request("POST", PausePath, """{"reason":"deploy freeze","actor":"alice"}""")));

        Assert.True(result.Changed);
        Assert.True(result.Status.Paused);
        var holder = Assert.Single(result.Status.Holders);
        Assert.Equal(("manual", "alice", "deploy freeze", Now), (holder.Id, holder.Actor, holder.Reason, holder.Since));
        Assert.Equal(2, result.Status.AffectedTargets.Count);
        var record = Assert.Single(await h.AuditRecordsAsync());
        Assert.Equal(("alice", "pause", "deploy freeze"), (record.Actor, record.Action, record.Reason));
        h.Mirror.Verify(m => m.WriteAsync(It.Is<PauseState>(s => s.IsPaused), MirrorWriteMode.WriteThrough, It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Post_PauseTwice_IsIdempotent()
    {
        var h = new PauseHarness(azurite);
        await h.Functions.Pause(Request("POST", PausePath, """{"reason":"first"}"""));

        var second = Body<PauseChangeResult>(await h.Functions.Pause(Request("POST", PausePath, """{"reason":"second"}""")));

        Assert.False(second.Changed);
        Assert.Equal(1, second.Status.Revision);
        Assert.Equal("first", Assert.Single(second.Status.Holders).Reason);
        Assert.Single(await h.AuditRecordsAsync());
    }

    [Fact]
    public async Task Post_PauseBehindAppServiceAuthentication_RecordsTheSignedInPrincipal()
    {
        var h = new PauseHarness(azurite);
        h.Auth.TrustAppServicePrincipal = true;
        var request = Request("POST", PausePath, """{"reason":"freeze"}""");
        request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = "carol@example.com";

        var result = Body<PauseChangeResult>(await h.Functions.Pause(request));

        Assert.Equal("carol@example.com", Assert.Single(result.Status.Holders).Actor);
    }

    [Fact]
    public async Task Post_PrincipalHeaderWithoutAppServiceAuthentication_IsIgnored()
    {
        var h = new PauseHarness(azurite);
        var request = Request("POST", PausePath, """{"reason":"freeze"}""");
        request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = "configmap";

        var result = Body<PauseChangeResult>(await h.Functions.Pause(request));

        Assert.Equal("api", Assert.Single(result.Status.Holders).Actor);
    }

    [Theory]
    [InlineData("configmap")]
    [InlineData("system")]
    [InlineData("alice\nforged")]
    public async Task Post_TrustedPrincipalHeaderInvalid_IsRefusedAndChangesNothing(string principal)
    {
        var h = new PauseHarness(azurite);
        h.Auth.TrustAppServicePrincipal = true;
        var request = Request("POST", PausePath, """{"reason":"freeze"}""");
        request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = principal;

        var problem = await ProblemAssert.ThrowsAsync(() => h.Functions.Pause(request));

        Assert.Equal(400, problem.Status);
        Assert.False((await h.Table.ReadAsync(CancellationToken.None)).IsPaused);
    }

    [Fact]
    public async Task Post_TrustedPrincipalHeaderTooLong_IsRefused()
    {
        var h = new PauseHarness(azurite);
        h.Auth.TrustAppServicePrincipal = true;
        var request = Request("POST", PausePath, """{"reason":"freeze"}""");
        request.Headers["X-MS-CLIENT-PRINCIPAL-NAME"] = new string('a', 4000);

        var problem = await ProblemAssert.ThrowsAsync(() => h.Functions.Pause(request));

        Assert.Equal(400, problem.Status);
    }

    [Fact]
    public async Task Post_PauseWhileTargetsCannotBeListed_StillPausesAndSaysThePreviewIsMissing()
    {
        var h = new PauseHarness(azurite);
        h.Targets.Setup(t => t.ListAsync(It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("cluster unreachable"));

        var result = Body<PauseChangeResult>(await h.Functions.Pause(Request("POST", PausePath, """{"reason":"incident"}""")));

        Assert.True(result.Status.Paused);
        Assert.Null(result.Status.AffectedTargets.Count);
        Assert.Contains("cluster unreachable", result.Status.AffectedTargets.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Post_PauseWhileMirrorFails_StaysPausedAndReportsTheMirrorError()
    {
        var h = new PauseHarness(azurite);
        h.Mirror.Setup(m => m.WriteAsync(It.IsAny<PauseState>(), It.IsAny<MirrorWriteMode>(), It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("api server down"));

        var result = Body<PauseChangeResult>(await h.Functions.Pause(Request("POST", PausePath, """{"reason":"incident"}""")));

        Assert.True((await h.Table.ReadAsync(CancellationToken.None)).IsPaused);
        Assert.Equal("api server down", result.MirrorError);
    }

    [Fact]
    public async Task Post_ResumeWithoutBody_ClearsManualAndTriggersReconcile()
    {
        var h = new PauseHarness(azurite);
        await h.Functions.Pause(Request("POST", PausePath, """{"reason":"freeze"}"""));

        var result = Body<PauseChangeResult>(await h.Functions.Resume(Request("POST", ResumePath)));

        Assert.True(result.Changed);
        Assert.False(result.Status.Paused);
        h.Reconcile.Verify(r => r.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Post_ResumeWhileRunning_IsIdempotentAndTriggersNothing()
    {
        var h = new PauseHarness(azurite);

        var result = Body<PauseChangeResult>(await h.Functions.Resume(Request("POST", ResumePath, """{"reason":"just in case"}""")));

        Assert.False(result.Changed);
        Assert.Empty(await h.AuditRecordsAsync());
        h.Reconcile.Verify(r => r.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Post_ResumeDuringWindow_KeepsTheWindowHolder()
    {
        var h = new PauseHarness(azurite);
        await h.Windows.Windows(Request("POST", "/api/system/windows", """{"id":"now","cron":"0 12 * * *","duration":"1h","timeZone":"UTC","reason":"patching"}"""));
        await h.Functions.Pause(Request("POST", PausePath, """{"reason":"freeze"}"""));

        var result = Body<PauseChangeResult>(await h.Functions.Resume(Request("POST", ResumePath)));

        Assert.True(result.Status.Paused);
        Assert.Equal(["window:now"], result.Status.Holders.Select(x => x.Id));
        h.Reconcile.Verify(r => r.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Post_ResumeForceDuringWindow_ClearsItAndSkipsThisOccurrence()
    {
        var h = new PauseHarness(azurite);
        await h.Windows.Windows(Request("POST", "/api/system/windows", """{"id":"now","cron":"0 12 * * *","duration":"1h","timeZone":"UTC","reason":"patching"}"""));

        var result = Body<PauseChangeResult>(await h.Functions.Resume(Request("POST", ResumePath, """{"force":true,"reason":"hotfix"}""")));
        h.Time.Advance(TimeSpan.FromMinutes(10));
        await h.Service.SyncWindowsAsync(CancellationToken.None);
        var windows = Assert.IsType<WindowList>(Assert.IsType<OkObjectResult>(await h.Windows.Windows(Request("GET", "/api/system/windows"))).Value);

        Assert.False(result.Status.Paused);
        Assert.False((await h.Table.ReadAsync(CancellationToken.None)).IsPaused);
        Assert.True(Assert.Single(windows.Windows).Skipped);
        h.Reconcile.Verify(r => r.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task Get_AppSettingOn_ShowsPausedByTheAppSetting()
    {
        var h = new PauseHarness(azurite, appSettingPaused: true);
        await h.Service.SyncAppSettingAsync(CancellationToken.None);

        var status = Body<PauseStatusView>(await h.Functions.Pause(Request("GET", PausePath)));

        Assert.True(status.Paused);
        Assert.True(status.AppSettingPaused);
        Assert.Equal("app-setting", Assert.Single(status.Holders).Id);
    }

    [Fact]
    public async Task Post_ResumeForceWhileAppSettingOn_KeepsTheAppSettingHolder()
    {
        var h = new PauseHarness(azurite, appSettingPaused: true);
        await h.Service.SyncAppSettingAsync(CancellationToken.None);
        await h.Functions.Pause(Request("POST", PausePath, """{"reason":"freeze"}"""));

        var result = Body<PauseChangeResult>(await h.Functions.Resume(Request("POST", ResumePath, """{"force":true}""")));

        Assert.Equal(["app-setting"], result.Status.Holders.Select(x => x.Id));
    }

    public static TheoryData<string, string?, string?, int> BadPauseBodies => new()
    {
        { "malformed JSON", """{"reason":""", "application/json", 400 },
        { "unknown field", """{"reason":"x","force":true}""", "application/json", 400 },
        { "wrong type", """{"reason":5}""", "application/json", 400 },
        { "missing reason", "{}", "application/json", 400 },
        { "blank reason", """{"reason":"  "}""", "application/json", 400 },
        { "null reason", """{"reason":null}""", "application/json", 400 },
        { "null body", "null", "application/json", 400 },
        { "array body", """["reason"]""", "application/json", 400 },
        { "duplicate field", """{"reason":"a","reason":"b"}""", "application/json", 400 },
        { "wrong case field", """{"Reason":"x"}""", "application/json", 400 },
        { "trailing comma", """{"reason":"x",}""", "application/json", 400 },
        { "empty body", null, null, 400 },
        { "reserved actor", """{"reason":"x","actor":"configmap"}""", "application/json", 400 },
        { "invalid actor", """{"reason":"x","actor":"window:evil"}""", "application/json", 400 },
        { "reason too long", "{\"reason\":\"" + new string('x', 501) + "\"}", "application/json", 400 },
        { "oversize body", "{\"reason\":\"" + new string('x', 17 * 1024) + "\"}", "application/json", 413 },
        { "not JSON", "reason=x", "application/x-www-form-urlencoded", 415 },
    };

    [Theory]
    [MemberData(nameof(BadPauseBodies))]
    public async Task Post_PauseBadBody_IsRefusedWithProblemAndChangesNothing(string name, string? body, string? contentType, int status)
    {
        var h = new PauseHarness(azurite);
        var before = await h.SnapshotAsync();

        var problem = await ProblemAssert.ThrowsAsync(() => h.Functions.Pause(Request("POST", PausePath, body, contentType)));

        Assert.True(status == problem.Status, $"{name}: expected {status}, got {problem.Status} ({problem.Detail})");
        Assert.False(string.IsNullOrWhiteSpace(problem.Detail));
        Assert.Equal(before, await h.SnapshotAsync());
        h.Mirror.Verify(m => m.WriteAsync(It.IsAny<PauseState>(), It.IsAny<MirrorWriteMode>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    public static TheoryData<string, string, int> BadResumeBodies => new()
    {
        { "malformed JSON", """{"force":tru""", 400 },
        { "unknown field", """{"force":true,"everything":true}""", 400 },
        { "wrong type", """{"force":"yes"}""", 400 },
        { "number as boolean", """{"force":1}""", 400 },
        { "oversize body", "{\"reason\":\"" + new string('x', 17 * 1024) + "\"}", 413 },
    };

    [Theory]
    [MemberData(nameof(BadResumeBodies))]
    public async Task Post_ResumeBadBody_IsRefusedWithProblemAndChangesNothing(string name, string body, int status)
    {
        var h = new PauseHarness(azurite);
        await h.Functions.Pause(Request("POST", PausePath, """{"reason":"freeze"}"""));
        var before = await h.SnapshotAsync();

        var problem = await ProblemAssert.ThrowsAsync(() => h.Functions.Resume(Request("POST", ResumePath, body)));

        Assert.True(status == problem.Status, $"{name}: expected {status}, got {problem.Status} ({problem.Detail})");
        Assert.Equal(before, await h.SnapshotAsync());
        h.Reconcile.Verify(r => r.TriggerAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task Post_PauseContentLengthOverLimit_IsRefusedBeforeReading()
    {
        var h = new PauseHarness(azurite);
        var request = Request("POST", PausePath, """{"reason":"x"}""");
        request.ContentLength = 1024 * 1024;

        var problem = await ProblemAssert.ThrowsAsync(() => h.Functions.Pause(request));

        Assert.Equal(413, problem.Status);
        Assert.False((await h.Table.ReadAsync(CancellationToken.None)).IsPaused);
    }

    [Theory]
    [InlineData("PUT", PausePath, "GET, POST")]
    [InlineData("DELETE", PausePath, "GET, POST")]
    [InlineData("PATCH", PausePath, "GET, POST")]
    [InlineData("GET", ResumePath, "POST")]
    [InlineData("DELETE", ResumePath, "POST")]
    public async Task AnyWrongMethod_Is405WithAllowAndChangesNothing(string method, string path, string allow)
    {
        var h = new PauseHarness(azurite);
        var request = Request(method, path, """{"reason":"x"}""");

        var problem = await ProblemAssert.ThrowsAsync(() => path == PausePath ? h.Functions.Pause(request) : h.Functions.Resume(request));

        Assert.Equal(405, problem.Status);
        Assert.Equal(allow, request.HttpContext.Response.Headers.Allow.ToString());
        Assert.Equal(("rev 0: running", 0, 0), await h.SnapshotAsync());
    }
}
