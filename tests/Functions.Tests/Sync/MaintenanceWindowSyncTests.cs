using Thoras.Domain.Pause;
using Thoras.Functions.Tests.Pause;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Functions.Tests.Sync;

/// <summary>
/// The maintenance window sync step over real Table Storage, ticking a fake clock every 15 minutes across a
/// daylight-saving change and reading back from the audit log when the window's holder came and went.
/// </summary>
public sealed class MaintenanceWindowSyncTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    private static async Task<IReadOnlyList<(string Action, DateTimeOffset Local)>> TickAcrossAsync(PauseHarness h, MaintenanceWindow window, DateTimeOffset from, DateTimeOffset to)
    {
        await h.Table.AddAsync(window, new Domain.Audit.AuditRecord(from, "alice", "window-create", "system"), CancellationToken.None);
        var step = new MaintenanceWindowSyncStep(h.Service);
        while (h.Time.GetUtcNow() < to)
        {
            await step.RunAsync(CancellationToken.None);
            h.Time.Advance(TimeSpan.FromMinutes(15));
        }

        return [.. (await h.AuditRecordsAsync(from))
            .Where(r => r.Action is "window-start" or "window-end")
            .Reverse()
            .Select(r => (r.Action, TimeZoneInfo.ConvertTime(r.At, NewYork)))];
    }

    [Fact]
    public async Task SyncTicks_AcrossSpringForward_OpenAtLocalStartEachDayAndJumpWithTheClock()
    {
        var from = new DateTimeOffset(2026, 3, 7, 0, 0, 0, TimeSpan.Zero);
        var h = new PauseHarness(azurite, start: from);
        var window = MaintenanceWindow.Define("nightly", "30 2 * * *", TimeSpan.FromHours(1), "America/New_York", "patching", true, "alice", PauseHarness.Now);

        var changes = await TickAcrossAsync(h, window, from, new DateTimeOffset(2026, 3, 9, 12, 0, 0, TimeSpan.Zero));

        // 2026-03-08: 02:30 does not exist in New York; the window opens when the clock jumps to 03:00 EDT.
        Assert.Equal(
            [
                ("window-start", "2026-03-07 02:30 -05:00"), ("window-end", "2026-03-07 03:30 -05:00"),
                ("window-start", "2026-03-08 03:00 -04:00"), ("window-end", "2026-03-08 04:00 -04:00"),
                ("window-start", "2026-03-09 02:30 -04:00"), ("window-end", "2026-03-09 03:30 -04:00"),
            ],
            changes.Select(c => (c.Action, c.Local.ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public async Task SyncTicks_AcrossFallBack_OpenOnceInTheRepeatedHour()
    {
        var from = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
        var h = new PauseHarness(azurite, start: from);
        var window = MaintenanceWindow.Define("nightly", "30 1 * * *", TimeSpan.FromMinutes(30), "America/New_York", "patching", true, "alice", PauseHarness.Now);

        var changes = await TickAcrossAsync(h, window, from, new DateTimeOffset(2026, 11, 2, 0, 0, 0, TimeSpan.Zero));

        // 01:30 happens twice on 2026-11-01 (EDT, then EST); the window opens only at the first, and 30 elapsed
        // minutes later the clock reads 01:00 EST.
        Assert.Equal(
            [("window-start", "2026-11-01 01:30 -04:00"), ("window-end", "2026-11-01 01:00 -05:00")],
            changes.Select(c => (c.Action, c.Local.ToString("yyyy-MM-dd HH:mm zzz", System.Globalization.CultureInfo.InvariantCulture))));
    }
}
