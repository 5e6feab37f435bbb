using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// <see cref="ICleanupCluster"/> through the Kubernetes API. Every write is a merge patch of only the fields it owns
/// (a pod-template annotation, an HPA's <c>minReplicas</c> and one annotation), so it cannot overwrite a concurrent
/// change to anything else, and applying it twice gives the same object.
/// </summary>
public sealed class KubernetesCleanupCluster(IKubernetes client, ILogger<KubernetesCleanupCluster> logger) : ICleanupCluster
{
    public async Task<bool> RestartWorkloadAsync(string @namespace, string kind, string name, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(
            new JsonObject
            {
                ["spec"] = new JsonObject
                {
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject
                        {
                            ["annotations"] = new JsonObject
                            {
                                [RevertAnnotations.RestartedAt] = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                            },
                        },
                    },
                },
            },
            V1Patch.PatchType.MergePatch);
        return await WhenFoundAsync(async () =>
        {
            if (kind == ScaleTargetRef.StatefulSet)
                await client.AppsV1.PatchNamespacedStatefulSetAsync(patch, name, @namespace, cancellationToken: cancellationToken);
            else
                await client.AppsV1.PatchNamespacedDeploymentAsync(patch, name, @namespace, cancellationToken: cancellationToken);
            logger.LogInformation("Restarted {Kind} {Namespace}/{Name} so its pods come back with the controller spec", kind, @namespace, name);
        });
    }

    public Task<bool> RestoreMinReplicasAsync(string @namespace, string hpaName, int? minReplicas, CancellationToken cancellationToken)
    {
        var patch = new V1Patch(
            new JsonObject
            {
                ["metadata"] = new JsonObject { ["annotations"] = new JsonObject { [RevertAnnotations.OriginalMinReplicas] = null } },
                ["spec"] = new JsonObject { ["minReplicas"] = minReplicas },
            },
            V1Patch.PatchType.MergePatch);
        return WhenFoundAsync(async () =>
        {
            await client.AutoscalingV2.PatchNamespacedHorizontalPodAutoscalerAsync(patch, hpaName, @namespace, cancellationToken: cancellationToken);
            logger.LogInformation("Restored minReplicas of HPA {Namespace}/{Hpa} to {MinReplicas}", @namespace, hpaName, minReplicas);
        });
    }

    public Task<bool> DeleteTargetAsync(TargetKey key, string uid, CancellationToken cancellationToken) =>
        WhenFoundAsync(async () =>
        {
            // The precondition makes the delete miss a newer target that took the name meanwhile.
            await client.CustomObjects.DeleteNamespacedCustomObjectAsync(
                AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, key.Namespace, AIScaleTarget.Plural, key.Name,
                new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = uid } },
                cancellationToken: cancellationToken);
            logger.LogInformation("Deleted AIScaleTarget {Target} ({Uid})", key, uid);
        }, HttpStatusCode.Conflict);

    private static async Task<bool> WhenFoundAsync(Func<Task> write, HttpStatusCode? alsoMissing = null)
    {
        try
        {
            await write();
            return true;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound || ex.Response.StatusCode == alsoMissing)
        {
            return false;
        }
    }
}
