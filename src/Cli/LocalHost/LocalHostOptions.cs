using System.Reflection;
using Thoras.Functions.Http;

namespace Thoras.Cli.LocalHost;

/// <summary>How the local host listens and which functions it hosts.</summary>
public sealed class LocalHostOptions
{
    /// <summary>The loopback port; 0 picks a free one. Default: 7071, like the Functions host.</summary>
    public int Port { get; set; } = 7071;

    /// <summary>The file holding the function key, created when missing. Default: <c>.thoras/function-key</c>.</summary>
    public string FunctionKeyPath { get; set; } = Path.Combine(".thoras", "function-key");

    /// <summary>The route prefix of HTTP functions, as in host.json. Default: <c>api</c>.</summary>
    public string RoutePrefix { get; set; } = "api";

    /// <summary>Whether timer functions run on their schedules. Default: true.</summary>
    public bool RunTimers { get; set; } = true;

    /// <summary>Whether queue-triggered functions run. Default: true.</summary>
    public bool RunQueues { get; set; } = true;

    /// <summary>Queue listeners per queue function, standing in for Functions instances (<c>--workers</c>). Default: 1.</summary>
    public int QueueWorkers { get; set; } = 1;

    /// <summary>The queue trigger's options. Default: host.json beside the program (<see cref="QueueHostOptions.FromAppHostJson"/>).</summary>
    public QueueHostOptions? Queues { get; set; }

    /// <summary>The app's clock, replacing the system clock in the app's services. Default: null (the system clock).</summary>
    public TimeProvider? TimeProvider { get; set; }

    /// <summary>The assembly whose functions are hosted. Default: the Functions app.</summary>
    public Assembly FunctionsAssembly { get; set; } = typeof(HealthFunction).Assembly;
}
