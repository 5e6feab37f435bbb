using System.Diagnostics;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Sync;
using Thoras.Domain.Telemetry;

namespace Thoras.Functions.Sync;

/// <summary>
/// The sync timer (app setting <c>SyncSchedule</c>, default in <see cref="Hosting.TimerSchedules"/>: every minute at
/// second 15, clear of the apply timer): runs every registered
/// <see cref="ISyncStep"/> in order, each isolated so one failing step does not stop the others, and logs a summary.
/// </summary>
public sealed class SyncFunction(IEnumerable<ISyncStep> steps, ILogger<SyncFunction> logger)
{
    [Function("Sync")]
    public Task Run([TimerTrigger("%SyncSchedule%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunStepsAsync(cancellationToken);

    /// <summary>Runs every step once and returns what each did.</summary>
    public async Task<IReadOnlyList<SyncStepResult>> RunStepsAsync(CancellationToken cancellationToken)
    {
        var results = new List<SyncStepResult>();
        foreach (var step in steps)
        {
            var clock = Stopwatch.StartNew();
            try
            {
                var summary = await step.RunAsync(cancellationToken);
                results.Add(new SyncStepResult(step.Name, true, summary, clock.Elapsed));
                ThorasMetrics.StepRan("sync", step.Name, clock.Elapsed, succeeded: true);
                logger.LogInformation("Sync step {Step} succeeded in {ElapsedMs} ms: {Summary}", step.Name, clock.ElapsedMilliseconds, summary);
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                results.Add(new SyncStepResult(step.Name, false, ex.Message, clock.Elapsed));
                ThorasMetrics.StepRan("sync", step.Name, clock.Elapsed, succeeded: false);
                logger.LogError(ex, "Sync step {Step} failed after {ElapsedMs} ms", step.Name, clock.ElapsedMilliseconds);
            }
        }

        var failed = results.Where(r => !r.Succeeded).Select(r => r.Step).ToList();
        if (failed.Count == 0)
        {
            logger.LogInformation("Sync finished: {Succeeded} of {Total} steps succeeded", results.Count, results.Count);
        }
        else
        {
            logger.LogError("Sync finished: {Succeeded} of {Total} steps succeeded; failed: {FailedSteps}", results.Count - failed.Count, results.Count, string.Join(", ", failed));
        }

        return results;
    }
}

/// <summary>What one sync step did: its summary when it succeeded, the error when it failed.</summary>
public sealed record SyncStepResult(string Step, bool Succeeded, string Summary, TimeSpan Elapsed);
