using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>What the apply planner decided for one pass: the gate's decision and one plan per target, in target order.</summary>
/// <param name="Gate">Whether scaling may run, and why not.</param>
/// <param name="At">The moment the plan was made for.</param>
/// <param name="Targets">One plan per target.</param>
public sealed record ApplyPlan(GateDecision Gate, DateTimeOffset At, IReadOnlyList<TargetApplyPlan> Targets);

/// <summary>How the planner decided one target.</summary>
public enum ApplyDecision
{
    /// <summary>The suggestion is not applied, for the reason of the target's <see cref="Refusal"/>.</summary>
    Refused,

    /// <summary>The latest suggestion is already applied: nothing to do.</summary>
    UpToDate,

    /// <summary>Pods are resized or evicted towards the latest suggestion.</summary>
    Vertical,

    /// <summary>The HPA's <c>minReplicas</c> is set to the suggested floor.</summary>
    Horizontal,

    /// <summary>What the target needs could not be read this pass; it is retried on the next.</summary>
    Failed,
}

/// <summary>
/// The plan for one target: the decision, the items to carry out in order (each a typed action or refusal naming its
/// target, kind and reason), and what the record step needs to report on them.
/// </summary>
public sealed record TargetApplyPlan
{
    public required AIScaleTarget Target { get; init; }

    public required ApplyDecision Decision { get; init; }

    /// <summary>The decision in a sentence: the refusal's reason, the failure, or what is to be done.</summary>
    public required string Detail { get; init; }

    /// <summary>The actions and refusals, in the order the executor carries them out.</summary>
    public IReadOnlyList<ApplyItem> Items { get; init; } = [];

    /// <summary>The latest suggestion with the OOM floors still holding raised into it (vertical), as applied.</summary>
    public Suggestion? Suggestion { get; init; }

    /// <summary>The enrollment record as it is once this suggestion's baseline is set, before anything is done.</summary>
    public EnrolledTarget? Record { get; init; }

    /// <summary>The target's enrollment record as it was read; null when it has none yet (or only an older target's).</summary>
    public EnrolledTarget? Stored { get; init; }

    /// <summary>How many pods run for the target (vertical): what "applied to N of M pods" counts against.</summary>
    public int RunningPods { get; init; }

    /// <summary>How many more pods may be evicted now (vertical), and what a pod that may not waits for.</summary>
    public EvictionAllowance? Evictions { get; init; }

    /// <summary>The target's key.</summary>
    public TargetKey Key => Target.Key;
}

/// <summary>What an <see cref="ApplyItem"/> is.</summary>
public enum ApplyItemKind
{
    /// <summary>The suggestion is not applied (<see cref="Refusal"/>).</summary>
    Refuse,

    /// <summary>A new OOM kill is recorded, with the memory floor it sets (<see cref="RecordOomKill"/>).</summary>
    RecordOomKill,

    /// <summary>The enrollment record gets the baseline before the workload is first changed (<see cref="SaveBaseline"/>).</summary>
    SaveBaseline,

    /// <summary>A pod already runs with the suggestion; it is counted as done (<see cref="KeepPod"/>).</summary>
    KeepPod,

    /// <summary>A running pod is resized in place (<see cref="ResizePod"/>).</summary>
    ResizePod,

    /// <summary>A pod is evicted so its controller recreates it with the suggestion (<see cref="EvictPod"/>).</summary>
    EvictPod,

    /// <summary>The HPA's <c>minReplicas</c> is set to the suggested floor (<see cref="SetHpaFloor"/>).</summary>
    SetHpaFloor,
}

/// <summary>One action or refusal of an apply plan: its target, what kind it is, and why.</summary>
/// <param name="Target">The target it belongs to.</param>
/// <param name="TargetUid">The target's <c>metadata.uid</c>.</param>
/// <param name="Kind">What it is.</param>
/// <param name="Reason">Why, in a sentence.</param>
public abstract record ApplyItem(TargetKey Target, string TargetUid, ApplyItemKind Kind, string Reason);

/// <summary>The latest suggestion is not applied; <paramref name="Condition"/> (when set) says why on the target.</summary>
public sealed record Refusal(TargetKey Target, string TargetUid, Ineligibility Why, string Reason, TargetCondition? Condition)
    : ApplyItem(Target, TargetUid, ApplyItemKind.Refuse, Reason);

/// <summary>A new OOM kill, recorded before anything else so it raises memory once, however many passes see it.</summary>
public sealed record RecordOomKill(TargetKey Target, string TargetUid, OomKill Kill, string Reason)
    : ApplyItem(Target, TargetUid, ApplyItemKind.RecordOomKill, Reason);

/// <summary>The enrollment record with the baseline, saved before the workload is first changed, so a revert always knows what to undo.</summary>
public sealed record SaveBaseline(TargetKey Target, string TargetUid, EnrolledTarget Record, string Reason)
    : ApplyItem(Target, TargetUid, ApplyItemKind.SaveBaseline, Reason);

/// <summary>A pod that already runs with the suggestion.</summary>
public sealed record KeepPod(TargetKey Target, string TargetUid, WorkloadPod Pod, string Reason)
    : ApplyItem(Target, TargetUid, ApplyItemKind.KeepPod, Reason);

/// <summary>A running pod to resize in place to <paramref name="Desired"/>; evicted instead when the node can never fit it and the update mode allows.</summary>
public sealed record ResizePod(TargetKey Target, string TargetUid, WorkloadPod Pod, IReadOnlyList<ContainerResources> Desired, bool EvictIfInfeasible, string Reason)
    : ApplyItem(Target, TargetUid, ApplyItemKind.ResizePod, Reason);

/// <summary>A pod to evict, within the plan's <see cref="EvictionAllowance"/>; beyond it, the pod waits.</summary>
public sealed record EvictPod(TargetKey Target, string TargetUid, WorkloadPod Pod, string Reason)
    : ApplyItem(Target, TargetUid, ApplyItemKind.EvictPod, Reason);

/// <summary>The HPA's <c>minReplicas</c> to set to <paramref name="Floor"/>, keeping <paramref name="OriginalMinReplicas"/> in its annotation.</summary>
public sealed record SetHpaFloor(TargetKey Target, string TargetUid, HorizontalAutoscaler Hpa, int Floor, int? OriginalMinReplicas, string Reason)
    : ApplyItem(Target, TargetUid, ApplyItemKind.SetHpaFloor, Reason);

/// <summary>
/// How many pods of a target may still be evicted now: <c>disruption.max_disrupted</c> per <c>disruption.interval</c>
/// less the evictions already made in it, and what the PodDisruptionBudgets' status allows (checked first, so a budget
/// that is spent costs no API call; the Eviction API enforces it again in any case).
/// </summary>
/// <param name="ByInterval">Evictions left in the current interval.</param>
/// <param name="ByBudget">Disruptions the PDBs allow now (<see cref="int.MaxValue"/> without PDBs).</param>
/// <param name="MaxDisrupted">The spec's <c>max_disrupted</c>.</param>
/// <param name="Interval">The spec's <c>interval</c>.</param>
public sealed record EvictionAllowance(int ByInterval, int ByBudget, int MaxDisrupted, TimeSpan Interval)
{
    /// <summary>What a pod the PDBs do not let go waits for.</summary>
    public const string BudgetReason = "the PodDisruptionBudget allows no disruption now";

    /// <summary>
    /// Why the next pod must wait after <paramref name="evicted"/> evictions in this pass, or null when it may be evicted.
    /// <paramref name="budgetRefused"/> says the Eviction API already refused one (HTTP 429).
    /// </summary>
    public string? WaitReason(int evicted, bool budgetRefused)
    {
        if (evicted >= ByInterval)
            return $"at most {MaxDisrupted} eviction(s) per {GoDuration.Format(Interval)}";
        return budgetRefused || evicted >= ByBudget ? BudgetReason : null;
    }
}

/// <summary>What happened to one item when it was carried out.</summary>
public enum ApplyItemStatus
{
    /// <summary>Done (recorded, saved, kept, or set).</summary>
    Done,

    /// <summary>The pod runs with the new resources.</summary>
    Resized,

    /// <summary>The kubelet accepted the resize and applies it once the node has room.</summary>
    Deferred,

    /// <summary>The node can never fit the resize, and the update mode does not allow eviction.</summary>
    Infeasible,

    /// <summary>The pod was evicted; its controller recreates it (and admission gives it the suggestion).</summary>
    Evicted,

    /// <summary>The pod was already gone.</summary>
    Gone,

    /// <summary>The pod must wait to be recreated (the eviction allowance, or a PDB); see the outcome's detail.</summary>
    Waiting,

    /// <summary>Carrying it out failed; see the detail. Later items of the target were not reached.</summary>
    Failed,

    /// <summary>Not reached: an earlier item of the target failed.</summary>
    NotReached,

    /// <summary>A refusal: nothing was done, by design.</summary>
    Refused,
}

/// <summary>What happened to one item of a plan.</summary>
/// <param name="Item">The item.</param>
/// <param name="Status">What happened.</param>
/// <param name="Detail">Why it waits, or the error, when there is one.</param>
public sealed record ApplyItemOutcome(ApplyItem Item, ApplyItemStatus Status, string? Detail = null);
