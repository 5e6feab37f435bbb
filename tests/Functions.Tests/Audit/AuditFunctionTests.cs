using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Time.Testing;
using Thoras.Domain.Audit;
using Thoras.Functions.Audit;
using Thoras.Functions.Http;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Functions.Tests.Audit;

public sealed class AuditFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 6, 2, 12, 0, 0, TimeSpan.Zero);

    private readonly AuditLogTable _log = new(azurite.Tables, azurite.NewNames(), new FakeTimeProvider(Now));

    private AuditFunction Function => new(_log);

    private static HttpRequest Get(string query, string method = "GET")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = "/api/audit";
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    private async Task<AuditList> ListAsync(string query)
    {
        var ok = Assert.IsType<OkObjectResult>(await Function.Run(Get(query), CancellationToken.None));
        return Assert.IsType<AuditList>(ok.Value);
    }

    private async Task AppendAsync(int minutesAgo, string actor = "alice", string action = "pause", string subject = "system", string? uid = null) =>
        await _log.AppendAsync(new AuditRecord(Now.AddMinutes(-minutesAgo), actor, action, subject, "why", null, null, uid), CancellationToken.None);

    [Fact]
    public async Task Run_MoreRecordsThanLimit_PagesNewestFirstWithoutGapsOrRepeats()
    {
        for (var i = 1; i <= 5; i++)
            await AppendAsync(i);

        var first = await ListAsync("?limit=2");
        var second = await ListAsync("?limit=2&continue=" + first.Continue);
        var third = await ListAsync("?limit=2&continue=" + second.Continue);

        var read = first.Records.Concat(second.Records).Concat(third.Records).Select(r => r.At);
        Assert.Equal(Enumerable.Range(1, 5).Select(i => Now.AddMinutes(-i)), read);
        Assert.Null(third.Continue);
    }

    [Fact]
    public async Task Run_PageEndsExactlyAtTheLastRecord_HasNoContinue()
    {
        await AppendAsync(1);
        await AppendAsync(2);

        var page = await ListAsync("?limit=2");

        Assert.Equal(2, page.Records.Count);
        Assert.Null(page.Continue);
    }

    [Fact]
    public async Task Run_RecordAddedBetweenPages_DoesNotShiftTheNextPage()
    {
        for (var i = 1; i <= 4; i++)
            await AppendAsync(i * 10);
        var first = await ListAsync("?limit=2");

        await AppendAsync(0);
        var second = await ListAsync("?limit=2&continue=" + first.Continue);

        Assert.Equal([Now.AddMinutes(-30), Now.AddMinutes(-40)], second.Records.Select(r => r.At));
    }

    [Fact]
    public async Task Run_FilteredPages_ContinueWithinTheFilter()
    {
        for (var i = 1; i <= 6; i++)
            await AppendAsync(i, actor: i % 2 == 0 ? "bob" : "alice");

        var first = await ListAsync("?actor=bob&limit=2");
        var second = await ListAsync("?actor=bob&limit=2&continue=" + first.Continue);

        Assert.Equal([Now.AddMinutes(-2), Now.AddMinutes(-4), Now.AddMinutes(-6)], first.Records.Concat(second.Records).Select(r => r.At));
        Assert.All(first.Records.Concat(second.Records), r => Assert.Equal("bob", r.Actor));
        Assert.Null(second.Continue);
    }

    [Fact]
    public async Task Run_TargetFilter_ReturnsOnlyThatTarget()
    {
        await AppendAsync(1, action: "unenroll", subject: "shop/web", uid: "uid-web");
        await AppendAsync(2, action: "unenroll", subject: "shop/api", uid: "uid-api");

        var page = await ListAsync("?target=shop/api");

        Assert.Equal("uid-api", Assert.Single(page.Records).TargetUid);
    }

    [Fact]
    public async Task Run_UidAndActionFilters_ReturnOnlyMatches()
    {
        await AppendAsync(1, action: "mode-change", subject: "shop/web", uid: "uid-web");
        await AppendAsync(2, action: "unenroll", subject: "shop/web", uid: "uid-web");
        await AppendAsync(3, action: "unenroll", subject: "shop/api", uid: "uid-api");

        var page = await ListAsync("?uid=uid-web&action=unenroll");

        Assert.Equal(Now.AddMinutes(-2), Assert.Single(page.Records).At);
    }

    [Fact]
    public async Task Run_SinceAndUntil_ReturnOnlyTheRange()
    {
        await AppendAsync(180);
        await AppendAsync(120);
        await AppendAsync(60);

        var page = await ListAsync("?since=2026-06-02T09:30:00Z&until=2026-06-02T12:30:00%2B02:00");

        Assert.Equal([Now.AddMinutes(-120)], page.Records.Select(r => r.At));
    }

    [Theory]
    [InlineData("?limit=0", "Invalid limit")]
    [InlineData("?limit=1001", "Invalid limit")]
    [InlineData("?limit=two", "Invalid limit")]
    [InlineData("?limit=1&limit=2", "Repeated query parameter")]
    [InlineData("?subject=system", "Unknown query parameter")]
    [InlineData("?target=shop", "Invalid target")]
    [InlineData("?target=Shop/web", "Invalid namespace")]
    [InlineData("?target=shop/web_1", "Invalid name")]
    [InlineData("?uid=a%20b", "Invalid uid")]
    [InlineData("?action=Pause", "Invalid action")]
    [InlineData("?actor=a%0Ab", "Invalid actor")]
    [InlineData("?since=yesterday", "Invalid since")]
    [InlineData("?until=2026-06-02T12:00:00", "Invalid until")]
    [InlineData("?since=2026-06-02T12:00:00Z&until=2026-06-01T12:00:00Z", "Invalid time range")]
    [InlineData("?since=2026-06-03T12:00:00Z", "Invalid time range")]
    [InlineData("?continue=not*base64", "Invalid continue token")]
    [InlineData("?continue=aGVsbG8", "Invalid continue token")]
    public async Task Run_InvalidQuery_Refuses400(string query, string title)
    {
        await AppendAsync(1);

        var problem = await Assert.ThrowsAsync<ProblemException>(() => Function.Run(Get(query), CancellationToken.None));

        Assert.Equal((StatusCodes.Status400BadRequest, title), (problem.Status, problem.Title));
    }

    [Fact]
    public async Task Run_Post_Refuses405()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Function.Run(Get(string.Empty, "POST"), CancellationToken.None));

        Assert.Equal(StatusCodes.Status405MethodNotAllowed, problem.Status);
    }

    [Fact]
    public async Task Run_NoRecords_ReturnsAnEmptyLastPage()
    {
        var page = await ListAsync(string.Empty);

        Assert.Empty(page.Records);
        Assert.Null(page.Continue);
    }
}
