using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using k8s;
using k8s.Autorest;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Kubernetes;

/// <summary>
/// <see cref="ITargetCluster"/> through the Kubernetes API. AIScaleTargets are read as raw JSON and parsed with the
/// domain model, so one bad target is reported instead of failing a whole list. Every write carries the
/// <c>resourceVersion</c> it was computed from; on 409 Conflict it re-reads and recomputes, at most
/// <see cref="MaxAttempts"/> times.
/// </summary>
public sealed class KubernetesTargetCluster : ITargetCluster
{
    /// <summary>How many times a write is tried before <see cref="TargetConflictException"/>.</summary>
    public const int MaxAttempts = 5;

    /// <summary>Page size of list calls, so a cluster with many targets is read in bounded responses.</summary>
    private const int PageSize = 500;

    private static readonly TimeSpan ConflictBackoff = TimeSpan.FromMilliseconds(20);

    private readonly IKubernetes _client;
    private readonly ILogger<KubernetesTargetCluster> _logger;

    public KubernetesTargetCluster(IKubernetes client, ILogger<KubernetesTargetCluster> logger)
    {
        _client = client;
        _logger = logger;
    }

    public async Task<TargetListing> ListAsync(IReadOnlyCollection<string> namespaces, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(namespaces);
        var items = new List<JsonElement>();
        if (namespaces.Count == 0)
        {
            await ReadPagesAsync(
                token => _client.CustomObjects.ListCustomObjectForAllNamespacesAsync<JsonElement>(
                    AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, AIScaleTarget.Plural,
                    continueParameter: token, limit: PageSize, cancellationToken: cancellationToken),
                items);
        }
        else
        {
            foreach (var ns in namespaces.Distinct(StringComparer.Ordinal))
            {
                await ReadPagesAsync(
                    token => _client.CustomObjects.ListNamespacedCustomObjectAsync<JsonElement>(
                        AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, ns, AIScaleTarget.Plural,
                        continueParameter: token, limit: PageSize, cancellationToken: cancellationToken),
                    items);
            }
        }

        var targets = new List<AIScaleTarget>();
        var invalid = new List<InvalidTarget>();
        foreach (var item in items)
        {
            var parsed = Parse(item);
            if (parsed.Target is not null)
                targets.Add(parsed.Target);
            else
                invalid.Add(parsed.Invalid!);
        }

        return new TargetListing(targets, invalid);
    }

    public async Task<AIScaleTarget?> GetAsync(TargetKey key, CancellationToken cancellationToken)
    {
        var raw = await ReadRawAsync(key, cancellationToken);
        if (raw is null)
            return null;
        var parsed = Parse(raw.Value);
        return parsed.Target ?? throw new InvalidTargetException(parsed.Invalid!);
    }

    public Task<TargetStatus> UpdateStatusAsync(TargetKey key, string uid, Func<TargetStatus, TargetStatus> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(change);
        return RetryOnConflictAsync(key, async () =>
        {
            var raw = await ReadRawAsync(key, cancellationToken);
            if (raw is null || Uid(raw.Value) != uid)
                throw new TargetNotFoundException(key, uid);

            var current = ReadStatus(raw.Value, key);
            var next = change(current);
            var nextJson = TargetJson.Write(next);
            if (JsonElement.DeepEquals(TargetJson.Write(current), nextJson))
                return current;

            // The whole object goes back with only its status changed: the status subresource ignores the rest, and
            // a replace (unlike a merge patch) also removes what the new status leaves out.
            var body = JsonNode.Parse(raw.Value.GetRawText())!.AsObject();
            body["status"] = JsonNode.Parse(nextJson.GetRawText());
            await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<JsonElement>(
                body, AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, key.Namespace, AIScaleTarget.Plural, key.Name,
                cancellationToken: cancellationToken);
            return next;
        }, cancellationToken);
    }

    public Task<bool> AddFinalizerAsync(TargetKey key, string uid, CancellationToken cancellationToken) =>
        RetryOnConflictAsync(key, async () =>
        {
            var raw = await ReadRawAsync(key, cancellationToken);
            if (raw is null || Uid(raw.Value) != uid)
                throw new TargetNotFoundException(key, uid);
            var metadata = Metadata(raw.Value);
            // The API server refuses new finalizers on an object being deleted.
            if (metadata.HasFinalizer(AIScaleTarget.CleanupFinalizer) || metadata.IsDeleting)
                return false;

            await PatchFinalizersAsync(key, metadata, [.. metadata.Finalizers, AIScaleTarget.CleanupFinalizer], cancellationToken);
            _logger.LogInformation("Added the finalizer {Finalizer} to {Target}", AIScaleTarget.CleanupFinalizer, key);
            return true;
        }, cancellationToken);

    public Task<bool> RemoveFinalizerAsync(TargetKey key, string uid, CancellationToken cancellationToken) =>
        RetryOnConflictAsync(key, async () =>
        {
            var raw = await ReadRawAsync(key, cancellationToken);
            if (raw is null || Uid(raw.Value) != uid)
                return false;
            var metadata = Metadata(raw.Value);
            if (!metadata.HasFinalizer(AIScaleTarget.CleanupFinalizer))
                return false;

            await PatchFinalizersAsync(key, metadata, metadata.Finalizers.Where(f => f != AIScaleTarget.CleanupFinalizer).ToList(), cancellationToken);
            _logger.LogInformation("Removed the finalizer {Finalizer} from {Target}", AIScaleTarget.CleanupFinalizer, key);
            return true;
        }, cancellationToken);

    public async Task<TargetStatus> UpdateStatusAsync(AIScaleTarget seen, Func<TargetStatus, TargetStatus> change, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(change);
        var next = change(seen.Status);
        var nextJson = TargetJson.Write(next);
        if (JsonElement.DeepEquals(TargetJson.Write(seen.Status), nextJson))
            return seen.Status;
        if (seen.Metadata.ResourceVersion is { Length: > 0 } version)
        {
            // The status subresource takes only the status from the body; the version makes it conditional, so no read
            // is needed first. Kubernetes answers 409 when the target changed (or was recreated) since it was listed.
            var body = new JsonObject
            {
                ["apiVersion"] = $"{AIScaleTarget.ApiGroup}/{AIScaleTarget.ApiVersion}",
                ["kind"] = AIScaleTarget.Kind,
                ["metadata"] = new JsonObject
                {
                    ["name"] = seen.Metadata.Name,
                    ["namespace"] = seen.Metadata.Namespace,
                    ["uid"] = seen.Metadata.Uid,
                    ["resourceVersion"] = version,
                },
                ["status"] = JsonNode.Parse(nextJson.GetRawText()),
            };
            try
            {
                await _client.CustomObjects.ReplaceNamespacedCustomObjectStatusAsync<JsonElement>(
                    body, AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, seen.Metadata.Namespace, AIScaleTarget.Plural, seen.Metadata.Name,
                    cancellationToken: cancellationToken);
                return next;
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                _logger.LogDebug("{Target} changed since it was listed; its status is re-read and written again", seen.Key);
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
            {
                throw new TargetNotFoundException(seen.Key, seen.Metadata.Uid);
            }
        }

        return await UpdateStatusAsync(seen.Key, seen.Metadata.Uid, change, cancellationToken);
    }

    public async Task<ResolvedTarget?> ResolveAsync(AIScaleTarget target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var ns = target.Metadata.Namespace;
        var objects = new NamespaceObjects();
        var selector = target.Spec.Selector;
        if (target.Spec.ScaleTargetRef is { } reference)
        {
            var workload = await ReadWorkloadAsync(ns, reference, cancellationToken);
            if (workload is null)
                return null;
            objects = reference.Kind == ScaleTargetRef.StatefulSet ? objects with { StatefulSets = [workload] } : objects with { Deployments = [workload] };
            selector = workload.Selector;
        }

        var pods = await _client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector?.ToString(), cancellationToken: cancellationToken);
        objects = objects with
        {
            Pods = [.. pods.Items.Select(KubernetesModels.ToPod)],
            Autoscalers = target.Spec.ScaleTargetRef is null ? [] : await ListAutoscalersAsync(ns, cancellationToken),
            DisruptionBudgets = await ListDisruptionBudgetsAsync(ns, cancellationToken),
        };
        return TargetResolution.Resolve(target, objects);
    }

    public async Task<IReadOnlyList<Workload>> ListWorkloadsAsync(string @namespace, string kind, CancellationToken cancellationToken) =>
        kind == ScaleTargetRef.StatefulSet
            ? await ListPagesAsync(
                token => _client.AppsV1.ListNamespacedStatefulSetAsync(@namespace, continueParameter: token, limit: PageSize, cancellationToken: cancellationToken),
                l => l.Items.Select(KubernetesModels.ToWorkload), l => l.Metadata?.ContinueProperty)
            : await ListPagesAsync(
                token => _client.AppsV1.ListNamespacedDeploymentAsync(@namespace, continueParameter: token, limit: PageSize, cancellationToken: cancellationToken),
                l => l.Items.Select(KubernetesModels.ToWorkload), l => l.Metadata?.ContinueProperty);

    public Task<IReadOnlyList<WorkloadPod>> ListPodsAsync(string @namespace, CancellationToken cancellationToken) =>
        ListPagesAsync(
            token => _client.CoreV1.ListNamespacedPodAsync(@namespace, continueParameter: token, limit: PageSize, cancellationToken: cancellationToken),
            l => l.Items.Select(KubernetesModels.ToPod), l => l.Metadata?.ContinueProperty);

    public Task<IReadOnlyList<HorizontalAutoscaler>> ListAutoscalersAsync(string @namespace, CancellationToken cancellationToken) =>
        ListPagesAsync(
            token => _client.AutoscalingV2.ListNamespacedHorizontalPodAutoscalerAsync(@namespace, continueParameter: token, limit: PageSize, cancellationToken: cancellationToken),
            l => l.Items.Select(KubernetesModels.ToAutoscaler), l => l.Metadata?.ContinueProperty);

    public Task<IReadOnlyList<DisruptionBudget>> ListDisruptionBudgetsAsync(string @namespace, CancellationToken cancellationToken) =>
        ListPagesAsync(
            token => _client.PolicyV1.ListNamespacedPodDisruptionBudgetAsync(@namespace, continueParameter: token, limit: PageSize, cancellationToken: cancellationToken),
            l => l.Items.Select(KubernetesModels.ToBudget), l => l.Metadata?.ContinueProperty);

    private static async Task<IReadOnlyList<T>> ListPagesAsync<TList, T>(Func<string?, Task<TList>> readPage, Func<TList, IEnumerable<T>> items, Func<TList, string?> next)
    {
        var all = new List<T>();
        string? token = null;
        do
        {
            var page = await readPage(token);
            all.AddRange(items(page));
            token = next(page);
        }
        while (!string.IsNullOrEmpty(token));
        return all;
    }

    private async Task<Workload?> ReadWorkloadAsync(string ns, ScaleTargetRef reference, CancellationToken cancellationToken)
    {
        try
        {
            return reference.Kind == ScaleTargetRef.StatefulSet
                ? KubernetesModels.ToWorkload(await _client.AppsV1.ReadNamespacedStatefulSetAsync(reference.Name, ns, cancellationToken: cancellationToken))
                : KubernetesModels.ToWorkload(await _client.AppsV1.ReadNamespacedDeploymentAsync(reference.Name, ns, cancellationToken: cancellationToken));
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private async Task PatchFinalizersAsync(TargetKey key, TargetMetadata metadata, IReadOnlyList<string> finalizers, CancellationToken cancellationToken)
    {
        // A merge patch replaces the whole list; the resourceVersion makes that safe against a concurrent change.
        var patch = new JsonObject
        {
            ["metadata"] = new JsonObject
            {
                ["resourceVersion"] = metadata.ResourceVersion,
                ["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
            },
        };
        await _client.CustomObjects.PatchNamespacedCustomObjectAsync<JsonElement>(
            new V1Patch(patch, V1Patch.PatchType.MergePatch),
            AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, key.Namespace, AIScaleTarget.Plural, key.Name,
            cancellationToken: cancellationToken);
    }

    private async Task<JsonElement?> ReadRawAsync(TargetKey key, CancellationToken cancellationToken)
    {
        try
        {
            return await _client.CustomObjects.GetNamespacedCustomObjectAsync<JsonElement>(
                AIScaleTarget.ApiGroup, AIScaleTarget.ApiVersion, key.Namespace, AIScaleTarget.Plural, key.Name, cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static async Task ReadPagesAsync(Func<string?, Task<JsonElement>> readPage, List<JsonElement> items)
    {
        string? token = null;
        do
        {
            var page = await readPage(token);
            if (page.TryGetProperty("items", out var pageItems) && pageItems.ValueKind == JsonValueKind.Array)
                items.AddRange(pageItems.EnumerateArray().Select(i => i.Clone()));
            token = page.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("continue", out var next) && next.ValueKind == JsonValueKind.String
                ? next.GetString()
                : null;
        }
        while (!string.IsNullOrEmpty(token));
    }

    private async Task<T> RetryOnConflictAsync<T>(TargetKey key, Func<Task<T>> attempt, CancellationToken cancellationToken)
    {
        HttpOperationException? lastConflict = null;
        for (var i = 1; i <= MaxAttempts; i++)
        {
            try
            {
                return await attempt();
            }
            catch (HttpOperationException ex) when (ex.Response.StatusCode == HttpStatusCode.Conflict)
            {
                lastConflict = ex;
                _logger.LogDebug("Conflict writing {Target} (attempt {Attempt} of {MaxAttempts}); re-reading", key, i, MaxAttempts);
                if (i < MaxAttempts)
                    await Task.Delay(ConflictBackoff * i, cancellationToken);
            }
        }

        throw new TargetConflictException(key, MaxAttempts, lastConflict);
    }

    private (AIScaleTarget? Target, InvalidTarget? Invalid) Parse(JsonElement item)
    {
        var metadata = Metadata(item);
        var spec = TargetJson.ReadValidSpec(item.TryGetProperty("spec", out var s) ? s : default, out var problems);
        if (spec is null)
        {
            _logger.LogWarning("AIScaleTarget {Target} has an invalid spec: {Problems}", metadata.Key, string.Join("; ", problems));
            return (null, new InvalidTarget(metadata, problems));
        }

        return (new AIScaleTarget(metadata, spec, ReadStatus(item, metadata.Key)), null);
    }

    /// <summary>A status the app cannot read is treated as empty: the app wrote it, and the next write replaces it.</summary>
    private TargetStatus ReadStatus(JsonElement item, TargetKey key)
    {
        if (!item.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.Object)
            return new TargetStatus();
        try
        {
            return TargetJson.ReadStatus(status);
        }
        catch (FormatException ex)
        {
            _logger.LogWarning(ex, "The status of AIScaleTarget {Target} cannot be read and is treated as empty", key);
            return new TargetStatus();
        }
    }

    private static string? Uid(JsonElement item) =>
        item.TryGetProperty("metadata", out var m) && m.TryGetProperty("uid", out var uid) ? uid.GetString() : null;

    private static TargetMetadata Metadata(JsonElement item)
    {
        var meta = KubernetesJson.Deserialize<V1ObjectMeta>(item.GetProperty("metadata").GetRawText());
        return new TargetMetadata
        {
            Namespace = meta.NamespaceProperty ?? string.Empty,
            Name = meta.Name ?? string.Empty,
            Uid = meta.Uid ?? string.Empty,
            ResourceVersion = meta.ResourceVersion,
            Generation = meta.Generation,
            CreationTimestamp = KubernetesModels.ToUtc(meta.CreationTimestamp),
            DeletionTimestamp = KubernetesModels.ToUtc(meta.DeletionTimestamp),
            Finalizers = meta.Finalizers?.ToList() ?? [],
            Labels = KubernetesModels.Copy(meta.Labels),
            Annotations = KubernetesModels.Copy(meta.Annotations),
        };
    }
}
