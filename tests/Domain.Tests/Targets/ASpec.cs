using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

/// <summary>Builders of valid target specs; tests change one thing with <c>with</c>.</summary>
public static class ASpec
{
    public static ScaleTargetRef Deployment(string name = "web") => new() { ApiVersion = "apps/v1", Kind = ScaleTargetRef.Deployment, Name = name };

    public static LabelSelector Selector(string app = "web") => new() { MatchLabels = new Dictionary<string, string> { ["app"] = app } };

    public static VerticalSpec Vertical(TargetMode mode = TargetMode.Recommendation) => new() { Mode = mode };

    public static HorizontalSpec Horizontal(TargetMode mode = TargetMode.Recommendation) => new() { Mode = mode, MinReplicas = 1, MaxReplicas = 10 };

    /// <summary>A Deployment scaled vertically.</summary>
    public static TargetSpec VerticalDeployment(TargetMode mode = TargetMode.Recommendation) =>
        new() { ScaleTargetRef = Deployment(), Vertical = Vertical(mode) };

    /// <summary>A Deployment scaled horizontally.</summary>
    public static TargetSpec HorizontalDeployment(TargetMode mode = TargetMode.Recommendation) =>
        new() { ScaleTargetRef = Deployment(), Horizontal = Horizontal(mode) };

    /// <summary>A Deployment scaled both ways.</summary>
    public static TargetSpec Both(TargetMode vertical, TargetMode horizontal) =>
        new() { ScaleTargetRef = Deployment(), Vertical = Vertical(vertical), Horizontal = Horizontal(horizontal) };

    /// <summary>Pods found by a label selector, scaled vertically.</summary>
    public static TargetSpec VerticalSelector(TargetMode mode = TargetMode.Recommendation) =>
        new() { Selector = Selector(), Vertical = Vertical(mode) };

    /// <summary>A vertical Deployment target with one container entry.</summary>
    public static TargetSpec WithContainer(ContainerPolicy container) =>
        VerticalDeployment() with { Vertical = Vertical() with { Containers = [container] } };
}

/// <summary>A spec with a name for test output.</summary>
public sealed record NamedSpec(string Name, TargetSpec Spec)
{
    public override string ToString() => Name;
}
