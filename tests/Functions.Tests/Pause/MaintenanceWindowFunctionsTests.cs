using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Thoras.Functions.Tests.Http;
using Thoras.Functions.Http;
using Thoras.Functions.Pause;
using Thoras.TestSupport.Storage;
using Xunit;
using static Thoras.Functions.Tests.Pause.PauseHarness;

namespace Thoras.Functions.Tests.Pause;

public sealed class MaintenanceWindowFunctionsTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private const string WindowsPath = "/api/system/windows";

    // Saturday 02:00 Berlin time; the harness clock (Tuesday noon UTC) is outside it.
    private const string Saturday = """{"id":"weekly","cron":"0 2 * * 6","duration":"2h","timeZone":"Europe/Berlin","reason":"node patching"}""";

    private static WindowList List(IActionResult result) => Assert.IsType<WindowList>(Assert.IsType<OkObjectResult>(result).Value);

    [Fact]
    public async Task Post_ValidWindow_Is201AndListed()
    {
        var h = new PauseHarness(azurite);

        var created = Assert.IsType<ObjectResult>(await h.Windows.Windows(Request("POST", WindowsPath, Saturday)));
        var listed = List(await h.Windows.Windows(Request("GET", WindowsPath)));

        Assert.Equal(201, created.StatusCode);
        var window = Assert.Single(listed.Windows);
        Assert.Equal(("weekly", "0 2 * * 6", "2h", "Europe/Berlin", "node patching", true, "api"), (window.Id, window.Cron, window.Duration, window.TimeZone, window.Reason, window.Enabled, window.CreatedBy));
        Assert.False(window.Active);
        Assert.Equal(new DateTimeOffset(2026, 6, 6, 0, 0, 0, TimeSpan.Zero), window.NextStart);
        Assert.Equal("window-create", Assert.Single(await h.AuditRecordsAsync()).Action);
    }

    [Fact]
    public async Task Post_WindowWithoutId_GetsAGeneratedId()
    {
        var h = new PauseHarness(azurite);

        var created = Assert.IsType<ObjectResult>(await h.Windows.Windows(Request("POST", WindowsPath, """{"cron":"0 2 * * 6","duration":"PT2H","timeZone":"W. Europe Standard Time","reason":"x","enabled":false}""")));

        var view = Assert.IsType<WindowView>(created.Value);
        Assert.StartsWith("w", view.Id, StringComparison.Ordinal);
        Assert.False(view.Enabled);
    }

    [Fact]
    public async Task Post_WindowActiveNow_PausesAtOnce()
    {
        var h = new PauseHarness(azurite);

        var created = Assert.IsType<WindowView>(Assert.IsType<ObjectResult>(await h.Windows.Windows(Request("POST", WindowsPath, """{"id":"now","cron":"30 11 * * *","duration":"1h","timeZone":"UTC","reason":"patching"}"""))).Value);
        var state = await h.Table.ReadAsync(CancellationToken.None);

        Assert.True(created.Active && created.Holding);
        Assert.Equal(["window:now"], state.Holders.Keys);
        Assert.Equal(new DateTimeOffset(2026, 6, 2, 11, 30, 0, TimeSpan.Zero), state.Holders["window:now"].Since);
    }

    [Fact]
    public async Task Post_IdTaken_Is409AndChangesNothing()
    {
        var h = new PauseHarness(azurite);
        await h.Windows.Windows(Request("POST", WindowsPath, Saturday));
        var before = await h.SnapshotAsync();

        var problem = await ProblemAssert.ThrowsAsync(() => h.Windows.Windows(Request("POST", WindowsPath, Saturday)));

        Assert.Equal(409, problem.Status);
        Assert.Equal(before, await h.SnapshotAsync());
    }

    [Fact]
    public async Task Delete_WindowHoldingDuringManualPause_Is204AndRemovesOnlyItsHolder()
    {
        var h = new PauseHarness(azurite);
        await h.Windows.Windows(Request("POST", WindowsPath, """{"id":"now","cron":"30 11 * * *","duration":"1h","timeZone":"UTC","reason":"patching"}"""));
        await h.Functions.Pause(Request("POST", "/api/system/pause", """{"reason":"freeze"}"""));

        var result = await h.Windows.Window(Request("DELETE", WindowsPath + "/now"), "now");

        Assert.IsType<NoContentResult>(result);
        Assert.Empty(await h.Table.ListAsync(CancellationToken.None));
        Assert.Equal(["manual"], (await h.Table.ReadAsync(CancellationToken.None)).Holders.Keys);
    }

    [Fact]
    public async Task Delete_NoSuchWindow_Is404AndChangesNothing()
    {
        var h = new PauseHarness(azurite);

        var problem = await ProblemAssert.ThrowsAsync(() => h.Windows.Window(Request("DELETE", WindowsPath + "/ghost"), "ghost"));

        Assert.Equal(404, problem.Status);
        Assert.Equal(("rev 0: running", 0, 0), await h.SnapshotAsync());
    }

    [Fact]
    public async Task Delete_InvalidId_Is400()
    {
        var h = new PauseHarness(azurite);

        var problem = await ProblemAssert.ThrowsAsync(() => h.Windows.Window(Request("DELETE", WindowsPath + "/Bad_Id"), "Bad_Id"));

        Assert.Equal(400, problem.Status);
    }

    public static TheoryData<string, string, int> BadWindowBodies => new()
    {
        { "malformed JSON", """{"cron":"0 2 * * 6",""", 400 },
        { "unknown field", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"x","repeat":true}""", 400 },
        { "wrong type for enabled", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"x","enabled":"yes"}""", 400 },
        { "wrong type for duration", """{"cron":"0 2 * * 6","duration":7200,"timeZone":"UTC","reason":"x"}""", 400 },
        { "missing cron", """{"duration":"2h","timeZone":"UTC","reason":"x"}""", 400 },
        { "four-field cron", """{"cron":"0 2 * *","duration":"2h","timeZone":"UTC","reason":"x"}""", 400 },
        { "seven-field cron", """{"cron":"0 0 2 * * 6 2026","duration":"2h","timeZone":"UTC","reason":"x"}""", 400 },
        { "invalid cron value", """{"cron":"0 26 * * *","duration":"2h","timeZone":"UTC","reason":"x"}""", 400 },
        { "unknown time zone", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"Mars/Olympus","reason":"x"}""", 400 },
        { "unreadable duration", """{"cron":"0 2 * * 6","duration":"2 hours","timeZone":"UTC","reason":"x"}""", 400 },
        { "duration over 7 days", """{"cron":"0 2 * * 6","duration":"8d","timeZone":"UTC","reason":"x"}""", 400 },
        { "blank reason", """{"cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":" "}""", 400 },
        { "invalid id", """{"id":"Weekly!","cron":"0 2 * * 6","duration":"2h","timeZone":"UTC","reason":"x"}""", 400 },
        { "oversize body", "{\"cron\":\"0 2 * * 6\",\"duration\":\"2h\",\"timeZone\":\"UTC\",\"reason\":\"" + new string('x', 17 * 1024) + "\"}", 413 },
    };

    [Theory]
    [MemberData(nameof(BadWindowBodies))]
    public async Task Post_BadWindow_IsRefusedWithProblemAndChangesNothing(string name, string body, int status)
    {
        var h = new PauseHarness(azurite);

        var problem = await ProblemAssert.ThrowsAsync(() => h.Windows.Windows(Request("POST", WindowsPath, body)));

        Assert.True(status == problem.Status, $"{name}: expected {status}, got {problem.Status} ({problem.Detail})");
        Assert.Equal(("rev 0: running", 0, 0), await h.SnapshotAsync());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("DELETE")]
    public async Task Windows_WrongMethod_Is405(string method)
    {
        var h = new PauseHarness(azurite);
        var request = Request(method, WindowsPath, Saturday);

        var problem = await ProblemAssert.ThrowsAsync(() => h.Windows.Windows(request));

        Assert.Equal(StatusCodes.Status405MethodNotAllowed, problem.Status);
        Assert.Equal("GET, POST", request.HttpContext.Response.Headers.Allow.ToString());
        Assert.Equal(("rev 0: running", 0, 0), await h.SnapshotAsync());
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("POST")]
    public async Task Window_WrongMethod_Is405AndDeletesNothing(string method)
    {
        var h = new PauseHarness(azurite);
        await h.Windows.Windows(Request("POST", WindowsPath, Saturday));

        var problem = await ProblemAssert.ThrowsAsync(() => h.Windows.Window(Request(method, WindowsPath + "/weekly"), "weekly"));

        Assert.Equal(405, problem.Status);
        Assert.Single(await h.Table.ListAsync(CancellationToken.None));
    }
}
