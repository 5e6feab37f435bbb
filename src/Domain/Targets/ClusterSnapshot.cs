using System.Collections.Concurrent;

namespace Thoras.Domain.Targets;

/// <summary>
/// One pass's view of the cluster: the AIScaleTargets from one list call, and the Deployments, StatefulSets, pods, HPAs
/// and PDBs of each namespace, each listed once, when a target first needs it, and shared by every target of the pass.
/// Every target carries the <c>resourceVersion</c> it was listed with, so a status write is a conditional update that
/// needs no read before it (<see cref="ITargetCluster.UpdateStatusAsync(AIScaleTarget, Func{TargetStatus, TargetStatus}, CancellationToken)"/>).
/// A namespace read that fails, or outlasts <c>readBudget</c>, fails every target that needs it in this pass, with the error.
/// </summary>
/// <example>
/// <code>
/// var snapshot = await ClusterSnapshot.TakeAsync(cluster, TargetScope.All, budget, time, ct);
/// foreach (var target in snapshot.Targets)
/// {
///     var resolved = await snapshot.ResolveAsync(target, TargetReads.Workload | TargetReads.Pods, ct); // null: workload missing
/// }
/// </code>
/// </example>
public sealed class ClusterSnapshot
{
    private readonly ITargetCluster cluster;
    private readonly TimeSpan readBudget;
    private readonly TimeProvider time;
    private readonly CancellationToken passToken;
    private readonly ConcurrentDictionary<(string Namespace, string Part), Lazy<Task<object>>> reads = new();

    private ClusterSnapshot(ITargetCluster cluster, IReadOnlyList<AIScaleTarget> targets, IReadOnlyList<InvalidTarget> invalid, TimeSpan readBudget, TimeProvider time, CancellationToken passToken)
    {
        this.cluster = cluster;
        Targets = targets;
        Invalid = invalid;
        this.readBudget = readBudget;
        this.time = time;
        this.passToken = passToken;
    }

    /// <summary>The valid targets in scope that are not being deleted, as listed.</summary>
    public IReadOnlyList<AIScaleTarget> Targets { get; }

    /// <summary>The targets in scope with an invalid spec that are not being deleted.</summary>
    public IReadOnlyList<InvalidTarget> Invalid { get; }

    /// <summary>
    /// Lists the targets of <paramref name="scope"/> (one call per namespace in scope, or one for all). Namespace reads
    /// made later run under <paramref name="cancellationToken"/> and <paramref name="readBudget"/> each.
    /// </summary>
    public static async Task<ClusterSnapshot> TakeAsync(ITargetCluster cluster, TargetScope scope, TimeSpan readBudget, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(time);
        var listing = await cluster.ListAsync(scope.Namespaces, cancellationToken);
        return new ClusterSnapshot(
            cluster,
            [.. listing.Targets.Where(t => !t.Metadata.IsDeleting && scope.Includes(t.Metadata))],
            [.. listing.Invalid.Where(i => !i.Metadata.IsDeleting && scope.Includes(i.Metadata))],
            readBudget,
            time,
            cancellationToken);
    }

    /// <summary>
    /// <paramref name="target"/> with the parts of its surroundings in <paramref name="parts"/>, from its namespace's
    /// lists; null when its <c>scaleTargetRef</c> names a workload that does not exist.
    /// </summary>
    public async Task<ResolvedTarget?> ResolveAsync(AIScaleTarget target, TargetReads parts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        var ns = target.Metadata.Namespace;
        var kind = target.Spec.ScaleTargetRef?.Kind;
        var objects = new NamespaceObjects(
            Deployments: kind == ScaleTargetRef.Deployment ? await ReadAsync(ns, "deployments", t => cluster.ListWorkloadsAsync(ns, ScaleTargetRef.Deployment, t), cancellationToken) : null,
            StatefulSets: kind == ScaleTargetRef.StatefulSet ? await ReadAsync(ns, "statefulsets", t => cluster.ListWorkloadsAsync(ns, ScaleTargetRef.StatefulSet, t), cancellationToken) : null,
            Pods: parts.HasFlag(TargetReads.Pods) ? await ReadAsync(ns, "pods", t => cluster.ListPodsAsync(ns, t), cancellationToken) : null,
            Autoscalers: parts.HasFlag(TargetReads.Autoscalers) && kind is not null ? await ReadAsync(ns, "horizontalpodautoscalers", t => cluster.ListAutoscalersAsync(ns, t), cancellationToken) : null,
            DisruptionBudgets: parts.HasFlag(TargetReads.DisruptionBudgets) ? await ReadAsync(ns, "poddisruptionbudgets", t => cluster.ListDisruptionBudgetsAsync(ns, t), cancellationToken) : null);
        return TargetResolution.Resolve(target, objects);
    }

    /// <summary>
    /// One list of a namespace, started by the first target that needs it and shared by every other: it runs under the
    /// pass's token and its own budget, and each target waits for it only within its own.
    /// </summary>
    private async Task<IReadOnlyList<T>> ReadAsync<T>(string ns, string part, Func<CancellationToken, Task<IReadOnlyList<T>>> list, CancellationToken cancellationToken)
    {
        var read = reads.GetOrAdd((ns, part), _ => new Lazy<Task<object>>(async () =>
        {
            using var budget = new CancellationTokenSource(readBudget, time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(passToken, budget.Token);
            try
            {
                return await list(linked.Token);
            }
            catch (OperationCanceledException) when (budget.IsCancellationRequested && !passToken.IsCancellationRequested)
            {
                throw new TimeoutException($"listing the {part} of namespace {ns} took longer than {readBudget.TotalSeconds:0.#} s");
            }
        }, LazyThreadSafetyMode.ExecutionAndPublication));
        return (IReadOnlyList<T>)await read.Value.WaitAsync(cancellationToken);
    }
}
