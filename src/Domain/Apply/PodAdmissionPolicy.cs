using Thoras.Domain.Pause;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Apply;

/// <summary>
/// What the admission webhook does with a new pod (DESIGN.md §3): a pod of an autonomous (vertical), unpaused target
/// whose latest suggestion may be applied gets that suggestion; every other pod keeps its controller spec.
/// </summary>
public sealed class PodAdmissionPolicy(ITargetCluster cluster, IScalingActions actions, SuggestionGate gate)
{
    /// <summary>Decides for a pod being created in <paramref name="namespace"/> with <paramref name="labels"/> and <paramref name="containers"/>.</summary>
    public async Task<AdmissionDecision> DecideAsync(string @namespace, IReadOnlyDictionary<string, string> labels, IReadOnlyList<ContainerResources> containers, CancellationToken cancellationToken)
    {
        var listing = await cluster.ListAsync([@namespace], cancellationToken);
        AIScaleTarget? owner = null;
        foreach (var target in listing.Targets.Where(t => !t.Metadata.IsDeleting && t.Spec.IsAutonomous(ScalingDirection.Vertical)))
        {
            var selector = target.Spec.Selector
                ?? await actions.ReadPodSelectorAsync(@namespace, target.Spec.ScaleTargetRef!, cancellationToken);
            if (selector is not null && !selector.IsEmpty && selector.Matches(labels))
            {
                owner = target;
                break;
            }
        }

        if (owner is null)
            return AdmissionDecision.Unchanged("no autonomous vertical target selects this pod");
        var suggestion = owner.Status.LatestSuggestion;
        if (suggestion?.SuggestionUID is null || !suggestion.HasEnoughDataToScale)
            return AdmissionDecision.Unchanged($"{owner.Key} has no suggestion that may be applied yet");

        var decision = await gate.DecideAsync(cancellationToken);
        if (!decision.MayApply)
            return AdmissionDecision.Unchanged($"{owner.Key} is not applied: {decision.Reason}");

        var desired = SuggestedResources.For(containers, suggestion, owner.Spec.Vertical!);
        return SuggestedResources.SameResources(desired, containers)
            ? AdmissionDecision.Unchanged($"the pod already has suggestion {suggestion.SuggestionUID} of {owner.Key}")
            : new AdmissionDecision(desired, $"suggestion {suggestion.SuggestionUID} of {owner.Key}");
    }
}

/// <summary>The containers a new pod should be created with (null: unchanged), and why.</summary>
public sealed record AdmissionDecision(IReadOnlyList<ContainerResources>? Containers, string Reason)
{
    /// <summary>The pod is admitted as it is.</summary>
    public static AdmissionDecision Unchanged(string reason) => new(null, reason);
}
