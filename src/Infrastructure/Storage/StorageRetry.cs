using Azure.Core;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// The retry of every Storage client the app builds: the Azure SDK's own retry policy, which sends a request again on
/// <c>500</c>, <c>503 ServerBusy</c> (the account or partition is over its scalability target), <c>408</c>, <c>429</c>,
/// <c>502</c>, <c>504</c> and network errors, honours <c>Retry-After</c>, and otherwise waits an exponentially growing
/// delay with random jitter (so instances that were throttled together do not retry together). The values below are
/// set explicitly so they are written down and the same for tables, blobs and queues.
/// </summary>
public static class StorageRetry
{
    /// <summary>Attempts after the first: about 15 s of backoff in all, well inside a target's time budget.</summary>
    public const int MaxRetries = 5;

    /// <summary>The first backoff; each next one doubles, with jitter.</summary>
    public static readonly TimeSpan FirstDelay = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest single backoff.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(8);

    /// <summary>Sets the retry of <paramref name="options"/> and returns them.</summary>
    public static T Configure<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.Mode = RetryMode.Exponential;
        options.Retry.MaxRetries = MaxRetries;
        options.Retry.Delay = FirstDelay;
        options.Retry.MaxDelay = MaxDelay;
        return options;
    }
}
