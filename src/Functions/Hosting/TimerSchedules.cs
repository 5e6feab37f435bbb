namespace Thoras.Functions.Hosting;

/// <summary>
/// The app settings that hold the timer schedules (6-field NCRONTAB, seconds first), with their defaults.
/// Timer functions name them as <c>%Setting%</c>; Azure sets them from Bicep and the local host falls
/// back to these defaults when a setting is absent.
/// </summary>
public static class TimerSchedules
{
    public static IReadOnlyDictionary<string, string> Defaults { get; } = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["CollectSchedule"] = "0 */1 * * * *",
        ["ForecastSchedule"] = "0 */5 * * * *",
        ["ApplySchedule"] = "30 */1 * * * *",
        ["SyncSchedule"] = "15 */1 * * * *",
        ["HousekeepingSchedule"] = "0 7 * * * *",
    };
}
