using Thoras.Domain.Pause;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// What the admission webhook does with a new pod (DESIGN.md §3): a pod of an autonomous (vertical) target whose
/// latest suggestion may be applied (<see cref="SuggestionEligibility"/>, the gate included) gets what the apply stage
/// would give it (<see cref="DesiredResources"/>, OOM floors included); every other pod keeps its controller spec.
/// The namespace is read as one snapshot: its targets, then its workloads, once each.
/// </summary>
public sealed class PodAdmissionPolicy(ITargetCluster cluster, IOomKillLedger oomKills, SuggestionGate gate, TimeProvider time)
{
    /// <summary>How long one namespace read may take; the webhook's own budget is shorter still.</summary>
    private static readonly TimeSpan ReadBudget = TimeSpan.FromSeconds(5);

    /// <summary>Decides for a pod being created in <paramref name="namespace"/> with <paramref name="labels"/> and <paramref name="containers"/>.</summary>
    public async Task<AdmissionDecision> DecideAsync(string @namespace, IReadOnlyDictionary<string, string> labels, IReadOnlyList<ContainerResources> containers, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var snapshot = await ClusterSnapshot.TakeAsync(cluster, TargetScope.InNamespaces([@namespace]), ReadBudget, time, cancellationToken);
        var owner = await OwnerAsync(snapshot, labels, cancellationToken);
        if (owner is null)
            return AdmissionDecision.Unchanged("no autonomous vertical target selects this pod");

        var suggestion = owner.Status.LatestSuggestion;
        var early = SuggestionEligibility.BeforeWorkload(owner.Spec, suggestion, null);
        if (!early.IsEligible)
            return AdmissionDecision.Unchanged($"{owner.Key} is not applied: {early.Reason}");
        var decision = await gate.DecideAsync(cancellationToken);
        var eligibility = SuggestionEligibility.BeforeWorkload(owner.Spec, suggestion, decision);
        if (!eligibility.IsEligible)
            return AdmissionDecision.Unchanged($"{owner.Key} is not applied: {eligibility.Reason}");

        var now = time.GetUtcNow();
        var floors = owner.Spec.Vertical!.OomRemediation?.Enabled == false
            ? []
            : (await oomKills.ListAsync(owner.Metadata.Uid, cancellationToken)).Select(k => k.Floor).Where(f => now < f.Until).ToList();
        var desired = DesiredResources.For(containers, suggestion!, owner.Spec.Vertical!, floors, now);
        return DesiredResources.Same(desired, containers)
            ? AdmissionDecision.Unchanged($"the pod already has suggestion {suggestion!.SuggestionUID} of {owner.Key}")
            : new AdmissionDecision(desired, $"suggestion {suggestion!.SuggestionUID} of {owner.Key}" + (floors.Count > 0 ? " with its OOM floors" : string.Empty));
    }

    /// <summary>The autonomous vertical target whose pods the labels match: its own selector, or its workload's.</summary>
    private static async Task<AIScaleTarget?> OwnerAsync(ClusterSnapshot snapshot, IReadOnlyDictionary<string, string> labels, CancellationToken cancellationToken)
    {
        foreach (var target in snapshot.Targets.Where(t => t.Spec.IsAutonomous(ScalingDirection.Vertical)))
        {
            var selector = target.Spec.Selector ?? (await snapshot.ResolveAsync(target, TargetReads.Workload, cancellationToken))?.PodSelector;
            if (selector is not null && !selector.IsEmpty && selector.Matches(labels))
                return target;
        }

        return null;
    }
}

/// <summary>The containers a new pod should be created with (null: unchanged), and why.</summary>
public sealed record AdmissionDecision(IReadOnlyList<ContainerResources>? Containers, string Reason)
{
    /// <summary>The pod is admitted as it is.</summary>
    public static AdmissionDecision Unchanged(string reason) => new(null, reason);
}
