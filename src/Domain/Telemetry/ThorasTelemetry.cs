using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Reflection;

namespace Thoras.Domain.Telemetry;

/// <summary>
/// The app's one <see cref="Meter"/> and one <see cref="ActivitySource"/>, both named <see cref="Name"/>. They are
/// the BCL's own types, so the domain records metrics and spans without any OpenTelemetry package; the hosts
/// subscribe to <see cref="Name"/> and export what is recorded (docs/observability.md).
/// </summary>
public static class ThorasTelemetry
{
    /// <summary>The name of the meter and of the activity source.</summary>
    public const string Name = "Thoras";

    private static readonly string? Version =
        typeof(ThorasTelemetry).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    /// <summary>Every span the app starts: one per tick of a timer, one per target inside it.</summary>
    public static ActivitySource Source { get; } = new(Name, Version);

    /// <summary>Every instrument of <see cref="ThorasMetrics"/>.</summary>
    public static Meter Meter { get; } = new(Name, Version);

    /// <summary>
    /// Starts the span of one target's work in a stage (<c>apply demo/web</c>), a child of the tick's span, tagged
    /// with the target's namespace, name and UID. Null when nothing listens.
    /// </summary>
    public static Activity? StartTarget(string stage, Targets.TargetKey target, string? uid)
    {
        var activity = Source.StartActivity($"{stage} {target}");
        activity?.SetTag("thoras.stage", stage);
        activity?.SetTag("k8s.namespace.name", target.Namespace);
        activity?.SetTag("thoras.target", target.Name);
        activity?.SetTag("thoras.target.uid", uid);
        return activity;
    }

    /// <summary>
    /// Runs one target's work of a stage in its span (<see cref="StartTarget"/>): the span fails when the work throws
    /// (its time budget ran out, or an error) or when <paramref name="failure"/> reads an error from its result.
    /// </summary>
    public static async Task<T> TraceTargetAsync<T>(string stage, Targets.TargetKey target, string? uid, Func<Task<T>> work, Func<T, string?> failure)
    {
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(failure);
        using var activity = StartTarget(stage, target, uid);
        try
        {
            var result = await work();
            if (failure(result) is { } error)
                Failed(activity, error);
            return result;
        }
        catch (Exception ex)
        {
            Failed(activity, ex.Message);
            throw;
        }
    }

    /// <summary>Marks a span failed with the error's message.</summary>
    public static void Failed(Activity? activity, string error) =>
        activity?.SetStatus(ActivityStatusCode.Error, error);
}
