using Thoras.Domain.Targets;

namespace Thoras.TestSupport.Builders;

/// <summary>
/// An immutable builder of what a target scales as the app reads it (<see cref="ResolvedTarget"/>): a Deployment with
/// container <c>app</c> (250m/256Mi requests, 1/1Gi limits), its running pods, HPAs and PDBs.
/// </summary>
/// <example>
/// <code>
/// var resolved = ResolvedBuilder.For(target).WithPods(2).WithHpa(min: 2, max: 6).Build();
/// </code>
/// </example>
public sealed record ResolvedBuilder
{
    private AIScaleTarget Target { get; init; } = null!;

    private WorkloadPod[] Pods { get; init; } = [];

    private HorizontalAutoscaler[] Autoscalers { get; init; } = [];

    private DisruptionBudget[] Budgets { get; init; } = [];

    /// <summary>The requests and limits of container <c>app</c> in the controller spec.</summary>
    public static ContainerResources App(string cpu = "250m", string memory = "256Mi") =>
        new("app", new ResourceAmounts { Cpu = Quantity.Parse(cpu), Memory = Quantity.Parse(memory) }, new ResourceAmounts { Cpu = Quantity.Parse("1"), Memory = Quantity.Parse("1Gi") });

    /// <summary>What <paramref name="target"/> scales, with no pods, HPA or PDB yet.</summary>
    public static ResolvedBuilder For(AIScaleTarget target) => new() { Target = target ?? throw new ArgumentNullException(nameof(target)) };

    /// <summary>A running pod <c>&lt;target&gt;-&lt;index&gt;</c> (UID <c>pod-&lt;index&gt;</c>) with <paramref name="app"/> as container <c>app</c>.</summary>
    public static WorkloadPod Pod(string target, int index, ContainerResources? app = null, string phase = "Running", bool terminating = false) => new(
        $"{target}-{index}", $"pod-{index}", new Dictionary<string, string> { ["app"] = target }, phase, TargetBuilder.Now.AddHours(-1), terminating, [app ?? App()]);

    /// <summary>With <paramref name="count"/> running pods on the controller spec.</summary>
    public ResolvedBuilder WithPods(int count) => this with { Pods = [.. Enumerable.Range(0, count).Select(i => Pod(Target.Metadata.Name, i))] };

    /// <summary>With these pods.</summary>
    public ResolvedBuilder WithPods(params WorkloadPod[] pods) => this with { Pods = pods };

    /// <summary>With an HPA named after the target, <paramref name="min"/> to <paramref name="max"/> replicas, and <paramref name="annotations"/>.</summary>
    public ResolvedBuilder WithHpa(int? min, int max, IReadOnlyDictionary<string, string>? annotations = null, string? name = null) => this with
    {
        Autoscalers = [.. Autoscalers, new HorizontalAutoscaler(name ?? Target.Metadata.Name, min, max, annotations ?? new Dictionary<string, string>(), "7", 50)
        {
            ScaleTarget = TargetBuilder.Deployment(Target.Metadata.Name),
        }],
    };

    /// <summary>With a PDB covering the pods that allows <paramref name="disruptionsAllowed"/> disruptions now.</summary>
    public ResolvedBuilder WithPdb(int disruptionsAllowed) => this with
    {
        Budgets = [.. Budgets, new DisruptionBudget(Target.Metadata.Name, "1", null, disruptionsAllowed)],
    };

    /// <summary>The resolved target.</summary>
    public ResolvedTarget Build()
    {
        var name = Target.Spec.ScaleTargetRef?.Name ?? Target.Metadata.Name;
        var selector = new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } };
        var workload = Target.Spec.ScaleTargetRef is null
            ? null
            : new Workload(ScaleTargetRef.Deployment, name, "w-" + name, Pods.Length, selector.MatchLabels!, new Dictionary<string, string>(), [App()]) { Selector = selector };
        return new ResolvedTarget(Target, workload, Target.Spec.Selector ?? selector, Pods, Autoscalers, Budgets);
    }
}
