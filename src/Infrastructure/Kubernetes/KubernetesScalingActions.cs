using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Apply;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// <see cref="IScalingActions"/> through the Kubernetes API: <c>pods/resize</c> with a strategic merge patch (so only
/// the named containers change), the <c>pods/eviction</c> subresource, and a merge patch of the HPA carrying its
/// <c>resourceVersion</c>.
/// </summary>
public sealed class KubernetesScalingActions(IKubernetes client, ILogger<KubernetesScalingActions> logger) : IScalingActions
{
    public async Task<ResizeOutcome> ResizePodAsync(string @namespace, string pod, IReadOnlyList<ContainerResources> containers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(containers);
        var patch = new JsonObject
        {
            ["spec"] = new JsonObject
            {
                ["containers"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
                {
                    ["name"] = c.Name,
                    ["resources"] = new JsonObject { ["requests"] = Amounts(c.Requests), ["limits"] = Amounts(c.Limits) },
                })]),
            },
        };
        var resized = await client.CoreV1.PatchNamespacedPodResizeAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.StrategicMergePatch), pod, @namespace, cancellationToken: cancellationToken);
        var outcome = OutcomeOf(resized);
        logger.LogInformation("Resized pod {Namespace}/{Pod} in place: {Outcome}", @namespace, pod, outcome);
        return outcome;
    }

    public async Task<EvictionOutcome> EvictPodAsync(string @namespace, string pod, CancellationToken cancellationToken)
    {
        var eviction = new V1Eviction { Metadata = new V1ObjectMeta { Name = pod, NamespaceProperty = @namespace } };
        try
        {
            await client.CoreV1.CreateNamespacedPodEvictionAsync(eviction, pod, @namespace, cancellationToken: cancellationToken);
            logger.LogInformation("Evicted pod {Namespace}/{Pod} so it is recreated with the suggestion", @namespace, pod);
            return EvictionOutcome.Evicted;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            logger.LogInformation("Eviction of pod {Namespace}/{Pod} is blocked by its PodDisruptionBudget", @namespace, pod);
            return EvictionOutcome.Blocked;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return EvictionOutcome.Gone;
        }
    }

    public async Task SetAutoscalerFloorAsync(string @namespace, string hpa, int minReplicas, int? originalMinReplicas, string? resourceVersion, CancellationToken cancellationToken)
    {
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = resourceVersion,
                ["annotations"] = new JsonObject
                {
                    // Empty means the user left minReplicas unset.
                    [IScalingActions.OriginalMinReplicasAnnotation] = originalMinReplicas?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
                },
            },
            ["spec"] = new JsonObject { ["minReplicas"] = minReplicas },
        };
        await client.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(
            new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch), hpa, @namespace, cancellationToken: cancellationToken);
        logger.LogInformation("Set the minReplicas of HPA {Namespace}/{Hpa} to {MinReplicas}", @namespace, hpa, minReplicas);
    }

    /// <summary>
    /// Kubernetes 1.33+ reports a resize it cannot do now as a <c>PodResizePending</c> condition (reason
    /// <c>Infeasible</c> or <c>Deferred</c>); older API servers used <c>status.resize</c>.
    /// </summary>
    private static ResizeOutcome OutcomeOf(V1Pod pod)
    {
        var pending = pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodResizePending" && c.Status == "True")?.Reason
            ?? pod.Status?.Resize;
        return pending switch
        {
            "Infeasible" => ResizeOutcome.Infeasible,
            "Deferred" => ResizeOutcome.Deferred,
            _ => ResizeOutcome.Applied,
        };
    }

    private static JsonObject Amounts(ResourceAmounts amounts)
    {
        var json = new JsonObject();
        if (amounts.Cpu is { } cpu)
            json["cpu"] = cpu.ToString();
        if (amounts.Memory is { } memory)
            json["memory"] = memory.ToString();
        return json;
    }
}
