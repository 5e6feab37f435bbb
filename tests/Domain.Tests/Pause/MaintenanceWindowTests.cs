using Thoras.Domain.Pause;
using Xunit;

namespace Thoras.Domain.Tests.Pause;

public sealed class MaintenanceWindowTests
{
    private static DateTimeOffset Utc(int month, int day, int hour, int minute) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    /// <summary>A window, a moment, and the start (UTC) of the occurrence active then, or null when none is.</summary>
    public sealed record Case(string Name, MaintenanceWindow Window, DateTimeOffset Now, DateTimeOffset? ActiveStart)
    {
        public override string ToString() => Name;
    }

    public static TheoryData<Case> Cases => new()
    {
        // New York springs forward on 2026-03-08 at 02:00 EST to 03:00 EDT: 02:30 does not exist that day.
        new("NY 02:30 the day before spring-forward is 07:30 UTC (EST)", new WindowBuilder().WithCron("30 2 * * *").InZone("America/New_York").Build(), Utc(3, 7, 7, 45), Utc(3, 7, 7, 30)),
        new("NY 02:30 on spring-forward day fires when the clock jumps, 03:00 EDT = 07:00 UTC", new WindowBuilder().WithCron("30 2 * * *").InZone("America/New_York").Build(), Utc(3, 8, 7, 10), Utc(3, 8, 7, 0)),
        new("NY 02:30 the day after spring-forward is 06:30 UTC (EDT)", new WindowBuilder().WithCron("30 2 * * *").InZone("America/New_York").Build(), Utc(3, 9, 6, 45), Utc(3, 9, 6, 30)),
        new("NY 02:30 the day after spring-forward is not active at the old UTC time + 1h", new WindowBuilder().WithCron("30 2 * * *").InZone("America/New_York").Build(), Utc(3, 9, 7, 45), null),
        // New York falls back on 2026-11-01 at 02:00 EDT to 01:00 EST: 01:30 happens twice.
        new("NY 01:30 on fall-back day fires at the first 01:30 (EDT, 05:30 UTC)", new WindowBuilder().WithCron("30 1 * * *").InZone("America/New_York").WithDuration(TimeSpan.FromMinutes(30)).Build(), Utc(11, 1, 5, 45), Utc(11, 1, 5, 30)),
        new("NY 01:30 on fall-back day does not fire again at the second 01:30 (EST, 06:30 UTC)", new WindowBuilder().WithCron("30 1 * * *").InZone("America/New_York").WithDuration(TimeSpan.FromMinutes(30)).Build(), Utc(11, 1, 6, 45), null),
        new("NY 01:00 for 2h on fall-back day lasts two elapsed hours, to 07:00 UTC", new WindowBuilder().WithCron("0 1 * * *").InZone("America/New_York").WithDuration(TimeSpan.FromHours(2)).Build(), Utc(11, 1, 6, 59), Utc(11, 1, 5, 0)),
        new("NY 01:00 for 2h on fall-back day is over at 07:00 UTC", new WindowBuilder().WithCron("0 1 * * *").InZone("America/New_York").WithDuration(TimeSpan.FromHours(2)).Build(), Utc(11, 1, 7, 0), null),
        new("Windows zone id gives the same spring-forward behaviour", new WindowBuilder().WithCron("30 2 * * *").InZone("Eastern Standard Time").Build(), Utc(3, 8, 7, 10), Utc(3, 8, 7, 0)),
        // Berlin springs forward on 2026-03-29 at 02:00 CET to 03:00 CEST.
        new("Berlin 03:00 on spring-forward day is 01:00 UTC", new WindowBuilder().WithCron("0 3 * * *").InZone("Europe/Berlin").Build(), Utc(3, 29, 1, 30), Utc(3, 29, 1, 0)),
        new("Berlin 03:00 the day before is 02:00 UTC", new WindowBuilder().WithCron("0 3 * * *").InZone("Europe/Berlin").Build(), Utc(3, 28, 2, 30), Utc(3, 28, 2, 0)),
        new("six-field cron with seconds", new WindowBuilder().WithCron("30 0 2 * * *").Build(), Utc(6, 2, 2, 0).AddSeconds(45), Utc(6, 2, 2, 0).AddSeconds(30)),
        new("start instant is inside the window", new WindowBuilder().Build(), Utc(6, 2, 2, 0), Utc(6, 2, 2, 0)),
        new("end instant is outside the window", new WindowBuilder().Build(), Utc(6, 2, 3, 0), null),
        new("disabled window is never active", new WindowBuilder().Disabled().Build(), Utc(6, 2, 2, 30), null),
        new("weekday cron is inactive on other days (2026-06-02 is a Tuesday)", new WindowBuilder().WithCron("0 2 * * 6").Build(), Utc(6, 2, 2, 30), null),
        new("overlapping occurrences keep the latest start", new WindowBuilder().WithCron("0 * * * *").WithDuration(TimeSpan.FromHours(3)).Build(), Utc(6, 2, 5, 30), Utc(6, 2, 5, 0)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void ActiveOccurrence_AtMoment_IsExpected(Case c)
    {
        var occurrence = c.Window.ActiveOccurrence(c.Now);

        Assert.Equal(c.ActiveStart, occurrence?.Start);
        if (occurrence is not null)
        {
            Assert.Equal(occurrence.Start + c.Window.Duration, occurrence.End);
        }
    }

    [Fact]
    public void NextOccurrence_AcrossSpringForward_KeepsLocalWallClockTime()
    {
        var window = new WindowBuilder().WithCron("0 9 * * *").InZone("America/New_York").Build();
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

        var before = window.NextOccurrence(Utc(3, 7, 0, 0))!.Start;
        var after = window.NextOccurrence(Utc(3, 8, 0, 0))!.Start;

        Assert.Equal(Utc(3, 7, 14, 0), before);
        Assert.Equal(Utc(3, 8, 13, 0), after);
        Assert.Equal(9, TimeZoneInfo.ConvertTime(before, zone).Hour);
        Assert.Equal(9, TimeZoneInfo.ConvertTime(after, zone).Hour);
    }

    public static TheoryData<string, string, TimeSpan, string, string> InvalidDefinitions => new()
    {
        { "Nightly", "0 2 * * *", TimeSpan.FromHours(1), "UTC", "id" },
        { "nightly", "0 2 * *", TimeSpan.FromHours(1), "UTC", "cron" },
        { "nightly", "0 0 2 * * * *", TimeSpan.FromHours(1), "UTC", "cron" },
        { "nightly", "0 25 * * *", TimeSpan.FromHours(1), "UTC", "cron" },
        { "nightly", "0 2 * * *", TimeSpan.Zero, "UTC", "duration" },
        { "nightly", "0 2 * * *", TimeSpan.FromDays(8), "UTC", "duration" },
        { "nightly", "0 2 * * *", TimeSpan.FromHours(1), "Mars/Olympus_Mons", "timeZone" },
        { "nightly", "0 2 * * *", TimeSpan.FromHours(1), "", "timeZone" },
    };

    [Theory]
    [MemberData(nameof(InvalidDefinitions))]
    public void Define_InvalidField_ThrowsNamingTheField(string id, string cron, TimeSpan duration, string zone, string field)
    {
        var ex = Assert.Throws<InvalidMaintenanceWindowException>(() => MaintenanceWindow.Define(id, cron, duration, zone, "patching", true, "alice", DateTimeOffset.UnixEpoch));

        Assert.Equal(field, ex.Field);
    }

    [Fact]
    public void Define_BlankReason_ThrowsForReason()
    {
        var ex = Assert.Throws<InvalidMaintenanceWindowException>(() => MaintenanceWindow.Define("nightly", "0 2 * * *", TimeSpan.FromHours(1), "UTC", " ", true, "alice", DateTimeOffset.UnixEpoch));

        Assert.Equal("reason", ex.Field);
    }

    [Theory]
    [InlineData("90m", 90 * 60)]
    [InlineData("2h", 2 * 3600)]
    [InlineData("1h30m", 90 * 60)]
    [InlineData("1d", 86400)]
    [InlineData("45s", 45)]
    [InlineData("PT2H", 2 * 3600)]
    [InlineData("PT1H30M", 90 * 60)]
    public void WindowDuration_ValidText_Parses(string text, int seconds)
    {
        Assert.True(WindowDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromSeconds(seconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2 hours")]
    [InlineData("h")]
    [InlineData("-1h")]
    [InlineData("P")]
    [InlineData("PTXH")]
    public void WindowDuration_InvalidText_IsRefused(string text)
    {
        Assert.False(WindowDuration.TryParse(text, out _));
    }
}
