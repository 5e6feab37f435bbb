using Microsoft.Extensions.Time.Testing;
using Thoras.Domain.Audit;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class AuditLogTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    private AuditLogTable NewLog(FakeTimeProvider? time = null) =>
        new(azurite.Tables, azurite.NewNames(), time ?? new FakeTimeProvider(Now));

    private static AuditRecord Record(DateTimeOffset at, string action = "pause", string subject = "system", string? uid = null) =>
        new(at, "manual", action, subject, "because", "running", "paused", uid);

    [Fact]
    public async Task AppendAsync_NewTable_CreatesTableAndStoresEveryField()
    {
        var log = NewLog();
        var record = new AuditRecord(Now.AddMinutes(-1), "alice", "mode-change", "shop/web", "load test", "autonomous", "recommendation", "uid-1");

        var stored = await log.AppendAsync(record, CancellationToken.None);
        var listed = await log.ListAsync(new AuditQuery(), CancellationToken.None);

        var only = Assert.Single(listed);
        Assert.Equal(stored, only);
        Assert.Equal(record with { Id = stored.Id }, only);
        Assert.NotEmpty(stored.Id);
    }

    [Fact]
    public async Task ListAsync_SeveralRecords_NewestFirst()
    {
        var log = NewLog();
        await log.AppendAsync(Record(Now.AddMinutes(-30), "pause"), CancellationToken.None);
        await log.AppendAsync(Record(Now.AddMinutes(-10), "resume"), CancellationToken.None);
        await log.AppendAsync(Record(Now.AddMinutes(-20), "pause"), CancellationToken.None);

        var listed = await log.ListAsync(new AuditQuery(), CancellationToken.None);

        Assert.Equal([Now.AddMinutes(-10), Now.AddMinutes(-20), Now.AddMinutes(-30)], listed.Select(r => r.At));
    }

    [Fact]
    public async Task AppendAsync_SameInstantTwice_KeepsBoth()
    {
        var log = NewLog();

        await log.AppendAsync(Record(Now.AddMinutes(-1)), CancellationToken.None);
        await log.AppendAsync(Record(Now.AddMinutes(-1)), CancellationToken.None);

        Assert.Equal(2, (await log.ListAsync(new AuditQuery(), CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ListAsync_AcrossMonths_ReadsEveryMonthInRange()
    {
        var log = NewLog();
        await log.AppendAsync(Record(new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero)), CancellationToken.None);
        await log.AppendAsync(Record(new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero)), CancellationToken.None);
        await log.AppendAsync(Record(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero)), CancellationToken.None);

        var listed = await log.ListAsync(new AuditQuery { Since = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) }, CancellationToken.None);

        Assert.Equal(3, listed.Count);
        Assert.Equal(3, listed[0].At.Month);
        Assert.Equal(1, listed[2].At.Month);
    }

    [Fact]
    public async Task ListAsync_SinceUntil_ExcludesRecordsOutsideRange()
    {
        var log = NewLog();
        await log.AppendAsync(Record(Now.AddHours(-3)), CancellationToken.None);
        await log.AppendAsync(Record(Now.AddHours(-2)), CancellationToken.None);
        await log.AppendAsync(Record(Now.AddHours(-1)), CancellationToken.None);

        var listed = await log.ListAsync(new AuditQuery { Since = Now.AddHours(-2), Until = Now.AddHours(-1) }, CancellationToken.None);

        Assert.Equal(Now.AddHours(-2), Assert.Single(listed).At);
    }

    [Fact]
    public async Task ListAsync_SubjectAndUidFilters_ReturnOnlyMatches()
    {
        var log = NewLog();
        await log.AppendAsync(Record(Now.AddMinutes(-3), subject: "system"), CancellationToken.None);
        await log.AppendAsync(Record(Now.AddMinutes(-2), "unenroll", "shop/web", "uid-a"), CancellationToken.None);
        await log.AppendAsync(Record(Now.AddMinutes(-1), "unenroll", "shop/api", "uid-b"), CancellationToken.None);

        var bySubject = await log.ListAsync(new AuditQuery { Subject = "shop/web" }, CancellationToken.None);
        var byUid = await log.ListAsync(new AuditQuery { TargetUid = "uid-b" }, CancellationToken.None);

        Assert.Equal("uid-a", Assert.Single(bySubject).TargetUid);
        Assert.Equal("shop/api", Assert.Single(byUid).Subject);
    }

    [Fact]
    public async Task ListAsync_Limit_StopsAtLimit()
    {
        var log = NewLog();
        for (var i = 0; i < 5; i++)
        {
            await log.AppendAsync(Record(Now.AddMinutes(-i - 1)), CancellationToken.None);
        }

        var listed = await log.ListAsync(new AuditQuery { Limit = 2 }, CancellationToken.None);

        Assert.Equal([Now.AddMinutes(-1), Now.AddMinutes(-2)], listed.Select(r => r.At));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1001)]
    public async Task ListAsync_LimitOutOfRange_Throws(int limit)
    {
        var log = NewLog();

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => log.ListAsync(new AuditQuery { Limit = limit }, CancellationToken.None));
    }

    [Fact]
    public async Task ReadPageAsync_AfterTheLastRecordOfAPage_ContinuesIntoEarlierMonths()
    {
        var log = NewLog();
        var january = new DateTimeOffset(2026, 1, 31, 23, 0, 0, TimeSpan.Zero);
        var february = new DateTimeOffset(2026, 2, 10, 0, 0, 0, TimeSpan.Zero);
        var march = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var at in new[] { january, february, march })
            await log.AppendAsync(Record(at), CancellationToken.None);
        var query = new AuditQuery { Since = january.AddDays(-1), Limit = 2 };

        var first = await log.ReadPageAsync(query, CancellationToken.None);
        var second = await log.ReadPageAsync(query with { After = first.Records[^1].Id }, CancellationToken.None);

        Assert.Equal([march, february, january], first.Records.Concat(second.Records).Select(r => r.At));
        Assert.Equal((true, false), (first.HasMore, second.HasMore));
    }

    [Fact]
    public async Task ReadPageAsync_SameInstantAcrossAPageBoundary_ReadsEachRecordOnce()
    {
        var log = NewLog();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
            ids.Add((await log.AppendAsync(Record(Now.AddMinutes(-1)), CancellationToken.None)).Id);

        var first = await log.ReadPageAsync(new AuditQuery { Limit = 2 }, CancellationToken.None);
        var second = await log.ReadPageAsync(new AuditQuery { Limit = 2, After = first.Records[^1].Id }, CancellationToken.None);

        Assert.Equal(ids.Order(StringComparer.Ordinal), first.Records.Concat(second.Records).Select(r => r.Id).Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("202613/9999999999999999999-0123456789abcdef0123456789abcdef")]
    [InlineData("202603/99-0123456789abcdef0123456789abcdef")]
    public async Task ReadPageAsync_AfterIsNotARecordId_ThrowsFormatException(string after)
    {
        var log = NewLog();

        await Assert.ThrowsAsync<FormatException>(() => log.ReadPageAsync(new AuditQuery { After = after }, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_ActorAndActionFilters_ReturnOnlyMatches()
    {
        var log = NewLog();
        await log.AppendAsync(Record(Now.AddMinutes(-3)) with { Actor = "bob" }, CancellationToken.None);
        await log.AppendAsync(Record(Now.AddMinutes(-2), "resume") with { Actor = "bob" }, CancellationToken.None);
        await log.AppendAsync(Record(Now.AddMinutes(-1)), CancellationToken.None);

        var listed = await log.ListAsync(new AuditQuery { Actor = "bob", Action = "pause" }, CancellationToken.None);

        Assert.Equal(Now.AddMinutes(-3), Assert.Single(listed).At);
    }

    [Fact]
    public async Task ListAsync_NoTableYet_ReturnsEmpty()
    {
        var log = NewLog();

        Assert.Empty(await log.ListAsync(new AuditQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_MissingActor_RefusesAndStoresNothing()
    {
        var log = NewLog();

        await Assert.ThrowsAsync<ArgumentException>(() => log.AppendAsync(Record(Now) with { Actor = " " }, CancellationToken.None));

        Assert.Empty(await log.ListAsync(new AuditQuery(), CancellationToken.None));
    }

    [Fact]
    public async Task AppendAllAsync_RecordsAcrossTwoMonthsAndMoreThanOneBatch_AllStoredWithIds()
    {
        var log = NewLog();
        var records = Enumerable.Range(0, 130).Select(i => Record(Now.AddMinutes(-i - 1), "apply-vertical", $"shop/t{i}")).Append(Record(new DateTimeOffset(2026, 2, 27, 9, 0, 0, TimeSpan.Zero))).ToList();

        var stored = await log.AppendAllAsync(records, CancellationToken.None);
        var listed = await log.ListAsync(new AuditQuery { Since = Now.AddDays(-30), Limit = 1000 }, CancellationToken.None);

        Assert.Equal(131, listed.Count);
        Assert.Equal(records.Select(r => r.Subject), stored.Select(r => r.Subject));
        Assert.All(stored, r => Assert.NotEmpty(r.Id));
        Assert.Equal(stored.Select(r => r.Id).Order(StringComparer.Ordinal), listed.Select(r => r.Id).Order(StringComparer.Ordinal));
    }
}
