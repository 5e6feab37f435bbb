using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thoras.Functions.Hosting;
using Thoras.Functions.Http;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// Hosts the Functions app's own function classes on Kestrel: every HTTP function on its route under
/// <c>/api</c> with function-key auth, every timer on its schedule, every queue function on its queue (see
/// <see cref="QueueWorkers"/>), with the app's one service registration.
/// It stands in for the Azure Functions host where Core Tools cannot be installed.
/// </summary>
public static class LocalFunctionHost
{
    /// <summary>Builds the host. <paramref name="configure"/> adds configuration and services (e.g. the sandbox).</summary>
    public static WebApplication Build(LocalHostOptions options, string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var catalog = FunctionCatalog.FromAssembly(options.FunctionsAssembly);
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, options.Port));
        configure?.Invoke(builder);

        // ASP.NET Core logs every request's URL, and the admission webhook's carries its secret; the host logs each
        // request itself, with the path redacted (FunctionInvoker).
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.Server.Kestrel", LogLevel.Warning);

        builder.Services.AddThorasFunctions(builder.Configuration);
        if (options.TimeProvider is not null)
        {
            builder.Services.AddSingleton(options.TimeProvider);
        }

        builder.Services.AddMvcCore();
        builder.Services.AddSingleton(catalog);
        builder.Services.AddSingleton(FunctionKey.LoadOrCreate(options.FunctionKeyPath));
        builder.Services.AddSingleton<FunctionInvoker>();
        if (options.RunTimers)
        {
            builder.Services.AddHostedService<TimerScheduler>();
        }

        if (options.RunQueues && catalog.Queues.Count > 0)
        {
            builder.Services.AddSingleton(options);
            builder.Services.AddSingleton(options.Queues ?? QueueHostOptions.FromAppHostJson());
            builder.Services.AddHostedService<QueueWorkers>();
        }

        var app = builder.Build();

        // What no function answers (an unknown path or method) still gets a problem, as the API promises.
        app.UseStatusCodePages(context => context.HttpContext.Response.ContentLength is null && !context.HttpContext.Response.HasStarted
            ? Problems.WriteAsync(context.HttpContext, context.HttpContext.Response.StatusCode, StatusTitle(context.HttpContext.Response.StatusCode),
                $"{context.HttpContext.Request.Method} {RequestPaths.Redact(context.HttpContext.Request.Path)} is not served.")
            : Task.CompletedTask);
        foreach (var function in catalog.Http)
        {
            var captured = function;
            app.MapMethods($"/{options.RoutePrefix}/{function.Route}", function.Methods,
                (HttpContext context) => context.RequestServices.GetRequiredService<FunctionInvoker>().InvokeHttpAsync(context, captured));
        }

        return app;
    }

    private static string StatusTitle(int status) => status switch
    {
        StatusCodes.Status404NotFound => "Not found",
        StatusCodes.Status405MethodNotAllowed => "Method not allowed",
        _ => "Request refused",
    };

    /// <summary>The base address the started host listens on, e.g. <c>http://127.0.0.1:7071</c>.</summary>
    public static Uri BaseAddress(WebApplication app)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
            ?? throw new InvalidOperationException("The local host has not started.");
        return new Uri(address);
    }
}
