using System.Threading.RateLimiting;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>
/// Holds every Kubernetes API request of this instance to its <see cref="KubernetesRequestBudget"/> with a token bucket
/// (<see cref="TokenBucketRateLimiter"/>), as client-go's client-side rate limiter does: up to <c>Burst</c> requests go at
/// once, after that one more each time a token is added, oldest waiting first. Requests wait; they are never refused.
/// Sits inside the retry of throttled requests (<see cref="ThrottledRequestRetry"/>), so a retry also spends a token.
/// </summary>
public sealed class RequestBudgetHandler : DelegatingHandler
{
    private readonly TokenBucketRateLimiter bucket;

    /// <param name="budget">This instance's share of the budget.</param>
    /// <remarks>
    /// The bucket refills on real time (the limiter's own timer and stopwatch): the API server counts real seconds, also
    /// when the local host runs the app's clock faster than real time.
    /// </remarks>
    public RequestBudgetHandler(KubernetesRequestBudget budget)
    {
        ArgumentNullException.ThrowIfNull(budget);
        Budget = budget;
        bucket = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = budget.Burst,
            TokensPerPeriod = budget.TokensPerPeriod,
            ReplenishmentPeriod = budget.Period,
            AutoReplenishment = true,
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>The budget this handler holds requests to.</summary>
    public KubernetesRequestBudget Budget { get; }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var lease = await bucket.AcquireAsync(1, cancellationToken);
        if (!lease.IsAcquired)
            throw new InvalidOperationException("The Kubernetes request budget refused a request; its queue is unbounded, so this cannot happen unless the handler was disposed.");
        return await base.SendAsync(request, cancellationToken);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            bucket.Dispose();

        base.Dispose(disposing);
    }
}
