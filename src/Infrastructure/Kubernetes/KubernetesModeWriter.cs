using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// <see cref="IModeWriter"/> through the Kubernetes API: one merge patch carrying <c>metadata.resourceVersion</c>, which
/// the API server checks (409 Conflict when the object changed since).
/// </summary>
public sealed class KubernetesModeWriter(IKubernetes client, ILogger<KubernetesModeWriter> logger) : IModeWriter
{
    public async Task<string> WriteModeAsync(TargetKey key, string resourceVersion, ScalingDirection direction, TargetMode mode, string changeId, CancellationToken cancellationToken)
    {
        var patch = Patch(resourceVersion, changeId);
        patch["spec"] = new JsonObject { [direction.ToWireName()] = new JsonObject { ["mode"] = mode.ToWireName() } };
        var version = await SendAsync(key, patch, cancellationToken);
        logger.LogInformation("Set the {Direction} mode of {Target} to {Mode} (change {Change})", direction.ToWireName(), key, mode.ToWireName(), changeId);
        return version;
    }

    public Task<string> FenceAsync(TargetKey key, string resourceVersion, string changeId, CancellationToken cancellationToken) =>
        SendAsync(key, Patch(resourceVersion, changeId), cancellationToken);

    private static JsonObject Patch(string resourceVersion, string changeId) => new()
    {
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion,
            ["annotations"] = new JsonObject { [PendingModeChange.ModeChangeAnnotation] = changeId },
        },
    };

    private async Task<string> SendAsync(TargetKey key, JsonObject patch, CancellationToken cancellationToken)
    {
        try
        {
            var written = await client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
                new V1Patch(patch, V1Patch.PatchType.MergePatch),
                AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, key.Namespace, AIScaleTarget.Plural, key.Name,
                cancellationToken: cancellationToken);
            return written.GetProperty("metadata").GetProperty("resourceVersion").GetString() ?? string.Empty;
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
        {
            throw new TargetConflictException(key, 1, ex);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            throw new TargetNotFoundException(key, null);
        }
    }
}
