using System.Globalization;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>
/// One instance's share of the app's Kubernetes request budget: the fleet-wide <see cref="KubernetesOptions.RequestsPerSecond"/>
/// and <see cref="KubernetesOptions.RequestBurst"/> divided by <see cref="KubernetesOptions.BudgetInstances"/>.
/// </summary>
/// <param name="RequestsPerSecond">The rate the bucket refills at.</param>
/// <param name="Burst">The bucket's size: requests that may go at once after a quiet spell.</param>
public sealed record KubernetesRequestBudget(double RequestsPerSecond, int Burst)
{
    /// <summary>How often the bucket is refilled: often enough that requests flow smoothly, seldom enough to be cheap.</summary>
    private static readonly TimeSpan TargetPeriod = TimeSpan.FromMilliseconds(100);

    /// <summary>This instance's share of the budget in <paramref name="options"/>.</summary>
    public static KubernetesRequestBudget ForInstance(KubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var instances = Math.Max(1, options.BudgetInstances);
        return new KubernetesRequestBudget(options.RequestsPerSecond / instances, Math.Max(1, options.RequestBurst / instances));
    }

    /// <summary>Tokens added per refill: whole tokens, about <see cref="TargetPeriod"/> apart.</summary>
    public int TokensPerPeriod => Math.Max(1, (int)Math.Round(RequestsPerSecond * TargetPeriod.TotalSeconds));

    /// <summary>The refill period that makes <see cref="TokensPerPeriod"/> add up to exactly <see cref="RequestsPerSecond"/>.</summary>
    public TimeSpan Period => TimeSpan.FromSeconds(TokensPerPeriod / RequestsPerSecond);

    /// <summary>What is wrong with the budget settings of <paramref name="options"/>, as messages naming the app setting.</summary>
    public static IEnumerable<string> Failures(KubernetesOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!(options.RequestsPerSecond > 0) || double.IsInfinity(options.RequestsPerSecond))
            yield return string.Create(CultureInfo.InvariantCulture, $"Kubernetes__RequestsPerSecond must be a positive number of requests per second (default 50); got {options.RequestsPerSecond}.");
        if (options.RequestBurst < 1)
            yield return string.Create(CultureInfo.InvariantCulture, $"Kubernetes__RequestBurst must be at least 1 (default 100); got {options.RequestBurst}.");
        if (options.BudgetInstances < 1)
            yield return string.Create(CultureInfo.InvariantCulture, $"Kubernetes__BudgetInstances must be at least 1 (default 1); got {options.BudgetInstances}.");
        else if (options.RequestsPerSecond > 0 && options.RequestsPerSecond / options.BudgetInstances < 0.1)
            yield return string.Create(CultureInfo.InvariantCulture,
                $"Kubernetes__RequestsPerSecond ({options.RequestsPerSecond}) split over Kubernetes__BudgetInstances ({options.BudgetInstances}) leaves less than 0.1 requests per second per instance.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{RequestsPerSecond:0.##} requests/s, burst {Burst}");
}
