using System.Collections.Concurrent;
using System.Globalization;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Pause;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// The apply stage (DESIGN.md §3), like the VPA updater: ask the gate, list the targets, and for each autonomous
/// direction whose latest suggestion is not yet applied, resize pods in place (evicting where allowed and needed) or
/// set the HPA floor. Idempotent by suggestion UID: what is done is recorded in the enrollment baseline as it
/// happens, so a run that crashes half-way is finished by the next without repeating anything. Targets run with
/// bounded parallelism and a time budget each, so one slow or failing target never holds up the others.
/// </summary>
public sealed class ApplyStage(
    ITargetCluster cluster,
    IScalingActions actions,
    IEnrollmentStore enrollments,
    IDisruptionLedger disruptions,
    IOomKillLedger oomKills,
    SuggestionGate gate,
    IAuditLog audit,
    ApplyOptions options,
    TimeProvider time)
{
    /// <summary>The audit actor of everything the apply stage does.</summary>
    public const string Actor = "system";

    private static readonly TimeSpan DefaultDisruptionInterval = TimeSpan.FromMinutes(5);

    /// <summary>One run over every target.</summary>
    public async Task<ApplyPass> RunOnceAsync(CancellationToken cancellationToken)
    {
        var decision = await gate.DecideAsync(cancellationToken);
        var listing = await cluster.ListAsync([.. options.Namespaces], cancellationToken);
        var results = new ConcurrentBag<TargetApplyResult>();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.MaxParallelTargets), CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(listing.Targets.Where(t => !t.Metadata.IsDeleting), parallel, async (target, token) =>
            results.Add(await ApplyWithinBudgetAsync(target, decision, token)));
        return new ApplyPass(decision, [.. results.OrderBy(r => r.Key.ToString(), StringComparer.Ordinal)]);
    }

    private async Task<TargetApplyResult> ApplyWithinBudgetAsync(AIScaleTarget target, GateDecision decision, CancellationToken cancellationToken)
    {
        using var budget = new CancellationTokenSource(options.TargetTimeBudget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return await ApplyTargetAsync(target, decision, linked.Token);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var error = budget.IsCancellationRequested
                ? $"it took longer than its time budget of {options.TargetTimeBudget.TotalSeconds:0.#} s"
                : ex.Message;
            await RecordFailureAsync(target, error, cancellationToken);
            return new TargetApplyResult(target.Key, ApplyOutcome.Failed, error);
        }
    }

    private async Task<TargetApplyResult> ApplyTargetAsync(AIScaleTarget target, GateDecision decision, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var generation = target.Metadata.Generation;
        if (target.Spec.AutonomousDirection is not { } direction)
            return await NotAppliedAsync(target, TargetConditions.NotAutonomous(target.Spec, now, generation), "no direction is autonomous", cancellationToken);

        var suggestion = target.Status.LatestSuggestion;
        if (suggestion?.SuggestionUID is null || !suggestion.HasEnoughDataToScale)
            return await NotAppliedAsync(target, ApplyConditions.NotEnoughData(suggestion, now, generation), "not enough data", cancellationToken);

        if (!decision.MayApply)
            return await NotAppliedAsync(target, TargetConditions.Paused([decision.Reason], now, generation), decision.Reason, cancellationToken);

        var resolved = await cluster.ResolveAsync(target, cancellationToken);
        if (resolved is null)
            return new TargetApplyResult(target.Key, ApplyOutcome.NotApplied, "its workload does not exist");

        var record = await EnrollmentOfAsync(target, now, cancellationToken);
        return direction == ScalingDirection.Vertical
            ? await ApplyVerticalAsync(resolved, suggestion, record, now, cancellationToken)
            : await ApplyHorizontalAsync(resolved, suggestion, record, now, cancellationToken);
    }

    private async Task<TargetApplyResult> ApplyVerticalAsync(ResolvedTarget resolved, Suggestion suggestion, EnrolledTarget record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = resolved.Target;
        var vertical = target.Spec.Vertical!;
        var uid = suggestion.SuggestionUID!;
        var mode = vertical.EffectiveUpdateMode;
        var pods = resolved.Pods.Where(p => !p.IsTerminating && p.Phase is "Running" or "Pending").ToList();
        var podUids = pods.Select(p => p.Uid).ToHashSet(StringComparer.Ordinal);

        // Step 1: OOM remediation. A kill not seen before raises memory at once, and the floors still holding are
        // raised into the suggestion; a new kill sends every pod through the steps again.
        var (floors, newKill) = await OomFloorsAsync(target, pods, now, cancellationToken);
        suggestion = OomFloor.Raise(suggestion, floors, now);

        // Step 2: the baseline of this suggestion; pods already done for it (still present) are never touched again.
        var baseline = record.Vertical is { } existing && existing.SuggestionUid == uid && !newKill
            ? existing with { DonePods = [.. existing.DonePods.Where(podUids.Contains)] }
            : new VerticalBaseline(uid, now, record.Vertical?.ControllerSpec ?? resolved.Workload?.Containers ?? [], []);
        var done = new List<string>(baseline.DonePods);
        var pending = mode.ChangesRunningPods() ? pods.Where(p => !done.Contains(p.Uid)).ToList() : [];
        if (pending.Count == 0 && !newKill && record.Vertical?.SuggestionUid == uid && target.Status.LastProcessedSuggestionUID == uid)
            return new TargetApplyResult(target.Key, ApplyOutcome.UpToDate, $"suggestion {uid} is applied");
        record = await enrollments.SaveAsync(record with { Vertical = baseline }, cancellationToken);

        // Step 3: resize in place where the update mode allows it; note the pods only recreation can change.
        var resized = new List<string>();
        var toRecreate = new List<WorkloadPod>();
        foreach (var pod in pending)
        {
            var desired = SuggestedResources.For(pod.Containers, suggestion, vertical);
            if (SuggestedResources.SameResources(desired, pod.Containers))
            {
                record = await MarkDoneAsync(record, done, pod, cancellationToken);
                continue;
            }

            if (mode.ResizesInPlace())
            {
                var outcome = await actions.ResizePodAsync(target.Metadata.Namespace, pod.Name, desired, cancellationToken);
                if (outcome != ResizeOutcome.Infeasible || !mode.AllowsEviction())
                {
                    resized.Add(outcome == ResizeOutcome.Applied ? pod.Name : $"{pod.Name} ({outcome.ToString().ToLowerInvariant()})");
                    record = await MarkDoneAsync(record, done, pod, cancellationToken);
                    continue;
                }
            }

            toRecreate.Add(pod);
        }

        // Step 4: evict what must be recreated, within disruption.max_disrupted per disruption.interval and the PDBs.
        var (evicted, waiting) = await EvictAsync(resolved, toRecreate, record, done, now, cancellationToken);
        record = evicted.Record;

        // Step 5: record progress in the status, and audit what changed.
        var complete = waiting.Count == 0;
        var progress = complete
            ? $"suggestion {uid} is applied to {done.Count} running pod(s)" + (mode.ChangesRunningPods() ? string.Empty : " (update_mode initial: new pods only)")
            : $"suggestion {uid} is applied to {done.Count} of {pods.Count} pod(s); {waiting.Count} wait to be recreated ({waiting[0]})";
        await cluster.UpdateStatusAsync(target.Key, target.Metadata.Uid, s =>
            (complete ? s with { LastProcessedSuggestionUID = uid } : s)
                .WithCondition(ApplyConditions.Applying(ScalingDirection.Vertical, progress, now, target.Metadata.Generation)), cancellationToken);
        if (resized.Count > 0 || evicted.Pods.Count > 0 || complete && target.Status.LastProcessedSuggestionUID != uid)
        {
            var changes = $"suggestion {uid}: resized [{string.Join(", ", resized)}], evicted [{string.Join(", ", evicted.Pods)}]";
            await audit.AppendAsync(new AuditRecord(now, Actor, "apply-vertical", target.Key.ToString(), progress, null, changes, target.Metadata.Uid), cancellationToken);
        }

        return new TargetApplyResult(target.Key, complete ? ApplyOutcome.Applied : ApplyOutcome.InProgress, progress);
    }

    private async Task<((EnrolledTarget Record, IReadOnlyList<string> Pods) Evicted, IReadOnlyList<string> Waiting)> EvictAsync(
        ResolvedTarget resolved, List<WorkloadPod> toRecreate, EnrolledTarget record, List<string> done, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var evicted = new List<string>();
        var waiting = new List<string>();
        if (toRecreate.Count == 0)
            return ((record, evicted), waiting);

        var target = resolved.Target;
        var disruption = target.Spec.Vertical!.Disruption;
        var interval = disruption?.Interval ?? DefaultDisruptionInterval;
        var recent = await disruptions.ListSinceAsync(target.Metadata.Uid, now - interval, cancellationToken);
        var allowed = Math.Max(0, (disruption?.MaxDisrupted ?? 1) - recent.Count);
        // The PDB's own count is checked first, so a budget that is already spent costs no API call; the Eviction API
        // enforces it again in any case.
        var budgetAllowed = resolved.DisruptionBudgets.Count == 0 ? int.MaxValue : resolved.DisruptionBudgets.Min(b => b.DisruptionsAllowed ?? int.MaxValue);
        foreach (var pod in toRecreate)
        {
            if (evicted.Count >= allowed)
            {
                waiting.Add($"{pod.Name}: at most {disruption?.MaxDisrupted ?? 1} eviction(s) per {GoDuration.Format(interval)}");
                continue;
            }

            if (evicted.Count >= budgetAllowed)
            {
                waiting.Add($"{pod.Name}: the PodDisruptionBudget allows no disruption now");
                continue;
            }

            var outcome = await actions.EvictPodAsync(target.Metadata.Namespace, pod.Name, cancellationToken);
            if (outcome == EvictionOutcome.Blocked)
            {
                waiting.Add($"{pod.Name}: the PodDisruptionBudget allows no disruption now");
                budgetAllowed = evicted.Count;
                continue;
            }

            if (outcome == EvictionOutcome.Evicted)
            {
                await disruptions.RecordAsync(target.Metadata.Uid, pod.Name, now, cancellationToken);
                evicted.Add(pod.Name);
            }

            record = await MarkDoneAsync(record, done, pod, cancellationToken);
        }

        return ((record, evicted), waiting);
    }

    private async Task<TargetApplyResult> ApplyHorizontalAsync(ResolvedTarget resolved, Suggestion suggestion, EnrolledTarget record, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var target = resolved.Target;
        var generation = target.Metadata.Generation;
        var uid = suggestion.SuggestionUID!;

        // Step 1: the one HPA the floor goes on.
        if (resolved.SingleAutoscaler is not { } hpa)
        {
            var condition = TargetConditions.NoSingleHpa(resolved.Describe(), [.. resolved.Autoscalers.Select(a => a.Name)], now, generation);
            return await NotAppliedAsync(target, condition, condition.Message, cancellationToken);
        }

        if (suggestion.SuggestedReplicas is not { } suggested)
            return await NotAppliedAsync(target, ApplyConditions.NotEnoughData(null, now, generation), "the suggestion has no replica count", cancellationToken);

        var floor = Math.Clamp(suggested, 1, Math.Max(1, hpa.MaxReplicas));
        if (record.Horizontal is { } applied && applied.HpaName == hpa.Name && applied.SuggestionUid == uid && hpa.MinReplicas == floor
            && target.Status.LastProcessedSuggestionUID == uid)
            return new TargetApplyResult(target.Key, ApplyOutcome.UpToDate, $"suggestion {uid} is applied");

        // Step 2: the original minReplicas is recorded durably before the HPA is first changed. After a lost Table
        // record the HPA's annotation still holds it; the HPA's current value is the original only the first time.
        var original = record.Horizontal is { } known && known.HpaName == hpa.Name
            ? known.OriginalMinReplicas
            : OriginalFromAnnotation(hpa);
        record = await enrollments.SaveAsync(record with { Horizontal = new HorizontalBaseline(hpa.Name, original, floor, uid, now) }, cancellationToken);

        // Step 3: the floor (and the annotation that keeps the original) in one write.
        var changed = hpa.MinReplicas != floor;
        if (changed)
            await actions.SetAutoscalerFloorAsync(target.Metadata.Namespace, hpa.Name, floor, original, hpa.ResourceVersion, cancellationToken);

        // Step 4: status and audit.
        var progress = $"suggestion {uid} set the minReplicas of HPA {hpa.Name} to {floor.ToString(CultureInfo.InvariantCulture)} (original {FormatReplicas(original)})";
        await cluster.UpdateStatusAsync(target.Key, target.Metadata.Uid, s => (s with { LastProcessedSuggestionUID = uid })
            .WithCondition(ApplyConditions.Applying(ScalingDirection.Horizontal, progress, now, generation)), cancellationToken);
        if (changed)
        {
            await audit.AppendAsync(new AuditRecord(now, Actor, "apply-horizontal", target.Key.ToString(), progress,
                $"minReplicas {FormatReplicas(hpa.MinReplicas)}", $"minReplicas {floor.ToString(CultureInfo.InvariantCulture)}", target.Metadata.Uid), cancellationToken);
        }

        return new TargetApplyResult(target.Key, ApplyOutcome.Applied, progress);
    }

    private async Task<(IReadOnlyList<OomFloor> Floors, bool NewKill)> OomFloorsAsync(AIScaleTarget target, IReadOnlyList<WorkloadPod> pods, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var policy = target.Spec.Vertical!.OomRemediation;
        if (policy?.Enabled == false)
            return ([], false);
        var known = (await oomKills.ListAsync(target.Metadata.Uid, cancellationToken)).ToList();
        var newKill = false;
        foreach (var pod in pods)
        {
            foreach (var container in pod.Containers.Where(c => c.LastTerminationReason == "OOMKilled" && c.Requests.Memory is not null))
            {
                if (known.Any(k => k.PodUid == pod.Uid && k.Floor.Container == container.Name && k.RestartCount == container.RestartCount))
                    continue;
                var kill = new OomKill(pod.Uid, container.RestartCount, OomFloor.AfterKill(container.Name, container.Requests.Memory!.Value, now, policy)!);
                await oomKills.RecordAsync(target.Metadata.Uid, kill, cancellationToken);
                known.Add(kill);
                newKill = true;
            }
        }

        return ([.. known.Select(k => k.Floor).Where(f => now < f.Until)], newKill);
    }

    private static int? OriginalFromAnnotation(HorizontalAutoscaler hpa)
    {
        if (!hpa.Annotations.TryGetValue(IScalingActions.OriginalMinReplicasAnnotation, out var text))
            return hpa.MinReplicas;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }

    private static string FormatReplicas(int? replicas) => replicas?.ToString(CultureInfo.InvariantCulture) ?? "unset";

    private async Task<EnrolledTarget> MarkDoneAsync(EnrolledTarget record, List<string> done, WorkloadPod pod, CancellationToken cancellationToken)
    {
        done.Add(pod.Uid);
        return await enrollments.SaveAsync(record with { Vertical = record.Vertical! with { DonePods = [.. done] } }, cancellationToken);
    }

    /// <summary>The target's enrollment record; created when sync has not made it yet, replaced when it belongs to an older target of the same name.</summary>
    private async Task<EnrolledTarget> EnrollmentOfAsync(AIScaleTarget target, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var record = await enrollments.GetAsync(target.Key, cancellationToken);
        if (record is not null && record.Uid == target.Metadata.Uid)
            return record;
        var fresh = new EnrolledTarget
        {
            Key = target.Key,
            Uid = target.Metadata.Uid,
            EnrolledAt = now,
            VerticalMode = target.Spec.ModeOf(ScalingDirection.Vertical) ?? TargetMode.Recommendation,
            HorizontalMode = target.Spec.ModeOf(ScalingDirection.Horizontal) ?? TargetMode.Recommendation,
            ETag = record?.ETag,
        };
        return await enrollments.SaveAsync(fresh, cancellationToken);
    }

    private async Task<TargetApplyResult> NotAppliedAsync(AIScaleTarget target, TargetCondition condition, string why, CancellationToken cancellationToken)
    {
        await cluster.UpdateStatusAsync(target.Key, target.Metadata.Uid, s => s.WithCondition(condition), cancellationToken);
        return new TargetApplyResult(target.Key, ApplyOutcome.NotApplied, why);
    }

    private Task<bool> RecordFailureAsync(AIScaleTarget target, string error, CancellationToken cancellationToken) =>
        // The failure is worth a condition, but writing it must not hang the run either.
        cluster.TryUpdateStatusAsync(target.Key, target.Metadata.Uid,
            s => s.WithCondition(ApplyConditions.ApplyFailed(error, time.GetUtcNow(), target.Metadata.Generation)), options.TargetTimeBudget, time, cancellationToken);
}
