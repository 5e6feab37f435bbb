using Cronos;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Thoras.Functions.Hosting;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// Runs timer functions on their NCRONTAB schedules (UTC, like the Functions host's default), one loop
/// per function so a slow timer never delays another and never overlaps itself.
/// </summary>
public sealed class TimerScheduler(
    FunctionCatalog catalog,
    FunctionInvoker invoker,
    IServiceProvider services,
    IConfiguration configuration,
    TimeProvider time,
    ILogger<TimerScheduler> logger) : BackgroundService
{
    /// <summary>Resolves <c>%Setting%</c> from configuration, falling back to <see cref="TimerSchedules.Defaults"/>, and parses it.</summary>
    public static CronExpression ResolveSchedule(string schedule, IConfiguration configuration)
    {
        var expression = schedule;
        if (schedule.StartsWith('%') && schedule.EndsWith('%') && schedule.Length > 2)
        {
            var setting = schedule[1..^1];
            expression = configuration[setting] ?? (TimerSchedules.Defaults.TryGetValue(setting, out var fallback) ? fallback
                : throw new InvalidOperationException($"The timer schedule setting '{setting}' is not set and has no default."));
        }

        var fields = expression.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
        try
        {
            return CronExpression.Parse(expression, fields == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException ex)
        {
            throw new InvalidOperationException($"The timer schedule '{expression}' ({schedule}) is not a valid cron expression: {ex.Message}", ex);
        }
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(catalog.Timers.Select(t => RunAsync(t, ResolveSchedule(t.Schedule, configuration), stoppingToken)));

    private async Task RunAsync(TimerFunction function, CronExpression schedule, CancellationToken stoppingToken)
    {
        logger.LogInformation("Timer {Function} scheduled by {Schedule}", function.Name, schedule.ToString());
        if (function.RunOnStartup)
        {
            await invoker.InvokeTimerAsync(services, function, isPastDue: false, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.GetNextOccurrence(now.UtcDateTime, TimeZoneInfo.Utc);
            if (next is null)
            {
                return;
            }

            try
            {
                await Task.Delay(next.Value - now.UtcDateTime, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            var late = time.GetUtcNow().UtcDateTime - next.Value > TimeSpan.FromMinutes(1);
            await invoker.InvokeTimerAsync(services, function, late, stoppingToken);
        }
    }
}
