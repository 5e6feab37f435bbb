using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Thoras.Functions.Http;

namespace Thoras.Cli.Tests.LocalHost;

/// <summary>Functions that exercise what the local host binds: a keyed route, a failing call and a timer.</summary>
public sealed class SampleFunctions(TimerCalls calls)
{
    [Function("Echo")]
    public IActionResult Echo([HttpTrigger(AuthorizationLevel.Function, "get", Route = "echo/{name}")] HttpRequest request, string name) =>
        new OkObjectResult(new { name, query = request.Query["q"].ToString() });

    [Function("Refuse")]
    public Task<IActionResult> Refuse([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "refuse")] HttpRequest request) =>
        throw new ProblemException(409, "Conflict", "Refused on purpose.");

    [Function("Crash")]
    public IActionResult Crash([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "crash")] HttpRequest request) =>
        throw new InvalidOperationException("secret internals");

    [Function("Tick")]
    public Task Tick([TimerTrigger("%TickSchedule%")] TimerInfo timer, CancellationToken cancellationToken)
    {
        calls.Record();
        return Task.CompletedTask;
    }
}

/// <summary>Counts timer invocations so a test can wait for them.</summary>
public sealed class TimerCalls
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Record() => Interlocked.Increment(ref _count);
}
