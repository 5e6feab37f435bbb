using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Wraps every invocation under the Functions host in its <see cref="FunctionTelemetry"/>, so the host's own
/// invocation span has the app's tick (or route) span below it. The local host does the same in its invoker.
/// </summary>
public sealed class TelemetryMiddleware : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var trigger = context.FunctionDefinition.InputBindings.Values.Select(b => b.Type).FirstOrDefault(t => t.EndsWith("Trigger", StringComparison.OrdinalIgnoreCase));
        if (trigger is null || trigger.Equals("httpTrigger", StringComparison.OrdinalIgnoreCase))
        {
            // HTTP calls are traced by the host and ASP.NET Core under the Functions host.
            await next(context);
            return;
        }

        using var run = FunctionTelemetry.StartRun(context.FunctionDefinition.Name, trigger.Equals("timerTrigger", StringComparison.OrdinalIgnoreCase) ? "timer" : "queue");
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            run.Fail(ex.Message);
            throw;
        }
    }
}
