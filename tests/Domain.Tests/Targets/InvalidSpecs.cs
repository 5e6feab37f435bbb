using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

/// <summary>One invalid spec and the one problem it must be refused with.</summary>
public sealed record InvalidSpecCase(string Name, TargetSpec Spec, string Path, string Message)
{
    public override string ToString() => Name;
}

/// <summary>Every rule of the CRD, each broken once. Shared by the validator tests and the CRD agreement tests.</summary>
public static class InvalidSpecs
{
    private static readonly TimeSpan Zero = TimeSpan.Zero;

    public static IReadOnlyList<InvalidSpecCase> All { get; } = Build();

    public static TheoryData<InvalidSpecCase> Theory()
    {
        var data = new TheoryData<InvalidSpecCase>();
        foreach (var c in All)
            data.Add(c);
        return data;
    }

    private static List<InvalidSpecCase> Build()
    {
        var cases = new List<InvalidSpecCase>
        {
            new("no workload", new TargetSpec { Vertical = ASpec.Vertical() }, "spec", SpecRules.ExactlyOneWorkload),
            new("both workloads", ASpec.VerticalDeployment() with { Selector = ASpec.Selector() }, "spec", SpecRules.ExactlyOneWorkload),
            new("no direction", new TargetSpec { ScaleTargetRef = ASpec.Deployment() }, "spec", SpecRules.AtLeastOneDirection),
            new("horizontal with selector", ASpec.VerticalSelector() with { Horizontal = ASpec.Horizontal() }, "spec", SpecRules.HorizontalNeedsScaleTargetRef),
            new("both autonomous", ASpec.Both(TargetMode.Autonomous, TargetMode.Autonomous), "spec", SpecRules.OneAutonomousDirection),
            new("vertical percentile from spec.model without value",
                ASpec.VerticalDeployment() with { Model = new ModelSpec { Mode = ModelMode.Percentile } },
                "spec", SpecRules.VerticalPercentileNeedsValue),
            new("horizontal percentile without value",
                ASpec.HorizontalDeployment() with { Horizontal = ASpec.Horizontal() with { Model = new ModelSpec { Mode = ModelMode.Percentile } } },
                "spec", SpecRules.HorizontalPercentileNeedsValue),
            new("vertical interval longer than default blocks",
                ASpec.VerticalDeployment() with { Vertical = ASpec.Vertical() with { Model = new ModelSpec { ForecastInterval = TimeSpan.FromMinutes(20) } } },
                "spec", SpecRules.VerticalIntervalWithinBlocks),
            new("horizontal override makes blocks shorter than the shared interval",
                ASpec.HorizontalDeployment() with
                {
                    Model = new ModelSpec { ForecastBlocks = TimeSpan.FromMinutes(10), ForecastInterval = TimeSpan.FromMinutes(5) },
                    Horizontal = ASpec.Horizontal() with { Model = new ModelSpec { ForecastBlocks = TimeSpan.FromMinutes(2) } },
                },
                "spec", SpecRules.HorizontalIntervalWithinBlocks),
            new("empty selector", ASpec.VerticalSelector() with { Selector = new LabelSelector() }, "spec.selector", SpecRules.SelectorNotEmpty),
            new("In without values",
                ASpec.VerticalSelector() with { Selector = new LabelSelector { MatchExpressions = [new() { Key = "tier", Operator = "In" }] } },
                "spec.selector.matchExpressions[0]", SpecRules.SelectorRequirementValues),
            new("Exists with values",
                ASpec.VerticalSelector() with { Selector = new LabelSelector { MatchExpressions = [new() { Key = "tier", Operator = "Exists", Values = ["a"] }] } },
                "spec.selector.matchExpressions[0]", SpecRules.SelectorRequirementValues),
            new("cpu lowerbound above upperbound",
                ASpec.WithContainer(new() { Name = "app", Cpu = new() { Lowerbound = Quantity.Parse("2"), Upperbound = Quantity.Parse("500m") } }),
                "spec.vertical.containers[0].cpu", SpecRules.LowerboundNotAboveUpperbound),
            new("memory lowerbound above upperbound",
                ASpec.WithContainer(new() { Name = "app", Memory = new() { Lowerbound = Quantity.Parse("2Gi"), Upperbound = Quantity.Parse("1G") } }),
                "spec.vertical.containers[0].memory", SpecRules.LowerboundNotAboveUpperbound),
            new("minReplicas above maxReplicas",
                ASpec.HorizontalDeployment() with { Horizontal = ASpec.Horizontal() with { MinReplicas = 5, MaxReplicas = 4 } },
                "spec.horizontal", SpecRules.MinReplicasNotAboveMax),
            new("zero disruption interval",
                ASpec.VerticalDeployment() with { Vertical = ASpec.Vertical() with { Disruption = new() { Interval = Zero } } },
                "spec.vertical.disruption", SpecRules.DisruptionIntervalPositive),
            new("kind DaemonSet",
                ASpec.VerticalDeployment() with { ScaleTargetRef = ASpec.Deployment() with { Kind = "DaemonSet" } },
                "spec.scaleTargetRef.kind", "must be Deployment or StatefulSet, not 'DaemonSet'"),
            new("no workload name",
                ASpec.VerticalDeployment() with { ScaleTargetRef = ASpec.Deployment() with { Name = null } },
                "spec.scaleTargetRef.name", "is required: the name of the Deployment or StatefulSet to scale"),
            new("old apiVersion",
                ASpec.VerticalDeployment() with { ScaleTargetRef = ASpec.Deployment() with { ApiVersion = "apps/v1beta1" } },
                "spec.scaleTargetRef.apiVersion", "must be apps/v1, not 'apps/v1beta1'"),
            new("no vertical mode",
                ASpec.VerticalDeployment() with { Vertical = new VerticalSpec() },
                "spec.vertical.mode", "is required: use " + TargetModes.AllowedText),
            new("no horizontal mode",
                ASpec.HorizontalDeployment() with { Horizontal = new HorizontalSpec() },
                "spec.horizontal.mode", "is required: use " + TargetModes.AllowedText),
            new("percentile 0",
                ASpec.VerticalDeployment() with { Model = new ModelSpec { Mode = ModelMode.Percentile, PercentileValue = 0 } },
                "spec.model.percentile_value", "must be between 1 and 100, not 0"),
            new("buffer 150%",
                ASpec.VerticalDeployment() with { Model = new ModelSpec { ForecastBufferPercentage = 150 } },
                "spec.model.forecast_buffer_percentage", "must be between 0 and 100, not 150"),
            new("container without name",
                ASpec.WithContainer(new() { Cpu = new() { Lowerbound = Quantity.Parse("100m") } }),
                "spec.vertical.containers[0].name", "is required: a container name, or * for every other container"),
            new("container listed twice",
                ASpec.VerticalDeployment() with { Vertical = ASpec.Vertical() with { Containers = [new() { Name = "app" }, new() { Name = "app" }] } },
                "spec.vertical.containers[1].name", "container 'app' is listed more than once"),
            new("too many containers",
                ASpec.VerticalDeployment() with
                {
                    Vertical = ASpec.Vertical() with { Containers = Enumerable.Range(0, 65).Select(i => new ContainerPolicy { Name = $"c{i}" }).ToList() },
                },
                "spec.vertical.containers", "must list at most 64 containers, not 65"),
            new("negative lowerbound",
                ASpec.WithContainer(new() { Name = "app", Cpu = new() { Lowerbound = Quantity.Parse("-1") } }),
                "spec.vertical.containers[0].cpu.lowerbound", "must not be negative, not -1"),
            new("limit ratio below 1",
                ASpec.WithContainer(new() { Name = "app", Memory = new() { Limit = new() { Ratio = 0.5 } } }),
                "spec.vertical.containers[0].memory.limit.ratio", "must be at least 1 (the limit is the request times the ratio), not 0.5"),
            new("max_disrupted 0",
                ASpec.VerticalDeployment() with { Vertical = ASpec.Vertical() with { Disruption = new() { MaxDisrupted = 0 } } },
                "spec.vertical.disruption.max_disrupted", "must be at least 1, not 0"),
            new("minReplicas 0",
                ASpec.HorizontalDeployment() with { Horizontal = ASpec.Horizontal() with { MinReplicas = 0 } },
                "spec.horizontal.minReplicas", "must be at least 1, not 0"),
            new("maxReplicas 0",
                ASpec.HorizontalDeployment() with { Horizontal = ASpec.Horizontal() with { MinReplicas = null, MaxReplicas = 0 } },
                "spec.horizontal.maxReplicas", "must be at least 1, not 0"),
            new("multipleOf 0",
                ASpec.HorizontalDeployment() with { Horizontal = ASpec.Horizontal() with { MultipleOf = 0 } },
                "spec.horizontal.multipleOf", "must be at least 1, not 0"),
            new("threshold 101%",
                ASpec.VerticalDeployment() with { Vertical = ASpec.Vertical() with { ScalingBehavior = new() { ThresholdPercentage = 101 } } },
                "spec.vertical.scaling_behavior.threshold_percentage", "must be between 0 and 100, not 101"),
            new("selector operator Like",
                ASpec.VerticalSelector() with { Selector = new LabelSelector { MatchExpressions = [new() { Key = "tier", Operator = "Like", Values = ["a"] }] } },
                "spec.selector.matchExpressions[0].operator", "must be In, NotIn, Exists or DoesNotExist, not 'Like'"),
            new("selector requirement without key",
                ASpec.VerticalSelector() with { Selector = new LabelSelector { MatchExpressions = [new() { Operator = "Exists" }] } },
                "spec.selector.matchExpressions[0].key", "is required"),
        };

        // The model rules hold at each of the three places a model is written.
        foreach (var (path, place) in new (string, Func<ModelSpec, TargetSpec>)[]
        {
            ("spec.model", m => ASpec.Both(TargetMode.Recommendation, TargetMode.Recommendation) with { Model = m }),
            ("spec.vertical.model", m => ASpec.VerticalDeployment() with { Vertical = ASpec.Vertical() with { Model = m } }),
            ("spec.horizontal.model", m => ASpec.HorizontalDeployment() with { Horizontal = ASpec.Horizontal() with { Model = m } }),
        })
        {
            cases.Add(new($"zero forecast_blocks in {path}", place(new ModelSpec { ForecastBlocks = Zero, ForecastInterval = Zero }), path, SpecRules.ForecastBlocksPositive));
            cases.Add(new($"zero forecast_interval in {path}", place(new ModelSpec { ForecastInterval = Zero }), path, SpecRules.ForecastIntervalPositive));
        }

        // The change-minimum rules hold for scale_up and scale_down of both directions.
        foreach (var name in new[] { "scale_up", "scale_down" })
        {
            TargetSpec Vertical(ChangeMinimum<ResourceAmounts> m) => ASpec.VerticalDeployment() with
            {
                Vertical = ASpec.Vertical() with { ScalingBehavior = name == "scale_up" ? new() { ScaleUp = m } : new() { ScaleDown = m } },
            };
            TargetSpec Horizontal(ChangeMinimum<int?> m) => ASpec.HorizontalDeployment() with
            {
                Horizontal = ASpec.Horizontal() with { ScalingBehavior = name == "scale_up" ? new() { ScaleUp = m } : new() { ScaleDown = m } },
            };
            var vertical = $"spec.vertical.scaling_behavior.{name}";
            var horizontal = $"spec.horizontal.scaling_behavior.{name}";
            cases.Add(new($"vertical {name} percent without percent", Vertical(new() { Type = ChangeMinimumType.Percent }), vertical, SpecRules.PercentNeedsPercent));
            cases.Add(new($"vertical {name} absolute without absolute", Vertical(new() { Type = ChangeMinimumType.Absolute }), vertical, SpecRules.AbsoluteNeedsAbsolute));
            cases.Add(new($"vertical {name} absolute without a resource", Vertical(new() { Type = ChangeMinimumType.Absolute, Absolute = new() }), vertical + ".absolute", SpecRules.AbsoluteNeedsAResource));
            cases.Add(new($"horizontal {name} percent with absolute", Horizontal(new() { Type = ChangeMinimumType.Percent, Percent = 5, Absolute = 1 }), horizontal, SpecRules.PercentNeedsPercent));
            cases.Add(new($"horizontal {name} absolute with percent", Horizontal(new() { Type = ChangeMinimumType.Absolute, Percent = 5, Absolute = 1 }), horizontal, SpecRules.AbsoluteNeedsAbsolute));
            cases.Add(new($"horizontal {name} without type", Horizontal(new() { Percent = 5 }), horizontal + ".type", "is required: use percent or absolute"));
            cases.Add(new($"vertical {name} percent 150", Vertical(new() { Type = ChangeMinimumType.Percent, Percent = 150 }), vertical + ".percent", "must be between 0 and 100, not 150"));
        }

        cases.Add(new("max_changes_per_day 0",
            ASpec.HorizontalDeployment() with { Horizontal = ASpec.Horizontal() with { ScalingBehavior = new() { MaxChangesPerDay = 0 } } },
            "spec.horizontal.scaling_behavior.max_changes_per_day", "must be at least 1, not 0"));
        return cases;
    }
}
