using Thoras.Domain.Targets;
using Thoras.TestSupport.Builders;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

/// <summary>How a target finds its workload, pods, HPAs and PDBs among the objects of its namespace.</summary>
public sealed class TargetResolutionTests
{
    private static readonly LabelSelector Web = new() { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } };

    private static Workload Deployment(string name, LabelSelector selector) =>
        new(ScaleTargetRef.Deployment, name, "w-" + name, 2, selector.MatchLabels!, new Dictionary<string, string>(), [ResolvedBuilder.App()]) { Selector = selector };

    private static WorkloadPod Pod(string name, string app) =>
        new(name, "uid-" + name, new Dictionary<string, string> { ["app"] = app }, "Running", null, false, [ResolvedBuilder.App()]);

    private static HorizontalAutoscaler Hpa(string name, string kind, string workload, string? apiVersion = "apps/v1") =>
        new(name, 1, 5, new Dictionary<string, string>(), "1") { ScaleTarget = new ScaleTargetRef { ApiVersion = apiVersion, Kind = kind, Name = workload } };

    private static DisruptionBudget Pdb(string name, string? app) =>
        new(name, "1", null, 1) { Selector = app is null ? null : new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = app } } };

    [Fact]
    public void Resolve_Deployment_FindsItsPodsHpasAndPdbsOnly()
    {
        var target = TargetBuilder.Target("web").Build();
        var objects = new NamespaceObjects(
            Deployments: [Deployment("api", new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "api" } }), Deployment("web", Web)],
            Pods: [Pod("web-1", "web"), Pod("api-1", "api"), Pod("web-2", "web")],
            Autoscalers: [Hpa("z-web", "Deployment", "web"), Hpa("api", "Deployment", "api"), Hpa("a-web", "Deployment", "web", apiVersion: null), Hpa("set", "StatefulSet", "web"), Hpa("old", "Deployment", "web", "apps/v1beta1")],
            DisruptionBudgets: [Pdb("web", "web"), Pdb("api", "api"), Pdb("none", null)]);

        var resolved = TargetResolution.Resolve(target, objects)!;

        Assert.Equal("web", resolved.Workload!.Name);
        Assert.Equal(["web-1", "web-2"], resolved.Pods.Select(p => p.Name));
        Assert.Equal(["a-web", "z-web"], resolved.Autoscalers.Select(h => h.Name));
        Assert.Equal(["web"], resolved.DisruptionBudgets.Select(b => b.Name));
    }

    [Fact]
    public void Resolve_WorkloadNotInTheNamespace_Null()
    {
        var target = TargetBuilder.Target("web").Build();

        Assert.Null(TargetResolution.Resolve(target, new NamespaceObjects(Deployments: [])));
    }

    [Fact]
    public void Resolve_WorkloadKindNotRead_Throws()
    {
        var target = TargetBuilder.Target("web").Build();

        Assert.Throws<InvalidOperationException>(() => TargetResolution.Resolve(target, new NamespaceObjects(StatefulSets: [])));
    }

    [Fact]
    public void Resolve_SelectorTarget_PodsByItsOwnSelectorAndNoHpa()
    {
        var target = TargetBuilder.Target("batch").WithSelector("web").Build();

        var resolved = TargetResolution.Resolve(target, new NamespaceObjects(Pods: [Pod("web-1", "web"), Pod("api-1", "api")], Autoscalers: [Hpa("web", "Deployment", "web")]))!;

        Assert.Null(resolved.Workload);
        Assert.Equal(["web-1"], resolved.Pods.Select(p => p.Name));
        Assert.Empty(resolved.Autoscalers);
    }

    [Fact]
    public void Resolve_PdbCoversOnlyThePodTemplate_StillCoversTheWorkload()
    {
        var target = TargetBuilder.Target("web").Build();

        var resolved = TargetResolution.Resolve(target, new NamespaceObjects(Deployments: [Deployment("web", Web)], Pods: [], DisruptionBudgets: [Pdb("web", "web")]))!;

        Assert.Equal(["web"], resolved.DisruptionBudgets.Select(b => b.Name));
    }
}
