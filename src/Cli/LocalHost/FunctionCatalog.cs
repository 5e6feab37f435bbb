using System.Reflection;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace Thoras.Cli.LocalHost;

/// <summary>An HTTP-triggered function as the Functions host would expose it.</summary>
public sealed record HttpFunction(string Name, string Route, IReadOnlyList<string> Methods, AuthorizationLevel AuthLevel, MethodInfo Method);

/// <summary>A timer-triggered function with its schedule expression as written (e.g. <c>%SyncSchedule%</c>).</summary>
public sealed record TimerFunction(string Name, string Schedule, bool RunOnStartup, MethodInfo Method);

/// <summary>
/// Every function of an assembly, found the way the Functions SDK finds them: public methods with
/// <see cref="FunctionAttribute"/>. A function whose parameters the local host cannot bind is refused
/// at start, so the two hosts never silently differ.
/// </summary>
public sealed class FunctionCatalog
{
    private FunctionCatalog(IReadOnlyList<HttpFunction> http, IReadOnlyList<TimerFunction> timers)
    {
        Http = http;
        Timers = timers;
    }

    public IReadOnlyList<HttpFunction> Http { get; }

    public IReadOnlyList<TimerFunction> Timers { get; }

    public static FunctionCatalog FromAssembly(Assembly assembly)
    {
        var http = new List<HttpFunction>();
        var timers = new List<TimerFunction>();
        foreach (var method in assembly.GetTypes().Where(t => t.IsClass && !t.IsAbstract).SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static)))
        {
            var function = method.GetCustomAttribute<FunctionAttribute>();
            if (function is null)
            {
                continue;
            }

            var httpTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).SingleOrDefault(a => a is not null);
            var timerTrigger = method.GetParameters().Select(p => p.GetCustomAttribute<TimerTriggerAttribute>()).SingleOrDefault(a => a is not null);
            foreach (var parameter in method.GetParameters())
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
            else
            {
                throw new InvalidOperationException($"Function '{function.Name}' has a trigger the local host does not support; only HTTP and timer triggers are hosted.");
            }
        }

        return new FunctionCatalog(http.OrderBy(f => f.Name, StringComparer.Ordinal).ToList(), timers.OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
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
            "Take HttpRequest, TimerInfo, CancellationToken or a route value as string, and inject services through the constructor.");
    }
}
