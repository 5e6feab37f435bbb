namespace Thoras.Domain.Forecasting;

/// <summary>Reads current usage from the Metrics API (<c>metrics.k8s.io</c> PodMetrics) of one namespace.</summary>
public interface IPodMetricsSource
{
    /// <summary>The usage of every pod in <paramref name="namespace"/> that the Metrics API reports.</summary>
    Task<IReadOnlyList<PodUsage>> ReadAsync(string @namespace, CancellationToken cancellationToken);
}

/// <summary>The usage of one pod at one moment.</summary>
/// <param name="PodName">The pod's name.</param>
/// <param name="Containers">The usage of each of its containers.</param>
public sealed record PodUsage(string PodName, IReadOnlyList<ContainerUsage> Containers);

/// <summary>The usage of one container: CPU in cores and memory in bytes.</summary>
public sealed record ContainerUsage(string Name, double Cpu, double Memory);
