using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>
/// Retries a Kubernetes API request the API server throttled, as client-go does: a <c>429 Too Many Requests</c> (API
/// Priority and Fairness rejected it before doing anything, so any method is safe to send again), or a 5xx that carries
/// <c>Retry-After</c> (the server asks for it). The wait is the server's <c>Retry-After</c>; without one, an exponential
/// backoff with jitter. Other failures are not retried here: the stages decide what a failed write means.
/// </summary>
public static class ThrottledRequestRetry
{
    /// <summary>Attempts after the first. client-go allows 10; 5 keeps a throttled request well inside a target's time budget.</summary>
    public const int MaxRetries = 5;

    /// <summary>The handler that retries throttled requests, waiting on <paramref name="time"/>.</summary>
    public static DelegatingHandler CreateHandler(TimeProvider time) => new ResilienceHandler(CreatePipeline(time));

    /// <summary>The retry pipeline: Polly's HTTP retry with <c>Retry-After</c> honoured.</summary>
    public static ResiliencePipeline<HttpResponseMessage> CreatePipeline(TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(time);
        return new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddRetry(new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = MaxRetries,
                ShouldRetryAfterHeader = true,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromMilliseconds(500),
                MaxDelay = TimeSpan.FromSeconds(30),
                ShouldHandle = args => ValueTask.FromResult(IsThrottled(args.Outcome.Result)),
            })
            .Build();
    }

    /// <summary>True for a response the server asks to be sent again later.</summary>
    public static bool IsThrottled(HttpResponseMessage? response) =>
        response is not null
        && (response.StatusCode == HttpStatusCode.TooManyRequests || ((int)response.StatusCode >= 500 && response.Headers.RetryAfter is not null));
}
