using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Thoras.Cli.LocalHost;

/// <summary>An HTTP-triggered function as the Functions host would expose it.</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo Method);

/// <summary>A timer-triggered function with its schedule expression as written (e.g. <c>%SyncSchedule%</c>).</summary>
public sealed record TimerFunction(string Name, string Schedule, bool RunOnStartup, MethodInfo Method);

/// <summary>
/// A queue-triggered function: its queue as written (e.g. <c>%ForecastQueue%-poison</c>), the storage connection setting
/// (null: <c>AzureWebJobsStorage</c>), and the type its message binds to (JSON into a record, or a string).
/// </summary>
public sealed record QueueFunction(string Name, string Queue, string? Connection, Type MessageType, MethodInfo Method);

/// <summary>
/// Every function of an assembly, found the way the Functions SDK finds them: public methods with
/// <see cref="FunctionAttribute"/>. A function whose parameters the local host cannot bind is refused
/// at start, so the two hosts never silently differ.
/// </summary>
public sealed class FunctionCatalog
{
    private FunctionCatalog(IReadOnlyList<HttpFunction> http, IReadOnlyList<TimerFunction> timers, IReadOnlyList<QueueFunction> queues)
    {
        Http = http;
        Timers = timers;
        Queues = queues;
    }

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<TimerFunction> Timers { get; }

    public IReadOnlyList<QueueFunction> Queues { get; }

    public static FunctionCatalog FromAssembly(Assembly assembly)
    {
        // One reading at a time. The test suites build several hosts at once, and once, in a full run, a reading missed
        // a queue trigger (CollectBatch "cannot bind" its message; the same tests pass alone): two readings racing is
        // the likeliest cause, not a proven one. A catalog is read once per host, so the lock costs nothing that matters.
        lock (Reading)
        {
            return Read(assembly);
        }
    }

    private static readonly object Reading = new();

    private static FunctionCatalog Read(Assembly assembly)
    {
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        var queues = new List<QueueFunction>();
        foreach (var method in assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract).SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            if (function is null)
            {
                continue;
            }

            var httpTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null);
            var timerTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).SingleOrDefault(a => a is not null);
            var queueParameter = method.GetParameters().SingleOrDefault(p => p.GetCustomAttribute<QueueTriggerAttribute>() is not null);
            foreach (var parameter in method.GetParameters().Where(p => p != queueParameter))
            {
                EnsureBindable(function.Name, parameter, httpTrigger?.Route);
            }

            if (httpTrigger is not null)
            {
                var methods = httpTrigger.Methods is { Length: > 0 } m ? m.Select(x => x.ToUpperInvariant()).ToArray() : ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];
                http.Add(new HttpFunction(function.Name, httpTrigger.Route ?? function.Name, methods, httpTrigger.AuthLevel, method));
            }
            else if (timerTrigger is not null)
            {
                timers.Add(new TimerFunction(function.Name, timerTrigger.Schedule, timerTrigger.RunOnStartup, method));
            }
            else if (queueParameter is not null)
            {
                var trigger = queueParameter.GetCustomAttribute<QueueTriggerAttribute>()!;
                queues.Add(new QueueFunction(function.Name, trigger.QueueName, trigger.Connection, queueParameter.ParameterType, method));
            }
            else
            {
                throw new InvalidOperationException($"Function '{function.Name}' has a trigger the local host does not support; only HTTP, timer and queue triggers are hosted.");
            }
        }

        return new FunctionCatalog(
            http.OrderBy(f => f.Name, StringComparer.Ordinal).ToList(),
            timers.OrderBy(f => f.Name, StringComparer.Ordinal).ToList(),
            queues.OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
    }

    private static void EnsureBindable(string function, ParameterInfo parameter, string? route)
    {
        var type = parameter.ParameterType;
        var isRouteValue = type == typeof(string) && route is not null && (route.Contains("{" + parameter.Name, StringComparison.OrdinalIgnoreCase) || route.Contains("{*" + parameter.Name, StringComparison.OrdinalIgnoreCase));
        if (type == typeof(HttpRequest) || type == typeof(TimerInfo) || type == typeof(CancellationToken) || isRouteValue)
        {
            return;
        }

        throw new InvalidOperationException(
            $"Function '{function}' takes parameter '{parameter.Name}' of type {type.Name}, which the local host cannot bind. " +
            "Take HttpRequest, TimerInfo, a queue message, CancellationToken or a route value as string, and inject services through the constructor.");
    }
}
