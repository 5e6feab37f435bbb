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

            var problem = Unwrap(ex);
            if (problem is not null)
            {
                await Problems.WriteAsync(http, problem.Status, problem.Title, problem.Message);
                return;
            }

            logger.LogError(ex, "Function {Function} failed", context.FunctionDefinition.Name);
            await Problems.WriteAsync(http, 500, "Internal error", "The request failed; see the app's logs for details.");
        }
    }

    private static ProblemException? Unwrap(Exception ex) => ex switch
    {
        ProblemException p => p,
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerExceptions[0]),
        { InnerException: { } inner } => Unwrap(inner),
        _ => null,
    };
}
