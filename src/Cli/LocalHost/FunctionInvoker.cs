using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thoras.Functions.Hosting;
using Thoras.Functions.Http;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// Invokes function methods the way the isolated worker does: a new instance per invocation from DI,
/// parameters bound from the trigger, the result written back, errors through the shared problem mapping.
/// </summary>
public sealed class FunctionInvoker(ILogger<FunctionInvoker> logger, FunctionKey key)
{
    public async Task InvokeHttpAsync(HttpContext context, HttpFunction function)
    {
        if (function.AuthLevel != AuthorizationLevel.Anonymous && !key.Matches(ProvidedKey(context.Request)))
        {
            await Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, "Unauthorized",
                "A valid function key is required in the x-functions-key header or the code query parameter.");
            return;
        }

        var watch = Stopwatch.StartNew();
        using var telemetry = FunctionTelemetry.StartHttp(function.Name, context.Request.Method, function.Route);
        using (var deadline = RequestDeadline.Begin(context))
        {
            try
            {
                var result = await InvokeAsync(function.Method, context.RequestServices, p => BindHttp(p, context), context.RequestAborted);
                await WriteResultAsync(context, result);
            }
            catch (Exception ex) when (!context.Response.HasStarted)
            {
                await ProblemDetailsMiddleware.RespondAsync(context, deadline.Explain(ex), logger, function.Name);
            }
        }

        telemetry.Answered(context.Response.StatusCode);

        // Requests are detail (the webhook alone makes several a minute): shown with --verbose, or when they fail.
        // The path is redacted: the admission webhook's carries its secret.
        logger.Log(context.Response.StatusCode >= 500 ? LogLevel.Warning : LogLevel.Debug, "Executed {Function} ({Method} {Path}) -> {Status} in {ElapsedMs} ms",
            function.Name, context.Request.Method, RequestPaths.Redact(context.Request.Path), context.Response.StatusCode, watch.ElapsedMilliseconds);
    }

    public async Task InvokeTimerAsync(IServiceProvider services, TimerFunction function, bool isPastDue, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await using var scope = services.CreateAsyncScope();
        using var telemetry = FunctionTelemetry.StartRun(function.Name, "timer");
        var summary = TickSummary.Begin();
        try
        {
            var timer = new TimerInfo { IsPastDue = isPastDue };
            await InvokeAsync(function.Method, scope.ServiceProvider, p => BindTimer(p, timer, cancellationToken), cancellationToken);
            logger.LogInformation("{Function} tick in {ElapsedMs} ms: {Summary}", function.Name, watch.ElapsedMilliseconds, summary.Value ?? "done");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            telemetry.Fail(ex.Message);
            logger.LogError(ex is TargetInvocationException { InnerException: { } inner } ? inner : ex,
                "Timer {Function} failed after {ElapsedMs} ms", function.Name, watch.ElapsedMilliseconds);
        }
    }

    /// <summary>
    /// Invokes a queue function with one message in a new scope, binding the message like the isolated worker does (a
    /// string as is, anything else as JSON, case-insensitive). Throws what the function throws: the caller settles the message.
    /// </summary>
    public static async Task InvokeQueueAsync(IServiceProvider services, QueueFunction function, BinaryData message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(message);
        await using var scope = services.CreateAsyncScope();
        var bound = function.MessageType == typeof(string) ? message.ToString()
            : function.MessageType == typeof(BinaryData) ? message
            : JsonSerializer.Deserialize(message.ToMemory().Span, function.MessageType, QueueJson)
                ?? throw new JsonException($"The message of queue function {function.Name} is null.");
        // One trace per batch, as the Functions host traces a queue-triggered invocation: the per-target spans of the
        // stage run below it.
        using var telemetry = FunctionTelemetry.StartRun(function.Name, "queue");
        try
        {
            await InvokeAsync(function.Method, scope.ServiceProvider, p => BindQueue(p, bound, cancellationToken), cancellationToken);
        }
        catch (Exception ex)
        {
            telemetry.Fail(ex.Message);
            throw;
        }
    }

    private static readonly JsonSerializerOptions QueueJson = new(JsonSerializerDefaults.Web);

    private static object? BindQueue(ParameterInfo parameter, object message, CancellationToken cancellationToken) =>
        parameter.ParameterType == typeof(CancellationToken) ? cancellationToken : message;

    private static string? ProvidedKey(HttpRequest request) =>
        request.Headers.TryGetValue("x-functions-key", out var header) && header.Count > 0 ? header[0] : request.Query["code"].FirstOrDefault();

    private static async Task<object?> InvokeAsync(MethodInfo method, IServiceProvider services, Func<ParameterInfo, object?> bind, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var instance = method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, method.DeclaringType!);
        try
        {
            object? returned;
            try
            {
                returned = method.Invoke(instance, method.GetParameters().Select(bind).ToArray());
            }
            catch (TargetInvocationException ex) when (ex.InnerException is not null)
            {
                throw ex.InnerException;
            }

            if (returned is Task task)
            {
                await task;
                return method.ReturnType.IsGenericType ? method.ReturnType.GetProperty(nameof(Task<int>.Result))!.GetValue(task) : null;
            }

            return returned;
        }
        finally
        {
            switch (instance)
            {
                case IAsyncDisposable asyncDisposable:
                    await asyncDisposable.DisposeAsync();
                    break;
                case IDisposable disposable:
                    disposable.Dispose();
                    break;
            }
        }
    }

    private static object? BindHttp(ParameterInfo parameter, HttpContext context)
    {
        if (parameter.ParameterType == typeof(HttpRequest))
        {
            return context.Request;
        }

        if (parameter.ParameterType == typeof(CancellationToken))
        {
            return context.RequestAborted;
        }

        return context.GetRouteValue(parameter.Name!)?.ToString();
    }

    private static object? BindTimer(ParameterInfo parameter, TimerInfo timer, CancellationToken cancellationToken) =>
        parameter.ParameterType == typeof(TimerInfo) ? timer
        : parameter.ParameterType == typeof(CancellationToken) ? cancellationToken
        : null;

    private static async Task WriteResultAsync(HttpContext context, object? result)
    {
        switch (result)
        {
            case IActionResult action:
                await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
                break;
            case IResult minimal:
                await minimal.ExecuteAsync(context);
                break;
            case null:
                context.Response.StatusCode = StatusCodes.Status204NoContent;
                break;
            default:
                await context.Response.WriteAsJsonAsync(result, result.GetType());
                break;
        }
    }
}
