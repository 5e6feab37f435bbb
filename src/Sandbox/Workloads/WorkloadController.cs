using System.Globalization;
using System.Text.Json.Nodes;
using Thoras.Sandbox.Admission;
using Thoras.Sandbox.Storage;

namespace Thoras.Sandbox.Workloads;

/// <summary>
/// The controllers and kubelet of the sandbox: keeps each Deployment's and StatefulSet's pods at the desired count and
/// template (an instant rollout), starts pods, collects orphans, keeps workload and PDB status, resizes and evicts pods.
/// </summary>
internal sealed class WorkloadController : IDisposable
{
    /// <summary>The kinds whose changes can call for new pods or new workload and budget status.</summary>
    private static readonly ResourceType[] Watched = [ResourceCatalog.Pods, ResourceCatalog.Deployments, ResourceCatalog.StatefulSets, ResourceCatalog.Pdbs];

    private readonly ObjectStore store;
    private readonly PodAdmission admission;

    /// <summary>
    /// Namespaces to reconcile again on the next call: left short of pods (a webhook denied one; a ReplicaSet retries too),
    /// or not finished (the call was cancelled).
    /// </summary>
    private readonly HashSet<string> again = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim reconciling = new(1, 1);
    private readonly decimal nodeCpu;
    private readonly decimal nodeMemory;
    private int podCounter;
    private volatile bool admissionInFlight;

    /// <summary>The store version up to which every change is reconciled.</summary>
    private long reconciledTo;

    public WorkloadController(ObjectStore store, PodAdmission admission, SandboxOptions options)
    {
        this.store = store;
        this.admission = admission;
        nodeCpu = Quantity.Parse(options.NodeCpu);
        nodeMemory = Quantity.Parse(options.NodeMemory);
    }

    public void Dispose() => reconciling.Dispose();

    /// <summary>
    /// Whether an update can change what the controllers do (the store's watch predicate): for pods a change of labels,
    /// owners, deletion, phase or readiness (not a resize or a usage report); for workloads and budgets any change but
    /// status, which the controllers write themselves; for kinds they do not watch, any change.
    /// </summary>
    public static bool Reacts(ResourceType type, JsonObject before, JsonObject after)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        if (type.StorageKey == ResourceCatalog.Pods.StorageKey)
        {
            return !JsonNode.DeepEquals(before["metadata"]?["labels"], after["metadata"]?["labels"])
                || !JsonNode.DeepEquals(before["metadata"]?["ownerReferences"], after["metadata"]?["ownerReferences"])
                || !JsonNode.DeepEquals(before["metadata"]?["deletionTimestamp"], after["metadata"]?["deletionTimestamp"])
                || before["status"]?["phase"]?.ToString() != after["status"]?["phase"]?.ToString()
                || PodTemplates.IsReady(before) != PodTemplates.IsReady(after);
        }

        return !Watched.Any(w => w.StorageKey == type.StorageKey) || !JsonNode.DeepEquals(WithoutStatus(before), WithoutStatus(after));
    }

    private static JsonObject WithoutStatus(JsonObject obj)
    {
        var copy = new JsonObject();
        foreach (var (key, value) in obj)
        {
            if (key != "status")
                copy[key] = key == "metadata" && value is JsonObject metadata ? WithoutVersion(metadata) : value?.DeepClone();
        }

        return copy;
    }

    private static JsonObject WithoutVersion(JsonObject metadata)
    {
        var copy = (JsonObject)metadata.DeepClone();
        copy.Remove("resourceVersion");
        copy.Remove("managedFields");
        return copy;
    }

    /// <summary>
    /// Brings pods and status in line with the workloads. Called after every change; only the namespaces where pods,
    /// workloads or budgets changed since the last call are looked at (controllers own only pods of their namespace), so
    /// a change costs what its namespace holds, not what the cluster holds.
    /// </summary>
    public async Task ReconcileAsync(CancellationToken cancellation)
    {
        // A webhook that calls back into the sandbox while we wait for it must not wait for us in turn.
        if (admissionInFlight && reconciling.CurrentCount == 0)
            return;
        await reconciling.WaitAsync(cancellation);
        try
        {
            var (namespaces, version) = store.ChangedNamespaces(Watched, reconciledTo);
            namespaces.UnionWith(again);
            again.Clear();
            // Taken before reconciling: what changes meanwhile (our own writes included) is looked at next time.
            reconciledTo = version;
            var remaining = new SortedSet<string>(namespaces, StringComparer.Ordinal);
            try
            {
                while (remaining.Count > 0)
                {
                    await ReconcileNamespaceAsync(remaining.Min!, cancellation);
                    remaining.Remove(remaining.Min!);
                }
            }
            finally
            {
                again.UnionWith(remaining);
            }
        }
        finally
        {
            reconciling.Release();
        }
    }

    private async Task ReconcileNamespaceAsync(string ns, CancellationToken cancellation)
    {
        for (var pass = 0; pass < 20; pass++)
        {
            var toCreate = Plan(ns);
            if (toCreate.Count == 0)
                break;
            foreach (var pod in toCreate)
            {
                admissionInFlight = true;
                JsonObject admitted;
                try
                {
                    admitted = await admission.ReviewAsync(pod, ns, cancellation);
                }
                catch (ApiError)
                {
                    // A webhook that denies the pod leaves the workload short, as a ReplicaSet would stay.
                    again.Add(ns);
                    continue;
                }
                finally
                {
                    admissionInFlight = false;
                }

                try
                {
                    store.Create(ResourceCatalog.Pods, null, admitted);
                }
                catch (ApiError error) when (error.Reason == "AlreadyExists" || error.Code == 404)
                {
                    // The workload or its namespace changed while the webhook ran; the next pass decides again.
                }
            }
        }

        StartPods(ns);
        UpdateWorkloadStatus(ResourceCatalog.Deployments, ns);
        UpdateWorkloadStatus(ResourceCatalog.StatefulSets, ns);
        UpdateDisruptionBudgets(ns);
    }

    /// <summary>Deletes pods of the namespace that should go and returns the pods that should be created.</summary>
    private List<JsonObject> Plan(string ns)
    {
        var pods = store.List(ResourceCatalog.Pods, ns).Items;
        var byOwner = OwnedPods(pods);
        var toCreate = new List<JsonObject>();
        var owners = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (type, kind) in new[] { (ResourceCatalog.Deployments, "Deployment"), (ResourceCatalog.StatefulSets, "StatefulSet") })
        {
            foreach (var workload in store.List(type, ns).Items)
            {
                var uid = workload["metadata"]!["uid"]!.ToString();
                owners.Add(uid);
                if (workload["metadata"]?["deletionTimestamp"] is not null)
                    continue;
                var name = workload["metadata"]!["name"]!.ToString();
                var desired = JsonNumbers.Int(workload["spec"]?["replicas"]) ?? 1;
                var hash = PodTemplates.Hash(workload["spec"]?["template"]);
                var owned = byOwner.GetValueOrDefault(uid, []);
                var current = new List<JsonObject>();
                foreach (var pod in owned)
                {
                    var podHash = kind == "Deployment"
                        ? pod["metadata"]?["labels"]?["pod-template-hash"]?.ToString()
                        : pod["metadata"]?["labels"]?["controller-revision-hash"]?.ToString()?.Replace($"{name}-", "", StringComparison.Ordinal);
                    if (podHash == hash)
                        current.Add(pod);
                    else
                        DeletePod(pod);
                }

                if (kind == "Deployment")
                {
                    foreach (var extra in current.OrderByDescending(p => p["metadata"]!["creationTimestamp"]!.ToString()).Take(Math.Max(0, current.Count - desired)))
                        DeletePod(extra);
                    for (var i = current.Count; i < desired; i++)
                        toCreate.Add(PodTemplates.NewPod(workload, kind, hash, null));
                }
                else
                {
                    var names = current.Select(p => p["metadata"]!["name"]!.ToString()).ToHashSet();
                    foreach (var extra in current.Where(p => Ordinal(name, p) >= desired))
                        DeletePod(extra);
                    for (var i = 0; i < desired; i++)
                    {
                        var podName = $"{name}-{i}";
                        if (!names.Contains(podName) && store.TryGet(ResourceCatalog.Pods, ns, podName) is null)
                            toCreate.Add(PodTemplates.NewPod(workload, kind, hash, podName));
                    }
                }
            }
        }

        // Garbage collection: pods whose controlling workload is gone go with it (owners live in their pods' namespace).
        foreach (var orphan in pods.Where(p => OwnerUid(p) is { } owner && OwnerKind(p) is "Deployment" or "StatefulSet" && !owners.Contains(owner)))
            DeletePod(orphan);
        return toCreate;
    }

    /// <summary>The pods not being deleted, by the UID of their controlling owner.</summary>
    private static Dictionary<string, List<JsonObject>> OwnedPods(IEnumerable<JsonObject> pods)
    {
        var byOwner = new Dictionary<string, List<JsonObject>>(StringComparer.Ordinal);
        foreach (var pod in pods.Where(p => p["metadata"]?["deletionTimestamp"] is null))
        {
            if (OwnerUid(pod) is not { } owner)
                continue;
            if (!byOwner.TryGetValue(owner, out var list))
                byOwner[owner] = list = [];
            list.Add(pod);
        }

        return byOwner;
    }

    private void StartPods(string ns)
    {
        foreach (var pod in store.Select(ResourceCatalog.Pods, ns, p => p["status"]?["phase"] is null ? (JsonObject)p.DeepClone() : null))
        {
            var ordinal = Interlocked.Increment(ref podCounter);
            TryUpdate(ResourceCatalog.Pods, pod, current =>
            {
                JsonPaths.Object(current, "spec")["nodeName"] ??= PodTemplates.NodeName;
                current["status"] = PodTemplates.RunningStatus(current, store.Now(), ordinal);
                return current;
            }, "resize");
        }
    }

    private void UpdateWorkloadStatus(ResourceType type, string ns)
    {
        var workloads = store.List(type, ns).Items;
        if (workloads.Count == 0)
            return;
        var byOwner = OwnedPods(store.List(ResourceCatalog.Pods, ns).Items);
        foreach (var workload in workloads)
        {
            var uid = workload["metadata"]!["uid"]!.ToString();
            var name = workload["metadata"]!["name"]!.ToString();
            var hash = PodTemplates.Hash(workload["spec"]?["template"]);
            var owned = byOwner.GetValueOrDefault(uid, []);
            var ready = owned.Count(PodTemplates.IsReady);
            var updated = owned.Count(p =>
                p["metadata"]?["labels"]?["pod-template-hash"]?.ToString() == hash
                || p["metadata"]?["labels"]?["controller-revision-hash"]?.ToString() == $"{name}-{hash}");
            var desired = JsonNumbers.Int(workload["spec"]?["replicas"]) ?? 1;
            var status = new JsonObject
            {
                ["observedGeneration"] = workload["metadata"]?["generation"]?.DeepClone(),
                ["replicas"] = owned.Count,
                ["readyReplicas"] = ready,
                ["availableReplicas"] = ready,
                ["updatedReplicas"] = updated,
            };
            if (type == ResourceCatalog.StatefulSets)
            {
                status["currentReplicas"] = updated;
                status["currentRevision"] = $"{name}-{hash}";
                status["updateRevision"] = $"{name}-{hash}";
            }
            else
            {
                status["unavailableReplicas"] = Math.Max(0, desired - ready);
                var available = ready >= desired ? "True" : "False";
                var previous = (workload["status"]?["conditions"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(c => c["type"]?.ToString() == "Available");
                var since = previous?["status"]?.ToString() == available ? previous["lastTransitionTime"]?.ToString() : store.Now();
                status["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Available",
                    ["status"] = available,
                    ["reason"] = available == "True" ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    ["message"] = available == "True" ? "Deployment has minimum availability." : "Deployment does not have minimum availability.",
                    ["lastUpdateTime"] = since,
                    ["lastTransitionTime"] = since,
                });
            }

            // Most reconciles change no workload's status; comparing here spares the store its copies.
            if (JsonNode.DeepEquals(workload["status"], status))
                continue;
            TryUpdate(type, workload, current =>
            {
                current["status"] = status.DeepClone();
                return current;
            }, "status");
        }
    }

    private void UpdateDisruptionBudgets(string ns)
    {
        foreach (var pdb in store.List(ResourceCatalog.Pdbs, ns).Items)
        {
            var budget = DisruptionBudget.Evaluate(store, pdb);
            TryUpdate(ResourceCatalog.Pdbs, pdb, current =>
            {
                current["status"] = new JsonObject
                {
                    ["observedGeneration"] = current["metadata"]?["generation"]?.DeepClone(),
                    ["currentHealthy"] = budget.CurrentHealthy,
                    ["desiredHealthy"] = budget.DesiredHealthy,
                    ["expectedPods"] = budget.ExpectedPods,
                    ["disruptionsAllowed"] = budget.DisruptionsAllowed,
                    ["conditions"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "DisruptionAllowed",
                        ["status"] = budget.DisruptionsAllowed > 0 ? "True" : "False",
                        ["reason"] = budget.DisruptionsAllowed > 0 ? "SufficientPods" : "InsufficientPods",
                        ["message"] = "",
                        ["observedGeneration"] = current["metadata"]?["generation"]?.DeepClone(),
                        ["lastTransitionTime"] = current["status"]?["conditions"]?[0]?["lastTransitionTime"]?.DeepClone() ?? store.Now(),
                    }),
                };
                return current;
            }, "status");
        }
    }

    /// <summary>The pods/resize subresource: changes container resources in place and reports whether the node can fit them.</summary>
    public JsonObject Resize(string ns, string name, Func<JsonObject, JsonObject> change, bool dryRun) =>
        store.Update(ResourceCatalog.Pods, ns, name, current =>
        {
            var proposed = change((JsonObject)current.DeepClone());
            PodResize.Validate(current, proposed, name);
            var (cpu, memory) = PodTemplates.Requests(proposed);
            var uid = current["metadata"]?["uid"]?.ToString();
            var others = store.Select(ResourceCatalog.Pods, null, p =>
                    p["metadata"]?["uid"]?.ToString() != uid && p["metadata"]?["deletionTimestamp"] is null ? AllocatedRequests(p) : null)
                .Aggregate((Cpu: 0m, Memory: 0m), (sum, r) => (sum.Cpu + r.Cpu, sum.Memory + r.Memory));
            var verdict = PodResize.Decide(cpu, memory, nodeCpu, nodeMemory, others.Cpu, others.Memory);
            PodResize.ApplyStatus(proposed, verdict, store.Now());
            return proposed;
        }, "resize", dryRun);

    /// <summary>The pods/eviction subresource: deletes the pod unless a PodDisruptionBudget forbids it (429).</summary>
    public JsonObject Evict(string ns, string name, bool dryRun)
    {
        var pod = store.Get(ResourceCatalog.Pods, ns, name);
        var budgets = store.List(ResourceCatalog.Pdbs, ns).Items
            .Where(b => Selectors.Matches(b["spec"]?["selector"] as JsonObject, pod["metadata"]?["labels"] as JsonObject))
            .ToList();
        if (budgets.Count > 1)
            throw new ApiError(500, "InternalError", "This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.");
        if (budgets.Count == 1 && PodTemplates.IsReady(pod))
        {
            var budget = DisruptionBudget.Evaluate(store, budgets[0]);
            if (budget.DisruptionsAllowed <= 0)
            {
                var error = new ApiError(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption budget.");
                throw error;
            }
        }

        if (!dryRun)
            store.Delete(ResourceCatalog.Pods, ns, name);
        return new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Success",
            ["code"] = 201,
        };
    }

    private static Allocation AllocatedRequests(JsonObject pod)
    {
        decimal cpu = 0, memory = 0;
        foreach (var status in (pod["status"]?["containerStatuses"] as JsonArray ?? []).OfType<JsonObject>())
        {
            cpu += Quantity.TryParse(status["allocatedResources"]?["cpu"]?.ToString(), out var c) ? c : 0;
            memory += Quantity.TryParse(status["allocatedResources"]?["memory"]?.ToString(), out var m) ? m : 0;
        }

        return new Allocation(cpu, memory);
    }

    private void DeletePod(JsonObject pod)
    {
        try
        {
            store.Delete(ResourceCatalog.Pods, pod["metadata"]!["namespace"]!.ToString(), pod["metadata"]!["name"]!.ToString());
        }
        catch (ApiError error) when (error.Code == 404)
        {
            // Already gone.
        }
    }

    private void TryUpdate(ResourceType type, JsonObject obj, Func<JsonObject, JsonObject> change, string subresource)
    {
        try
        {
            store.Update(type, obj["metadata"]?["namespace"]?.ToString(), obj["metadata"]!["name"]!.ToString(), current =>
            {
                var next = change(current);
                next["metadata"]!["resourceVersion"] = null;
                return next;
            }, subresource);
        }
        catch (ApiError error) when (error.Code == 404)
        {
            // Deleted meanwhile.
        }
    }

    private static string? OwnerUid(JsonObject pod) =>
        (pod["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(o => o["controller"]?.ToString() == "true")?["uid"]?.ToString();

    private static string? OwnerKind(JsonObject pod) =>
        (pod["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().FirstOrDefault(o => o["controller"]?.ToString() == "true")?["kind"]?.ToString();

    private sealed record Allocation(decimal Cpu, decimal Memory);

    private static int Ordinal(string workload, JsonObject pod) =>
        int.TryParse(pod["metadata"]!["name"]!.ToString().AsSpan(workload.Length + 1), NumberStyles.Integer, CultureInfo.InvariantCulture, out var ordinal) ? ordinal : int.MaxValue;
}
