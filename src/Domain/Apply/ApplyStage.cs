using System.Collections.Concurrent;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Events;
using Thoras.Domain.Pause;
using Thoras.Domain.Stages;
using Thoras.Domain.Targets;
using Thoras.Domain.Telemetry;

namespace Thoras.Domain.Apply;

/// <summary>
/// The apply stage (DESIGN.md §3), like the VPA updater, as four named steps over one cluster snapshot:
/// <list type="number">
/// <item><b>load</b>: the gate's decision (<see cref="PauseStatus"/>), the targets (one list), the workloads, pods, HPAs
/// and PDBs of the targets that may be applied (listed per namespace), their enrollment records (one list) and ledgers;</item>
/// <item><b>plan</b>: <see cref="ApplyPlanner.Plan"/>, pure;</item>
/// <item><b>act</b>: per target, the <see cref="ApplyExecutor"/> resizes, evicts or sets the HPA floor;</item>
/// <item><b>record</b>: per target, the status (a conditional write on the snapshot's version) and the enrollment
/// record from <see cref="ApplyPlanner.Conclude"/>; then the pass's audit records, in batches, and its events and
/// metrics (<see cref="ApplySignals"/>, from the plan and the outcomes).</item>
/// </list>
/// Targets act and record through the shared <see cref="TargetRunner"/> (bounded parallelism, a time budget each). The
/// stage is idempotent by suggestion UID: a pass that runs twice, or crashes half-way, is finished by the next without
/// applying anything twice.
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
    TimeProvider time,
    IEventRecorder? events = null)
{
    /// <summary>The stage's name in step timings.</summary>
    public const string StageName = "apply";

    private readonly ApplyExecutor executor = new(actions, enrollments, oomKills, disruptions);
    private readonly TargetRunner runner = new(options.MaxParallelTargets, options.TargetTimeBudget, time);
    private readonly ApplySignals signals = new(events);

    /// <summary>One run over every target of the configured namespaces (<see cref="ApplyOptions.Namespaces"/>).</summary>
    public Task<ApplyPass> RunOnceAsync(CancellationToken cancellationToken) =>
        RunOnceAsync(TargetScope.InNamespaces(options.Namespaces), cancellationToken);

    /// <summary>One run over the targets of <paramref name="scope"/> (a batch of a fanned-out pass).</summary>
    public async Task<ApplyPass> RunOnceAsync(TargetScope scope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scope);
        var now = time.GetUtcNow();
        var steps = new StageSteps(StageName, time);
        var (decision, snapshot, records, ledgers) = await steps.RunAsync(StageSteps.Load, () => LoadAsync(scope, now, cancellationToken));
        var plan = steps.Run(StageSteps.Plan, () => ApplyPlanner.Plan(snapshot, decision, records, ledgers, now));

        var outcomes = new ConcurrentDictionary<TargetKey, IReadOnlyList<ApplyItemOutcome>>();
        var audits = new ConcurrentQueue<AuditRecord>();
        var results = await runner.RunAsync(
            plan.Targets,
            (target, token) => ThorasTelemetry.TraceTargetAsync(StageName, target.Key, target.Target.Metadata.Uid,
                () => ActAndRecordAsync(target, steps, now, outcomes, audits, token), r => r.Outcome == ApplyOutcome.Failed ? r.Detail : null),
            (target, error, token) => RecordFailureAsync(target.Target, error, token),
            cancellationToken);

        await steps.RunAsync(StageSteps.Record, () => signals.RecordAsync(plan, outcomes, results, cancellationToken));

        // Audit records of the whole pass go in batches (one per partition of the log); they are written even when the
        // pass is being stopped, within a budget of their own, so what was done is not left unaudited.
        string? auditError = null;
        if (!audits.IsEmpty)
        {
            (_, auditError) = await steps.RunAsync(StageSteps.Record, () => runner.WithinBudgetAsync(async t =>
            {
                await audit.AppendAllAsync([.. audits], t);
                return true;
            }, CancellationToken.None));
        }

        return new ApplyPass(decision, results) { Plan = plan, Outcomes = outcomes, Steps = steps.Timings, AuditError = auditError };
    }

    private async Task<(GateDecision Gate, ApplySnapshot Snapshot, IReadOnlyDictionary<TargetKey, EnrolledTarget> Records, ApplyLedgers Ledgers)> LoadAsync(
        TargetScope scope, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var decision = await gate.DecideAsync(cancellationToken);
        var snapshot = await ClusterSnapshot.TakeAsync(cluster, scope, options.TargetTimeBudget, time, cancellationToken);
        var needed = snapshot.Targets.Select(t => (Target: t, Reads: ApplyPlanner.ReadsFor(t, decision))).Where(n => n.Reads is not null).ToList();
        var resolved = new ConcurrentDictionary<string, ResolvedTarget?>(StringComparer.Ordinal);
        var errors = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        var kills = new ConcurrentDictionary<string, IReadOnlyList<OomKill>>(StringComparer.Ordinal);
        var evictions = new ConcurrentDictionary<string, IReadOnlyList<DateTimeOffset>>(StringComparer.Ordinal);
        if (needed.Count == 0)
            return (decision, new ApplySnapshot(snapshot.Targets, resolved, errors), new Dictionary<TargetKey, EnrolledTarget>(), ApplyLedgers.Empty);

        var holding = await oomKills.ListHoldingAsync(now, cancellationToken);
        await runner.RunAsync(needed, async (each, token) =>
        {
            var target = each.Target;
            var found = await snapshot.ResolveAsync(target, each.Reads!.Value, token);
            resolved[target.Metadata.Uid] = found;
            if (found is not null && ApplyPlanner.NeedsAllOomKills(found))
                kills[target.Metadata.Uid] = await oomKills.ListAsync(target.Metadata.Uid, token);
            else if (holding.TryGetValue(target.Metadata.Uid, out var still))
                kills[target.Metadata.Uid] = still;
            if (ApplyPlanner.EvictionWindow(target) is { } window)
                evictions[target.Metadata.Uid] = await disruptions.ListSinceAsync(target.Metadata.Uid, now - window, token);
            return true;
        }, (each, error, _) =>
        {
            errors[each.Target.Metadata.Uid] = error;
            return Task.FromResult(false);
        }, cancellationToken);

        var records = (await enrollments.ListAsync(cancellationToken)).ToDictionary(r => r.Key);
        return (decision, new ApplySnapshot(snapshot.Targets, resolved, errors), records, new ApplyLedgers(kills, evictions));
    }

    private async Task<TargetApplyResult> ActAndRecordAsync(
        TargetApplyPlan plan, StageSteps steps, DateTimeOffset now, ConcurrentDictionary<TargetKey, IReadOnlyList<ApplyItemOutcome>> outcomes,
        ConcurrentQueue<AuditRecord> audits, CancellationToken cancellationToken)
    {
        var acted = plan.Decision is ApplyDecision.Vertical or ApplyDecision.Horizontal or ApplyDecision.Refused
            ? await steps.RunAsync(StageSteps.Act, () => executor.ExecuteAsync(plan, now, cancellationToken))
            : new TargetActOutcome([], null);
        outcomes[plan.Key] = acted.Outcomes;
        var conclusion = ApplyPlanner.Conclude(plan, acted.Outcomes, now);
        if (plan.Decision == ApplyDecision.Failed)
        {
            await RecordFailureAsync(plan.Target, plan.Detail, cancellationToken);
            return conclusion.Result;
        }

        await steps.RunAsync(StageSteps.Record, async () =>
        {
            if (conclusion.Record is { } record)
                await executor.SaveAsync(record with { ETag = acted.Saved?.ETag ?? record.ETag }, cancellationToken);
            if (conclusion.Status is { } status)
                await cluster.UpdateStatusAsync(plan.Target, status.ApplyTo, cancellationToken);
        });
        if (conclusion.Audit is { } record)
            audits.Enqueue(record);
        return conclusion.Result;
    }

    private async Task<TargetApplyResult> RecordFailureAsync(AIScaleTarget target, string error, CancellationToken cancellationToken)
    {
        // The failure is worth a condition, but writing it must not hang the run either: it gets a budget of its own.
        var failed = ApplyPlanner.Failed(target, error, null, null, time.GetUtcNow());
        await cluster.TryUpdateStatusAsync(target.Key, target.Metadata.Uid, failed.Status!.ApplyTo, options.TargetTimeBudget, time, cancellationToken);
        return failed.Result;
    }
}
