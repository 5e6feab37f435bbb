using Thoras.Domain.Fanout;

namespace Thoras.Infrastructure.Storage.Queues;

/// <summary>
/// The queue of each stage, from the app settings the queue triggers name (<c>%CollectQueue%</c>, <c>%ForecastQueue%</c>,
/// <c>%ApplyQueue%</c>); a message that failed <c>maxDequeueCount</c> times goes to the same name with <see cref="PoisonSuffix"/>,
/// as the Functions host does.
/// </summary>
public sealed record WorkQueueNames(string Collect, string Forecast, string Apply)
{
    /// <summary>What the Functions host appends to a queue's name for its poison queue.</summary>
    public const string PoisonSuffix = "-poison";

    /// <summary>The queue of <paramref name="stage"/>.</summary>
    public string For(BatchStage stage) => stage switch
    {
        BatchStage.Collect => Collect,
        BatchStage.Forecast => Forecast,
        BatchStage.Apply => Apply,
        _ => throw new ArgumentOutOfRangeException(nameof(stage), stage, "Unknown stage."),
    };

    /// <summary>The poison queue of <paramref name="queue"/>.</summary>
    public static string PoisonOf(string queue) => queue + PoisonSuffix;
}
