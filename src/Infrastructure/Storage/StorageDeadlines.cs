using Azure.Core;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// The deadline of every Storage call: each try of a request gets at most <see cref="PerTry"/> to answer (the SDK's
/// default is 100 s), so a stopped or unreachable account fails the call within seconds instead of hanging the HTTP
/// request that waits on it. HTTP requests also run under a deadline of their own (<c>RequestDeadline</c>).
/// </summary>
public static class StorageDeadlines
{
    /// <summary>How long one try of a Storage request may take, from sending to the end of the answer's headers.</summary>
    public static readonly TimeSpan PerTry = TimeSpan.FromSeconds(10);

    /// <summary>Sets the deadline on <paramref name="options"/> and returns them.</summary>
    public static T Apply<T>(T options)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.NetworkTimeout = PerTry;
        return options;
    }
}
