using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Thoras.Functions.Http;

/// <summary>
/// The one place where exceptions from HTTP functions become problem details (through <see cref="ProblemMap"/>):
/// a refusal keeps its status, an unreachable dependency is 503 with <c>Retry-After</c>, anything else is logged and
/// answered 500 without internals. Every HTTP request runs under a <see cref="RequestDeadline"/>. Timer functions
/// rethrow so the host records the failure.
/// </summary>
public sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    /// <summary>The status logged for a request whose client disconnected before the answer (nginx's convention).</summary>
    public const int ClientClosedRequest = 499;

    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.GetHttpContext();
        if (http is null)
        {
            await next(context);
            return;
        }

        using var deadline = RequestDeadline.Begin(http, context.CancellationToken);
        try
        {
            await next(context);
        }
        catch (Exception ex) when (!http.Response.HasStarted)
        {
            await RespondAsync(http, deadline.Explain(ex), logger, context.FunctionDefinition.Name);
        }
    }

    /// <summary>Answers a failed HTTP invocation with problem details; shared with the local host.</summary>
    public static Task RespondAsync(HttpContext http, Exception exception, ILogger logger, string functionName)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(logger);
        if (exception is OperationCanceledException && http.RequestAborted.IsCancellationRequested)
        {
            // The client went away: nobody reads an answer, and it is not the app's failure.
            http.Response.StatusCode = ClientClosedRequest;
            return Task.CompletedTask;
        }

        var problem = ProblemMap.Of(exception);
        if (problem is not null)
        {
            if (problem.Status >= StatusCodes.Status500InternalServerError)
                logger.LogWarning(exception, "Function {Function} answered {Status} {Title}", functionName, problem.Status, problem.Title);
            return Problems.WriteAsync(http, problem);
        }

        logger.LogError(exception, "Function {Function} failed", functionName);
        return Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, "Internal error", "The request failed; see the app's logs for details.");
    }
}
