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

/// <summary>Queue functions that record their messages, hold them until released, or always fail.</summary>
public sealed class SampleQueueFunctions(QueueCalls calls)
{
    [Function("RecordMessage")]
    public async Task Record([QueueTrigger("%SampleQueue%")] SampleMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await calls.RunAsync(message.Text, cancellationToken);
    }

    [Function("AlwaysFail")]
    public Task Fail([QueueTrigger("%FailingQueue%")] string message) =>
        throw new InvalidOperationException("fails on every delivery: " + message);
}

/// <summary>A sample queue message, bound from JSON.</summary>
public sealed record SampleMessage(string Text);

/// <summary>Records queue invocations, how many ran at once, and can hold them until released.</summary>
public sealed class QueueCalls
{
    private readonly object _gate = new();
    private readonly List<string> _texts = [];
    private int _running;

    /// <summary>Completed when released; invocations wait for it.</summary>
    public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int MaxRunning { get; private set; }

    public int Running
    {
        get
        {
            lock (_gate)
                return _running;
        }
    }

    public IReadOnlyList<string> Texts
    {
        get
        {
            lock (_gate)
                return [.. _texts];
        }
    }

    public async Task RunAsync(string text, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            _running++;
            MaxRunning = Math.Max(MaxRunning, _running);
        }

        try
        {
            await Release.Task.WaitAsync(cancellationToken);
        }
        finally
        {
            lock (_gate)
            {
                _running--;
                _texts.Add(text);
            }
        }
    }
}

/// <summary>Counts timer invocations so a test can wait for them.</summary>
public sealed class TimerCalls
{
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Record() => Interlocked.Increment(ref _count);
}
