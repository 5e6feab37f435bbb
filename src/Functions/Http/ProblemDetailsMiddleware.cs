using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Middleware;
using Microsoft.Extensions.Logging;

namespace Thoras.Functions.Http;

/// <summary>
/// The one place where exceptions from HTTP functions become problem details: a
/// <see cref="ProblemException"/> keeps its status; anything else is logged and answered 500
/// without internals. Timer functions rethrow so the host records the failure.
/// </summary>
public sealed class ProblemDetailsMiddleware(ILogger<ProblemDetailsMiddleware> logger) : IFunctionsWorkerMiddleware
{
    public async Task Invoke(FunctionContext context, FunctionExecutionDelegate next)
    {
        try
        {
            await next(context);
        }
        catch (Exception ex)
        {
            var http = context.GetHttpContext();
            if (http is null || http.Response.HasStarted)
            {
                throw;
            }

            await RespondAsync(http, ex, logger, context.FunctionDefinition.Name);
        }
    }

    /// <summary>Answers a failed HTTP invocation with problem details; shared with the local host.</summary>
    public static Task RespondAsync(HttpContext http, Exception exception, ILogger logger, string functionName)
    {
        var problem = Unwrap(exception);
        if (problem is not null)
        {
            return Problems.WriteAsync(http, problem.Status, problem.Title, problem.Message);
        }

        logger.LogError(exception, "Function {Function} failed", functionName);
        return Problems.WriteAsync(http, StatusCodes.Status500InternalServerError, "Internal error", "The request failed; see the app's logs for details.");
    }

    private static ProblemException? Unwrap(Exception ex) => ex switch
    {
        ProblemException p => p,
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        { InnerException: { } inner } => Unwrap(inner),
        _ => null,
    };
}
