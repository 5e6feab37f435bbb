using System.Globalization;
using System.Text.Json.Nodes;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// The queue trigger's options as host.json sets them (<c>extensions.queues</c>), with the Functions host's defaults for
/// what it leaves out. The local host's queue workers honour them the way the Functions host does.
/// </summary>
public sealed record QueueHostOptions
{
    /// <summary>Messages fetched at once per function and instance. Functions default: 16.</summary>
    public int BatchSize { get; init; } = 16;

    /// <summary>A new batch is fetched when this many or fewer messages are still running. Functions default: half the batch size.</summary>
    public int NewBatchThreshold { get; init; } = 8;

    /// <summary>Deliveries before a failing message goes to the poison queue. Functions default: 5.</summary>
    public int MaxDequeueCount { get; init; } = 5;

    /// <summary>How long a failed message stays invisible before it is delivered again. Functions default: 0.</summary>
    public TimeSpan VisibilityTimeout { get; init; } = TimeSpan.Zero;

    /// <summary>The longest wait between polls of an empty queue. Functions default: 1 minute.</summary>
    public TimeSpan MaxPollingInterval { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long a message stays invisible while a worker holds it; renewed at half of it while the function runs.
    /// The Functions host fixes it at 10 minutes (not a host.json setting).
    /// </summary>
    public TimeSpan HoldVisibility { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The options in the host.json at <paramref name="path"/>; the defaults when the file is missing.</summary>
    public static QueueHostOptions Load(string path)
    {
        if (!File.Exists(path))
            return new QueueHostOptions();
        var queues = JsonNode.Parse(File.ReadAllText(path))?["extensions"]?["queues"] as JsonObject;
        if (queues is null)
            return new QueueHostOptions();
        var defaults = new QueueHostOptions();
        var batchSize = Int(queues, "batchSize") ?? defaults.BatchSize;
        return new QueueHostOptions
        {
            BatchSize = batchSize,
            NewBatchThreshold = Int(queues, "newBatchThreshold") ?? batchSize / 2,
            MaxDequeueCount = Int(queues, "maxDequeueCount") ?? defaults.MaxDequeueCount,
            VisibilityTimeout = Duration(queues, "visibilityTimeout") ?? defaults.VisibilityTimeout,
            MaxPollingInterval = Duration(queues, "maxPollingInterval") ?? defaults.MaxPollingInterval,
        };
    }

    /// <summary>The host.json the Functions app ships, beside the running program.</summary>
    public static QueueHostOptions FromAppHostJson() => Load(Path.Combine(AppContext.BaseDirectory, "host.json"));

    private static int? Int(JsonObject queues, string name) => queues[name]?.GetValue<int>();

    private static TimeSpan? Duration(JsonObject queues, string name) =>
        queues[name]?.GetValue<string>() is { } text ? TimeSpan.Parse(text, CultureInfo.InvariantCulture) : null;
}
