using System.Net;
using Azure;
using k8s.Autorest;
using Microsoft.AspNetCore.Http;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;

namespace Thoras.Functions.Http;

/// <summary>An error the app answers: status, title, detail, and how long to wait before retrying (for 503).</summary>
public sealed record Problem(int Status, string Title, string Detail, TimeSpan? RetryAfter = null);

/// <summary>
/// The one map from exceptions to problem details, so HTTP functions only bind, call and return: a refusal from the
/// domain (invalid input, a missing target, a refused mode change, a lost race) keeps its meaning, an unreachable
/// dependency is 503 with <c>Retry-After</c>, and anything else is null (the caller answers 500 without internals).
/// </summary>
public static class ProblemMap
{
    /// <summary>How long a client should wait after Table Storage did not answer.</summary>
    public static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long a client should wait after the Kubernetes API did not answer.</summary>
    public static readonly TimeSpan ClusterRetryAfter = TimeSpan.FromSeconds(10);

    /// <summary>How long a client should wait after losing to concurrent writers.</summary>
    public static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>The problem <paramref name="exception"/> stands for, or null when it is an unexpected failure.</summary>
    public static Problem? Of(Exception exception) => exception switch
    {
        ProblemException p => new Problem(p.Status, p.Title, p.Message, p.RetryAfter),
        InvalidActorException => new Problem(StatusCodes.Status400BadRequest, "Invalid actor", exception.Message),
        InvalidReasonException => new Problem(StatusCodes.Status400BadRequest, "Invalid reason", exception.Message),
        InvalidMaintenanceWindowException w => new Problem(StatusCodes.Status400BadRequest, "Invalid maintenance window", $"Field '{w.Field}': {w.Message}"),
        TargetNotFoundException t => new Problem(StatusCodes.Status404NotFound, "Target not found", $"There is no AIScaleTarget {t.Key.Name} in namespace {t.Key.Namespace}."),
        InvalidModeChangeException => new Problem(StatusCodes.Status409Conflict, "Mode change refused", exception.Message),
        InvalidTargetException => new Problem(StatusCodes.Status409Conflict, "Invalid target", exception.Message),
        TargetConflictException or EnrollmentConflictException or ConcurrentChangeException =>
            new Problem(StatusCodes.Status409Conflict, "Concurrent change", exception.Message + " What this request did is kept and finished by the app; try again.", BusyRetryAfter),
        PauseStoreBusyException => new Problem(StatusCodes.Status503ServiceUnavailable, "Busy", exception.Message, BusyRetryAfter),
        RequestDeadlineExceededException d => new Problem(StatusCodes.Status503ServiceUnavailable, "Dependency timeout", d.Message, StorageRetryAfter),
        HttpOperationException { Response.StatusCode: HttpStatusCode.Conflict } or RequestFailedException { Status: 409 or 412 } => new Problem(
            StatusCodes.Status409Conflict, "Concurrent change", "Another writer changed the object meanwhile. What this request did is kept and finished by the app; try again.", BusyRetryAfter),
        HttpOperationException { Response.StatusCode: HttpStatusCode.NotFound } => new Problem(
            StatusCodes.Status404NotFound, "Not found", "The object was deleted while this request worked on it (by a concurrent request or kubectl); nothing is left to do."),
        _ when IsStorageUnavailable(exception) => new Problem(
            StatusCodes.Status503ServiceUnavailable, "Storage unavailable",
            "Table Storage did not answer; nothing more was done. The app keeps its state there, so retry once storage is back.", StorageRetryAfter),
        _ when IsClusterUnavailable(exception) => new Problem(
            StatusCodes.Status503ServiceUnavailable, "Cluster unavailable",
            "The Kubernetes API did not answer or is overloaded; nothing more was done. Retry shortly.", ClusterRetryAfter),
        AggregateException { InnerExceptions.Count: 1 } a => Of(a.InnerExceptions[0]),
        { InnerException: { } inner } => Of(inner),
        _ => null,
    };

    /// <summary>
    /// Table Storage could not be reached or failed on its side: a network error (status 0), a timeout, a 5xx, or the
    /// SDK giving up after retrying such failures.
    /// </summary>
    private static bool IsStorageUnavailable(Exception exception) => exception switch
    {
        RequestFailedException r => r.Status is 0 or 408 or >= 500,
        AggregateException a when a.InnerExceptions.Count > 0 && a.InnerExceptions.Any(e => e is RequestFailedException) =>
            a.InnerExceptions.All(e => e is RequestFailedException or TaskCanceledException or HttpRequestException || IsStorageUnavailable(e)),
        _ => false,
    };

    /// <summary>The Kubernetes API refused the connection, timed out, throttled (429) or failed on its side (5xx).</summary>
    private static bool IsClusterUnavailable(Exception exception) => exception switch
    {
        HttpOperationException h => h.Response.StatusCode is HttpStatusCode.TooManyRequests || (int)h.Response.StatusCode >= 500,
        HttpRequestException => true,
        _ => false,
    };
}
