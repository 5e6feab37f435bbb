using System.Diagnostics;
using Thoras.Domain.Telemetry;

namespace Thoras.Functions.Hosting;

/// <summary>
/// The span and the duration of one function invocation, the same in both hosts (the worker middleware in Azure,
/// the invoker of <c>thoras serve</c>): a timer's run is the root span of its tick, with a span per target below
/// it, and is measured as <c>thoras_stage_duration_seconds</c>; an HTTP call is a server span named by its route.
/// </summary>
public sealed class FunctionTelemetry : IDisposable
{
    private const string AspNetCoreRequest = "Microsoft.AspNetCore.Hosting.HttpRequestIn";

    private readonly Activity? _activity;
    private readonly string? _stage;
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private bool _succeeded = true;

    private FunctionTelemetry(Activity? activity, string? stage)
    {
        _activity = activity;
        _stage = stage;
    }

    /// <summary>Starts the invocation of a timer or queue function; its stage is the function's name in lower case.</summary>
    public static FunctionTelemetry StartRun(string function, string trigger)
    {
        var activity = ThorasTelemetry.Source.StartActivity($"{trigger} {function}", ActivityKind.Internal);
        activity?.SetTag("faas.trigger", trigger == "timer" ? "timer" : "pubsub");
        activity?.SetTag("faas.name", function);
        return new FunctionTelemetry(activity, function.ToLowerInvariant());
    }

    /// <summary>Starts the invocation of an HTTP function on <paramref name="route"/> (without the <c>/api</c> prefix).</summary>
    public static FunctionTelemetry StartHttp(string function, string method, string route)
    {
        // ASP.NET Core starts an Activity for every request, which nothing records here (the app does not listen to its
        // source). A span below it would be dropped by the parent-based sampler, or name a parent that is never exported,
        // so the HTTP span continues the caller's trace (the traceparent ASP.NET Core read, if any) instead.
        var caller = default(ActivityContext);
        if (Activity.Current is { OperationName: AspNetCoreRequest } request)
        {
            ActivityContext.TryParse(request.ParentId, request.TraceStateString, isRemote: true, out caller);
            Activity.Current = null;
        }

        var activity = ThorasTelemetry.Source.StartActivity($"{method} /api/{route}", ActivityKind.Server, caller);
        activity?.SetTag("faas.trigger", "http");
        activity?.SetTag("faas.name", function);
        activity?.SetTag("http.request.method", method);
        activity?.SetTag("http.route", "/api/" + route);
        return new FunctionTelemetry(activity, null);
    }

    /// <summary>Records the HTTP status of the answer; 5xx marks the span failed.</summary>
    public void Answered(int status)
    {
        _activity?.SetTag("http.response.status_code", status);
        if (status >= 500)
            Fail(status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Marks the invocation failed.</summary>
    public void Fail(string error)
    {
        _succeeded = false;
        ThorasTelemetry.Failed(_activity, error);
    }

    public void Dispose()
    {
        if (_stage is not null)
            ThorasMetrics.StageRan(_stage, _clock.Elapsed, _succeeded);
        _activity?.Dispose();
    }
}
