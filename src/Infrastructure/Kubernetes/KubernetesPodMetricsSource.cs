using System.Text.Json;
using k8s;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// Reads <c>metrics.k8s.io/v1beta1</c> PodMetrics of a namespace (what metrics-server serves) through the Kubernetes
/// client. A namespace without metrics yet (404) reads as no pods.
/// </summary>
public sealed class KubernetesPodMetricsSource(IKubernetes client) : IPodMetricsSource
{
    public async Task<IReadOnlyList<PodUsage>> ReadAsync(string @namespace, CancellationToken cancellationToken)
    {
        JsonElement list;
        try
        {
            list = await client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                "metrics.k8s.io", "v1beta1", @namespace, "pods", cancellationToken: cancellationToken);
        }
        catch (k8s.Autorest.HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return [];
        }

        var pods = new List<PodUsage>();
        if (!list.TryGetProperty("items", out var items) || items.ValueKind != JsonValueKind.Array)
        {
            return pods;
        }

        foreach (var item in items.EnumerateArray())
        {
            var name = item.GetProperty("metadata").GetProperty("name").GetString()!;
            var containers = new List<ContainerUsage>();
            if (item.TryGetProperty("containers", out var entries) && entries.ValueKind == JsonValueKind.Array)
            {
                foreach (var container in entries.EnumerateArray())
                {
                    var usage = container.GetProperty("usage");
                    containers.Add(new ContainerUsage(
                        container.GetProperty("name").GetString()!,
                        Amount(usage, "cpu"),
                        Amount(usage, "memory")));
                }
            }

            pods.Add(new PodUsage(name, containers));
        }

        return pods;
    }

    private static double Amount(JsonElement usage, string resource) =>
        usage.TryGetProperty(resource, out var value) && Quantity.TryParse(value.GetString(), out var quantity) ? quantity.ToDouble() : 0;
}
