using System.Globalization;
using Azure;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Audit;
using Thoras.Domain.Pause;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class SystemStateTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);
    private readonly FakeTimeProvider _time = new(Now);

    private (SystemStateTable Table, AuditLogTable Audit) NewStore()
    {
        var names = azurite.NewNames();
        var audit = new AuditLogTable(azurite.Tables, names, _time);
        return (new SystemStateTable(azurite.Tables, names, audit, _time), audit);
    }

    private static MaintenanceWindow Window(string id) =>
        MaintenanceWindow.Define(id, "0 2 * * 6", TimeSpan.FromHours(2), "Europe/Berlin", "patching", true, "alice", Now);

    private static Task<IReadOnlyList<AuditRecord>> SystemRecords(AuditLogTable audit) =>
        audit.ListAsync(new AuditQuery { Subject = "system", Since = Now.AddDays(-1), Until = Now.AddDays(1), Limit = 1000 }, CancellationToken.None);

    [Fact]
    public async Task ReadAsync_NothingStored_IsRunning()
    {
        var (table, _) = NewStore();

        var state = await table.ReadAsync(CancellationToken.None);

        Assert.False(state.IsPaused);
        Assert.Equal(0, state.Revision);
    }

    [Fact]
    public async Task UpdateAsync_Pause_StoresHoldersAndAppendsAuditRecord()
    {
        var (table, audit) = NewStore();

        await table.UpdateAsync(s => s.Pause("alice", "deploy freeze", Now), CancellationToken.None);
        var state = await table.ReadAsync(CancellationToken.None);
        var records = await SystemRecords(audit);

        Assert.Equal(new PauseHolder("manual", "alice", "deploy freeze", Now), state.Holders["manual"]);
        Assert.Equal(1, state.Revision);
        var record = Assert.Single(records);
        Assert.Equal(("alice", "pause", "deploy freeze", "rev 0: running", "rev 1: paused by manual"), (record.Actor, record.Action, record.Reason, record.Previous, record.Current));
    }

    [Fact]
    public async Task UpdateAsync_SkippedWindowAndChangeInfo_RoundTrip()
    {
        var (table, _) = NewStore();
        var start = Now.AddMinutes(-30);

        await table.UpdateAsync(s => s.Pause("alice", "x", Now).Then(p => p.ForceResume("bob", "hotfix", Now, new Dictionary<string, DateTimeOffset> { ["nightly"] = start }, false)), CancellationToken.None);
        var state = await table.ReadAsync(CancellationToken.None);

        Assert.Equal(start, state.SkippedWindows["nightly"]);
        Assert.Equal(("bob", Now, "hotfix", 2L), (state.ChangedBy, state.ChangedAt!.Value, state.ChangeReason, state.Revision));
    }

    [Fact]
    public async Task UpdateAsync_NothingChanges_WritesNoAuditRecord()
    {
        var (table, audit) = NewStore();

        var transition = await table.UpdateAsync(s => s.Resume("alice", null, Now), CancellationToken.None);

        Assert.False(transition.Changed);
        Assert.Empty(await SystemRecords(audit));
    }

    [Fact]
    public async Task UpdateAsync_FiftyConcurrentCalls_LoseNoHolderAndMatchTheAuditLog()
    {
        var (table, audit) = NewStore();

        // 25 callers each add their own holder; 25 others pause and resume manually, racing on the same row.
        var calls = Enumerable.Range(0, 50).Select(i => Task.Run(() => i % 2 == 0
            ? table.UpdateAsync(s => s.Hold(new PauseHolder(PauseHolder.Window("w" + i.ToString(CultureInfo.InvariantCulture)), "window", null, Now), "window-start", Now), CancellationToken.None)
            : i % 4 == 1
                ? table.UpdateAsync(s => s.Pause("caller" + i.ToString(CultureInfo.InvariantCulture), null, Now), CancellationToken.None)
                : table.UpdateAsync(s => s.Resume("caller" + i.ToString(CultureInfo.InvariantCulture), null, Now), CancellationToken.None)));
        var transitions = await Task.WhenAll(calls);
        var state = await table.ReadAsync(CancellationToken.None);
        var records = (await SystemRecords(audit)).OrderBy(r => Revision(r.Current)).ToList();

        var windowHolders = state.Holders.Keys.Where(k => k.StartsWith("window:", StringComparison.Ordinal)).ToList();
        Assert.Equal(25, windowHolders.Count);
        Assert.Equal(transitions.Sum(t => t.Records.Count), records.Count);
        Assert.Equal(Enumerable.Range(1, (int)state.Revision).Select(r => (long)r), records.Select(r => Revision(r.Current)));
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].Current, records[i].Previous);
        }

        Assert.Equal(state.Describe(), records[^1].Current);
    }

    [Fact]
    public async Task UpdateAsync_AuditLogUnavailable_KeepsRecordInOutboxUntilDrained()
    {
        var names = azurite.NewNames();
        var failing = new Mock<IAuditLog>();
        failing.Setup(a => a.AppendAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>())).ThrowsAsync(new RequestFailedException(503, "audit table unavailable"));
        var audit = new AuditLogTable(azurite.Tables, names, _time);
        var crashed = new SystemStateTable(azurite.Tables, names, failing.Object, _time);
        var recovered = new SystemStateTable(azurite.Tables, names, audit, _time);

        await crashed.UpdateAsync(s => s.Pause("alice", "freeze", Now), CancellationToken.None);
        var youngRows = await recovered.DrainOutboxAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        _time.Advance(TimeSpan.FromMinutes(3));
        var delivered = await recovered.DrainOutboxAsync(TimeSpan.FromMinutes(2), CancellationToken.None);
        var again = await recovered.DrainOutboxAsync(TimeSpan.FromMinutes(2), CancellationToken.None);

        Assert.True((await recovered.ReadAsync(CancellationToken.None)).IsPaused);
        Assert.Equal((0, 1, 0), (youngRows, delivered, again));
        Assert.Equal("pause", Assert.Single(await SystemRecords(audit)).Action);
    }

    [Fact]
    public async Task AddAsync_NewWindow_IsListedWithEveryFieldAndAudited()
    {
        var (table, audit) = NewStore();
        var window = Window("nightly");

        var added = await table.AddAsync(window, new AuditRecord(Now, "alice", "window-create", "system", "patching"), CancellationToken.None);
        var listed = Assert.Single(await table.ListAsync(CancellationToken.None));

        Assert.True(added);
        Assert.Equal(
            (window.Id, window.Cron, window.Duration, window.TimeZone, window.Reason, window.Enabled, window.CreatedBy, window.CreatedAt),
            (listed.Id, listed.Cron, listed.Duration, listed.TimeZone, listed.Reason, listed.Enabled, listed.CreatedBy, listed.CreatedAt));
        Assert.Equal("window-create", Assert.Single(await SystemRecords(audit)).Action);
    }

    [Fact]
    public async Task AddAsync_IdTaken_RefusesAndAuditsNothingMore()
    {
        var (table, audit) = NewStore();
        await table.AddAsync(Window("nightly"), new AuditRecord(Now, "alice", "window-create", "system"), CancellationToken.None);

        var added = await table.AddAsync(Window("nightly"), new AuditRecord(Now, "bob", "window-create", "system"), CancellationToken.None);

        Assert.False(added);
        Assert.Single(await SystemRecords(audit));
    }

    [Fact]
    public async Task DeleteAsync_ExistingWindow_RemovesItAndAudits()
    {
        var (table, audit) = NewStore();
        await table.AddAsync(Window("nightly"), new AuditRecord(Now, "alice", "window-create", "system"), CancellationToken.None);
        await table.AddAsync(Window("weekly"), new AuditRecord(Now, "alice", "window-create", "system"), CancellationToken.None);

        var deleted = await table.DeleteAsync("nightly", new AuditRecord(Now, "bob", "window-delete", "system"), CancellationToken.None);

        Assert.True(deleted);
        Assert.Equal(["weekly"], (await table.ListAsync(CancellationToken.None)).Select(w => w.Id));
        Assert.Equal(3, (await SystemRecords(audit)).Count);
    }

    [Fact]
    public async Task DeleteAsync_NoSuchWindow_ReturnsFalseAndAuditsNothing()
    {
        var (table, audit) = NewStore();

        var deleted = await table.DeleteAsync("ghost", new AuditRecord(Now, "bob", "window-delete", "system"), CancellationToken.None);

        Assert.False(deleted);
        Assert.Empty(await SystemRecords(audit));
    }

    private static long Revision(string? described) =>
        long.Parse(described!.Split(':')[0]["rev ".Length..], CultureInfo.InvariantCulture);
}
