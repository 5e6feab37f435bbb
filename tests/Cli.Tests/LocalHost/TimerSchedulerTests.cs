using Microsoft.Extensions.Configuration;
using Thoras.Cli.LocalHost;
using Xunit;

namespace Thoras.Cli.Tests.LocalHost;

public sealed class TimerSchedulerTests
{
    private static IConfiguration Settings(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void ResolveSchedule_SettingAbsent_UsesDefault()
    {
        var schedule = TimerScheduler.ResolveSchedule("%SyncSchedule%", Settings());

        var next = schedule.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2026, 1, 1, 0, 0, 15, DateTimeKind.Utc), next);
    }

    [Fact]
    public void ResolveSchedule_SettingPresent_UsesSetting()
    {
        var schedule = TimerScheduler.ResolveSchedule("%SyncSchedule%", Settings(("SyncSchedule", "0 0 */2 * * *")));

        var next = schedule.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 30, 0, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2026, 1, 1, 2, 0, 0, DateTimeKind.Utc), next);
    }

    [Fact]
    public void ResolveSchedule_FiveFields_ParsesStandardCron()
    {
        var schedule = TimerScheduler.ResolveSchedule("*/10 * * * *", Settings());

        var next = schedule.GetNextOccurrence(new DateTime(2026, 1, 1, 0, 1, 0, DateTimeKind.Utc));

        Assert.Equal(new DateTime(2026, 1, 1, 0, 10, 0, DateTimeKind.Utc), next);
    }

    [Fact]
    public void ResolveSchedule_UnknownSetting_SaysWhichSetting()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TimerScheduler.ResolveSchedule("%NoSuchSchedule%", Settings()));

        Assert.Contains("NoSuchSchedule", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveSchedule_InvalidExpression_SaysItIsInvalid()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => TimerScheduler.ResolveSchedule("%SyncSchedule%", Settings(("SyncSchedule", "every minute"))));

        Assert.Contains("not a valid cron expression", ex.Message, StringComparison.Ordinal);
    }
}
