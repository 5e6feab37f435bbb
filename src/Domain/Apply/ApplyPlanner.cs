using System.Globalization;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>The targets of one apply pass as the load step read them.</summary>
/// <param name="Targets">The targets in scope, valid and not being deleted.</param>
/// <param name="Resolved">Target UID → its workload, pods, HPAs and PDBs (null: the workload does not exist), for the targets whose workload was read.</param>
/// <param name="ReadErrors">Target UID → why what it needs could not be read this pass.</param>
public sealed record ApplySnapshot(
    IReadOnlyList<AIScaleTarget> Targets,
    IReadOnlyDictionary<string, ResolvedTarget?> Resolved,
    IReadOnlyDictionary<string, string> ReadErrors);

/// <summary>What the apply stage's ledgers hold for the targets of a pass.</summary>
/// <param name="OomKills">Target UID → the OOM kills recorded for it (every kill when its pods show one, else those whose floor still holds).</param>
/// <param name="RecentEvictions">Target UID → when its pods were evicted within its disruption interval (targets that may evict).</param>
public sealed record ApplyLedgers(
    IReadOnlyDictionary<string, IReadOnlyList<OomKill>> OomKills,
    IReadOnlyDictionary<string, IReadOnlyList<DateTimeOffset>> RecentEvictions)
{
    /// <summary>Nothing recorded.</summary>
    public static ApplyLedgers Empty { get; } = new(new Dictionary<string, IReadOnlyList<OomKill>>(), new Dictionary<string, IReadOnlyList<DateTimeOffset>>());
}

/// <summary>What the record step writes for one target, derived from its plan and what happened to each item.</summary>
/// <param name="Status">The status update to write; null when nothing changes.</param>
/// <param name="Record">The enrollment record to save; null when it is as stored.</param>
/// <param name="Audit">The audit record of what changed; null when nothing did.</param>
/// <param name="Result">The target's result for the pass.</param>
public sealed record TargetApplyConclusion(StatusUpdate? Status, EnrolledTarget? Record, AuditRecord? Audit, TargetApplyResult Result);

/// <summary>
/// The apply stage's decisions (DESIGN.md §3), in pure code: which targets are applied and why not
/// (<see cref="SuggestionEligibility"/>), which new OOM kills raise memory, which pods are resized, kept or evicted and
/// within which allowance, the HPA floor, and, from what the executor reports, the status, enrollment record, audit
/// record and result of each target. Idempotent by suggestion UID: a pod already brought to the suggestion (still
/// present) is never touched again, and a target whose suggestion is fully applied is up to date.
/// </summary>
public static class ApplyPlanner
{
    /// <summary>The audit actor of everything the apply stage does.</summary>
    public const string Actor = "system";

    /// <summary>
    /// Which parts of <paramref name="target"/>'s surroundings the plan needs read; null when it needs none (it is
    /// refused before its workload matters). Vertical: the workload, its pods, and its PDBs when the update mode may
    /// evict; horizontal: the workload and its HPAs.
    /// </summary>
    public static TargetReads? ReadsFor(AIScaleTarget target, GateDecision gate)
    {
        ArgumentNullException.ThrowIfNull(target);
        var early = SuggestionEligibility.BeforeWorkload(target.Spec, target.Status.LatestSuggestion, gate);
        if (!early.IsEligible)
            return null;
        if (early.Direction == ScalingDirection.Horizontal)
            return TargetReads.Workload | TargetReads.Autoscalers;
        var reads = TargetReads.Workload | TargetReads.Pods;
        return target.Spec.Vertical!.EffectiveUpdateMode.AllowsEviction() ? reads | TargetReads.DisruptionBudgets : reads;
    }

    /// <summary>Whether the plan must see every OOM kill recorded for the target: some container of its pods was OOM-killed.</summary>
    public static bool NeedsAllOomKills(ResolvedTarget resolved)
    {
        ArgumentNullException.ThrowIfNull(resolved);
        return resolved.Target.Spec.Vertical is { } vertical && vertical.OomRemediation?.Enabled != false
            && resolved.Pods.Any(p => p.Containers.Any(IsOomKilled));
    }

    /// <summary>The disruption interval whose evictions the plan must see, or null when the target never evicts.</summary>
    public static TimeSpan? EvictionWindow(AIScaleTarget target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return target.Spec.Vertical is { } vertical && target.Spec.IsAutonomous(ScalingDirection.Vertical) && vertical.EffectiveUpdateMode.AllowsEviction()
            ? vertical.Disruption?.Interval ?? TargetDefaults.DisruptionInterval
            : null;
    }

    /// <summary>Plans one pass over every target of <paramref name="snapshot"/>.</summary>
    public static ApplyPlan Plan(ApplySnapshot snapshot, GateDecision gate, IReadOnlyDictionary<TargetKey, EnrolledTarget> enrollment, ApplyLedgers ledgers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(gate);
        ArgumentNullException.ThrowIfNull(enrollment);
        ArgumentNullException.ThrowIfNull(ledgers);
        var plans = snapshot.Targets
            .OrderBy(t => t.Key.ToString(), StringComparer.Ordinal)
            .Select(t => PlanTarget(t, snapshot, gate, enrollment.TryGetValue(t.Key, out var r) ? r : null, ledgers, now))
            .ToList();
        return new ApplyPlan(gate, now, plans);
    }

    /// <summary>Plans one target.</summary>
    public static TargetApplyPlan PlanTarget(AIScaleTarget target, ApplySnapshot snapshot, GateDecision gate, EnrolledTarget? stored, ApplyLedgers ledgers, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(ledgers);
        var uid = target.Metadata.Uid;
        if (snapshot.ReadErrors.TryGetValue(uid, out var error))
            return new TargetApplyPlan { Target = target, Decision = ApplyDecision.Failed, Detail = error };

        var suggestion = target.Status.LatestSuggestion;
        var early = SuggestionEligibility.BeforeWorkload(target.Spec, suggestion, gate);
        if (!early.IsEligible)
            return Refuse(target, early, null, now);
        if (!snapshot.Resolved.TryGetValue(uid, out var resolved))
            throw new InvalidOperationException($"The workload of {target.Key} was not read, so it cannot be planned.");

        var eligibility = SuggestionEligibility.Check(target.Spec, suggestion, gate, resolved);
        if (!eligibility.IsEligible)
            return Refuse(target, eligibility, resolved, now);

        var record = EnrollmentOf(target, stored, now);
        var plan = eligibility.Direction == ScalingDirection.Vertical
            ? PlanVertical(resolved!, suggestion!, record, ledgers, now)
            : PlanHorizontal(resolved!, suggestion!, record, now);
        return plan with { Stored = ReferenceEquals(record, stored) ? stored : null };
    }

    /// <summary>
    /// What the record step writes for <paramref name="plan"/> after the executor reported <paramref name="outcomes"/>:
    /// progress in the <c>Scaling</c> condition (and <c>lastProcessedSuggestionUID</c> once complete), the pods done in
    /// the enrollment record, an audit record when something changed, and the result.
    /// </summary>
    /// <remarks>
    /// The status is written only when it changes (<see cref="StatusUpdate.Changes"/>): a pass that would write the
    /// <c>lastProcessedSuggestionUID</c> and conditions the target already holds writes none, so a condition's
    /// <c>lastTransitionTime</c> moves only on a real transition and a steady pass costs no status write.
    /// </remarks>
    public static TargetApplyConclusion Conclude(TargetApplyPlan plan, IReadOnlyList<ApplyItemOutcome> outcomes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var conclusion = ConcludeAll(plan, outcomes, now);
        return conclusion.Status is { } status && !status.Changes(plan.Target.Status) ? conclusion with { Status = null } : conclusion;
    }

    private static TargetApplyConclusion ConcludeAll(TargetApplyPlan plan, IReadOnlyList<ApplyItemOutcome> outcomes, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        var target = plan.Target;
        switch (plan.Decision)
        {
            case ApplyDecision.Refused:
                var refusal = plan.Items.OfType<Refusal>().Single();
                return new(refusal.Condition is null ? null : StatusUpdate.Setting(refusal.Condition), null, null, new TargetApplyResult(target.Key, ApplyOutcome.NotApplied, plan.Detail));
            case ApplyDecision.UpToDate:
                return new(null, null, null, new TargetApplyResult(target.Key, ApplyOutcome.UpToDate, plan.Detail));
            case ApplyDecision.Failed:
                return Failed(target, plan.Detail, null, null, now);
            case ApplyDecision.Horizontal:
                return ConcludeHorizontal(plan, outcomes, now);
            default:
                return ConcludeVertical(plan, outcomes, now);
        }
    }

    /// <summary>The conclusion of a target whose work failed with <paramref name="error"/>: <c>Scaling=False, ApplyFailed</c>; retried next pass.</summary>
    public static TargetApplyConclusion Failed(AIScaleTarget target, string error, EnrolledTarget? record, AuditRecord? audit, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new(
            StatusUpdate.Setting(ApplyConditions.ApplyFailed(error, now, target.Metadata.Generation)),
            record,
            audit,
            new TargetApplyResult(target.Key, ApplyOutcome.Failed, error));
    }

    private static TargetApplyPlan Refuse(AIScaleTarget target, Eligibility eligibility, ResolvedTarget? resolved, DateTimeOffset now)
    {
        var generation = target.Metadata.Generation;
        var suggestion = target.Status.LatestSuggestion;
        TargetCondition? condition = eligibility.Refusal switch
        {
            Ineligibility.NotAutonomous => TargetConditions.NotAutonomous(target.Spec, now, generation),
            Ineligibility.NoSuggestion or Ineligibility.NotEnoughData => ApplyConditions.NotEnoughData(suggestion, now, generation),
            Ineligibility.Paused => TargetConditions.Paused([eligibility.Reason], now, generation),
            Ineligibility.NoSingleHpa => TargetConditions.NoSingleHpa(resolved!.Describe(), [.. resolved.Autoscalers.Select(a => a.Name)], now, generation),
            Ineligibility.NoReplicaCount => ApplyConditions.NoReplicaCount(suggestion!, now, generation),
            // The forecast stage reports a missing workload in Ready; there is nothing to add here.
            _ => null,
        };
        var refusal = new Refusal(target.Key, target.Metadata.Uid, eligibility.Refusal, eligibility.Reason, condition);
        return new TargetApplyPlan { Target = target, Decision = ApplyDecision.Refused, Detail = eligibility.Reason, Items = [refusal] };
    }

    /// <summary>The target's enrollment record; a fresh one when sync has not made it yet, or when it belongs to an older target of the same name.</summary>
    private static EnrolledTarget EnrollmentOf(AIScaleTarget target, EnrolledTarget? stored, DateTimeOffset now)
    {
        if (stored is not null && stored.Uid == target.Metadata.Uid)
            return stored;
        return new EnrolledTarget
        {
            Key = target.Key,
            Uid = target.Metadata.Uid,
            EnrolledAt = now,
            VerticalMode = target.Spec.ModeOf(ScalingDirection.Vertical) ?? TargetMode.Recommendation,
            HorizontalMode = target.Spec.ModeOf(ScalingDirection.Horizontal) ?? TargetMode.Recommendation,
            ETag = stored?.ETag,
        };
    }

    private static TargetApplyPlan PlanVertical(ResolvedTarget resolved, Suggestion suggestion, EnrolledTarget record, ApplyLedgers ledgers, DateTimeOffset now)
    {
        var target = resolved.Target;
        var (key, targetUid) = (target.Key, target.Metadata.Uid);
        var vertical = target.Spec.Vertical!;
        var uid = suggestion.SuggestionUID!;
        var mode = vertical.EffectiveUpdateMode;
        var pods = resolved.Pods.Where(p => !p.IsTerminating && p.Phase is "Running" or "Pending").ToList();
        var podUids = pods.Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);
        var items = new List<ApplyItem>();

        // OOM remediation: a kill not seen before raises memory at once, and the floors still holding are raised into
        // the suggestion; a new kill sends every pod through the steps again.
        var (floors, newKills) = OomFloors(vertical, pods, ledgers.OomKills.TryGetValue(targetUid, out var known) ? known : [], now);
        items.AddRange(newKills.Select(k => new RecordOomKill(key, targetUid, k, $"container {k.Floor.Container} of pod {k.PodUid} was OOM-killed: memory at least {k.Floor.Memory} until {k.Floor.Until:u}")));
        var newKill = newKills.Count > 0;

        // The baseline of this suggestion; pods already done for it (still present) are never touched again.
        var baseline = record.Vertical is { } existing && existing.SuggestionUid == uid && !newKill
            ? existing with { DonePods = [.. existing.DonePods.Where(podUids.Contains)] }
            : new VerticalBaseline(uid, now, record.Vertical?.ControllerSpec ?? resolved.Workload?.Containers ?? [], []);
        var pending = mode.ChangesRunningPods() ? pods.Where(p => !baseline.DonePods.Contains(p.Uid)).ToList() : [];
        if (pending.Count == 0 && !newKill && record.Vertical?.SuggestionUid == uid && target.Status.LastProcessedSuggestionUID == uid)
            return new TargetApplyPlan { Target = target, Decision = ApplyDecision.UpToDate, Detail = $"suggestion {uid} is applied" };

        // The baseline is durable before the workload is first changed, so unenroll always knows there is something to
        // revert; afterwards it is saved with the pods done, once the pass has acted.
        var withBaseline = record with { Vertical = baseline };
        if (record.ETag is null || record.Vertical is null)
            items.Add(new SaveBaseline(key, targetUid, withBaseline, $"the first change of {resolved.Describe()}: the baseline is saved before it"));

        var applied = OomFloor.Raise(suggestion, floors, now);
        foreach (var pod in pending)
        {
            var desired = DesiredResources.For(pod.Containers, suggestion, vertical, floors, now);
            if (DesiredResources.Same(desired, pod.Containers))
                items.Add(new KeepPod(key, targetUid, pod, $"pod {pod.Name} already has suggestion {uid}"));
            else if (mode.ResizesInPlace())
                items.Add(new ResizePod(key, targetUid, pod, desired, mode.AllowsEviction(), $"pod {pod.Name} is resized in place to suggestion {uid} (update_mode {mode.ToWireName()})"));
            else
                items.Add(new EvictPod(key, targetUid, pod, $"pod {pod.Name} is recreated with suggestion {uid} (update_mode {mode.ToWireName()})"));
        }

        return new TargetApplyPlan
        {
            Target = target,
            Decision = ApplyDecision.Vertical,
            Detail = $"suggestion {uid} to {pending.Count} of {pods.Count} pod(s)",
            Items = items,
            Suggestion = applied,
            Record = withBaseline,
            RunningPods = pods.Count,
            Evictions = mode.AllowsEviction() ? Allowance(vertical, resolved, ledgers.RecentEvictions.TryGetValue(targetUid, out var recent) ? recent.Count : 0) : null,
        };
    }

    private static EvictionAllowance Allowance(VerticalSpec vertical, ResolvedTarget resolved, int recent)
    {
        var max = vertical.Disruption?.MaxDisrupted ?? TargetDefaults.MaxDisrupted;
        var interval = vertical.Disruption?.Interval ?? TargetDefaults.DisruptionInterval;
        var byBudget = resolved.DisruptionBudgets.Count == 0 ? int.MaxValue : resolved.DisruptionBudgets.Min(b => b.DisruptionsAllowed ?? int.MaxValue);
        return new EvictionAllowance(Math.Max(0, max - recent), Math.Max(0, byBudget), max, interval);
    }

    private static (IReadOnlyList<OomFloor> Floors, IReadOnlyList<OomKill> NewKills) OomFloors(VerticalSpec vertical, IReadOnlyList<WorkloadPod> pods, IReadOnlyList<OomKill> recorded, DateTimeOffset now)
    {
        var policy = vertical.OomRemediation;
        if (policy?.Enabled == false)
            return ([], []);
        var known = recorded.ToList();
        var added = new List<OomKill>();
        foreach (var pod in pods)
        {
            foreach (var container in pod.Containers.Where(IsOomKilled))
            {
                if (known.Any(k => k.PodUid == pod.Uid && k.Floor.Container == container.Name && k.RestartCount == container.RestartCount))
                    continue;
                var kill = new OomKill(pod.Uid, container.RestartCount, OomFloor.AfterKill(container.Name, container.Requests.Memory!.Value, now, policy)!);
                known.Add(kill);
                added.Add(kill);
            }
        }

        return ([.. known.Select(k => k.Floor).Where(f => now < f.Until)], added);
    }

    private static bool IsOomKilled(ContainerResources container) => container.LastTerminationReason == "OOMKilled" && container.Requests.Memory is not null;

    private static TargetApplyPlan PlanHorizontal(ResolvedTarget resolved, Suggestion suggestion, EnrolledTarget record, DateTimeOffset now)
    {
        var target = resolved.Target;
        var uid = suggestion.SuggestionUID!;
        var hpa = resolved.SingleAutoscaler!;
        var floor = Math.Clamp(suggestion.SuggestedReplicas!.Value, 1, Math.Max(1, hpa.MaxReplicas));
        if (record.Horizontal is { } applied && applied.HpaName == hpa.Name && applied.SuggestionUid == uid && hpa.MinReplicas == floor
            && target.Status.LastProcessedSuggestionUID == uid)
            return new TargetApplyPlan { Target = target, Decision = ApplyDecision.UpToDate, Detail = $"suggestion {uid} is applied" };

        // The original minReplicas is recorded durably before the HPA is first changed. After a lost Table record the
        // HPA's annotation still holds it; the HPA's current value is the original only the first time.
        var original = record.Horizontal is { } known && known.HpaName == hpa.Name ? known.OriginalMinReplicas : OriginalFromAnnotation(hpa);
        var withBaseline = record with { Horizontal = new HorizontalBaseline(hpa.Name, original, floor, uid, now) };
        var items = new List<ApplyItem>
        {
            new SaveBaseline(target.Key, target.Metadata.Uid, withBaseline, $"HPA {hpa.Name} keeps its original minReplicas {FormatReplicas(original)} in the record before it changes"),
        };
        if (hpa.MinReplicas != floor)
            items.Add(new SetHpaFloor(target.Key, target.Metadata.Uid, hpa, floor, original, $"suggestion {uid} sets the minReplicas of HPA {hpa.Name} from {FormatReplicas(hpa.MinReplicas)} to {Format(floor)}"));
        return new TargetApplyPlan
        {
            Target = target,
            Decision = ApplyDecision.Horizontal,
            Detail = $"suggestion {uid} sets HPA {hpa.Name} minReplicas {Format(floor)}",
            Items = items,
            Suggestion = suggestion,
            Record = withBaseline,
        };
    }

    private static TargetApplyConclusion ConcludeVertical(TargetApplyPlan plan, IReadOnlyList<ApplyItemOutcome> outcomes, DateTimeOffset now)
    {
        var target = plan.Target;
        var uid = plan.Suggestion!.SuggestionUID!;
        var mode = target.Spec.Vertical!.EffectiveUpdateMode;
        var baseline = plan.Record!.Vertical!;
        var done = new List<string>(baseline.DonePods);
        var resized = new List<string>();
        var evicted = new List<string>();
        var waiting = new List<string>();
        string? error = null;
        foreach (var outcome in outcomes)
        {
            var pod = outcome.Item switch
            {
                KeepPod k => k.Pod,
                ResizePod r => r.Pod,
                EvictPod e => e.Pod,
                _ => null,
            };
            if (outcome.Status == ApplyItemStatus.Failed)
                error ??= outcome.Detail;
            if (pod is null)
                continue;
            switch (outcome.Status)
            {
                case ApplyItemStatus.Done or ApplyItemStatus.Gone:
                    done.Add(pod.Uid);
                    break;
                case ApplyItemStatus.Resized:
                    resized.Add(pod.Name);
                    done.Add(pod.Uid);
                    break;
                case ApplyItemStatus.Deferred or ApplyItemStatus.Infeasible:
                    resized.Add($"{pod.Name} ({outcome.Status.ToString().ToLowerInvariant()})");
                    done.Add(pod.Uid);
                    break;
                case ApplyItemStatus.Evicted:
                    evicted.Add(pod.Name);
                    done.Add(pod.Uid);
                    break;
                case ApplyItemStatus.Waiting:
                    waiting.Add($"{pod.Name}: {outcome.Detail}");
                    break;
            }
        }

        var record = plan.Record with { Vertical = baseline with { DonePods = [.. done] } };
        var savedFirst = outcomes.Any(o => o.Item is SaveBaseline && o.Status == ApplyItemStatus.Done);
        var stored = savedFirst ? plan.Record.Vertical : plan.Stored?.Vertical;
        var changedRecord = SameBaseline(stored, record.Vertical) ? null : record;
        var changes = $"suggestion {uid}: resized [{string.Join(", ", resized)}], evicted [{string.Join(", ", evicted)}]";
        if (error is not null)
        {
            var partial = resized.Count > 0 || evicted.Count > 0 ? Audit(target, "apply-vertical", $"applying suggestion {uid} failed part-way: {error}", null, changes, now) : null;
            return Failed(target, error, changedRecord, partial, now);
        }

        var complete = waiting.Count == 0;
        var progress = complete
            ? $"suggestion {uid} is applied to {done.Count} running pod(s)" + (mode.ChangesRunningPods() ? string.Empty : " (update_mode initial: new pods only)")
            : $"suggestion {uid} is applied to {done.Count} of {plan.RunningPods} pod(s); {waiting.Count} wait to be recreated ({waiting[0]})";
        var status = new StatusUpdate
        {
            LastProcessedSuggestionUid = complete ? uid : null,
            Conditions = [ApplyConditions.Applying(ScalingDirection.Vertical, progress, now, target.Metadata.Generation)],
        };
        var audit = resized.Count > 0 || evicted.Count > 0 || complete && target.Status.LastProcessedSuggestionUID != uid
            ? Audit(target, "apply-vertical", progress, null, changes, now)
            : null;
        return new(status, changedRecord, audit, new TargetApplyResult(target.Key, complete ? ApplyOutcome.Applied : ApplyOutcome.InProgress, progress));
    }

    private static TargetApplyConclusion ConcludeHorizontal(TargetApplyPlan plan, IReadOnlyList<ApplyItemOutcome> outcomes, DateTimeOffset now)
    {
        var target = plan.Target;
        var baseline = plan.Record!.Horizontal!;
        if (outcomes.FirstOrDefault(o => o.Status == ApplyItemStatus.Failed) is { } failed)
            return Failed(target, failed.Detail ?? "setting the HPA floor failed", null, null, now);

        var floor = plan.Items.OfType<SetHpaFloor>().SingleOrDefault();
        var progress = $"suggestion {baseline.SuggestionUid} set the minReplicas of HPA {baseline.HpaName} to {Format(baseline.AppliedMinReplicas)} (original {FormatReplicas(baseline.OriginalMinReplicas)})";
        var status = new StatusUpdate
        {
            LastProcessedSuggestionUid = baseline.SuggestionUid,
            Conditions = [ApplyConditions.Applying(ScalingDirection.Horizontal, progress, now, target.Metadata.Generation)],
        };
        var audit = floor is null
            ? null
            : Audit(target, "apply-horizontal", progress, $"minReplicas {FormatReplicas(floor.Hpa.MinReplicas)}", $"minReplicas {Format(floor.Floor)}", now);
        return new(status, null, audit, new TargetApplyResult(target.Key, ApplyOutcome.Applied, progress));
    }

    private static bool SameBaseline(VerticalBaseline? a, VerticalBaseline? b) =>
        a is not null && b is not null && a.SuggestionUid == b.SuggestionUid && a.AppliedAt == b.AppliedAt
        && a.ControllerSpec.SequenceEqual(b.ControllerSpec) && a.DonePods.SequenceEqual(b.DonePods, StringComparer.Ordinal);

    private static AuditRecord Audit(AIScaleTarget target, string action, string reason, string? previous, string current, DateTimeOffset now) =>
        new(now, Actor, action, target.Key.ToString(), reason, previous, current, target.Metadata.Uid);

    private static int? OriginalFromAnnotation(HorizontalAutoscaler hpa)
    {
        if (!hpa.Annotations.TryGetValue(IScalingActions.OriginalMinReplicasAnnotation, out var text))
            return hpa.MinReplicas;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static string FormatReplicas(int? replicas) => replicas?.ToString(CultureInfo.InvariantCulture) ?? "unset";
}
