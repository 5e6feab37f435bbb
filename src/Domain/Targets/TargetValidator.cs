using System.Globalization;

namespace Thoras.Domain.Targets;

/// <summary>
/// Checks an AIScaleTarget spec against every rule of the CRD: its schema (required fields, allowed values, ranges)
/// and its CEL rules (<see cref="SpecRules"/>). The API server enforces the same on <c>kubectl apply</c>; the app
/// checks again because a spec may come from elsewhere (an older CRD, a cluster without it, the sandbox).
/// </summary>
public static class TargetValidator
{
    /// <summary>The most container entries a target may list, as the CRD's <c>maxItems</c> says.</summary>
    public const int MaxContainers = 64;

    /// <summary>Every problem of the spec, in field order; empty when the spec is valid.</summary>
    public static IReadOnlyList<SpecProblem> Validate(TargetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var problems = new List<SpecProblem>();
        ValidateSpecRules(spec, problems);
        if (spec.ScaleTargetRef is { } reference)
            ValidateScaleTargetRef(reference, problems);
        if (spec.Selector is { } selector)
            ValidateSelector(selector, problems);
        if (spec.Model is { } model)
            ValidateModel(model, "spec.model", problems);
        if (spec.Vertical is { } vertical)
            ValidateVertical(vertical, problems);
        if (spec.Horizontal is { } horizontal)
            ValidateHorizontal(horizontal, problems);
        return problems;
    }

    private static void ValidateSpecRules(TargetSpec spec, List<SpecProblem> problems)
    {
        if ((spec.ScaleTargetRef is null) == (spec.Selector is null))
            problems.Add(new("spec", SpecRules.ExactlyOneWorkload));
        if (spec.Vertical is null && spec.Horizontal is null)
            problems.Add(new("spec", SpecRules.AtLeastOneDirection));
        if (spec.Selector is not null && spec.Horizontal is not null)
            problems.Add(new("spec", SpecRules.HorizontalNeedsScaleTargetRef));
        if (spec.IsAutonomous(ScalingDirection.Vertical) && spec.IsAutonomous(ScalingDirection.Horizontal))
            problems.Add(new("spec", SpecRules.OneAutonomousDirection));

        foreach (var direction in spec.Directions)
        {
            var model = spec.EffectiveModelSpec(direction);
            if (model.Mode == ModelMode.Percentile && model.PercentileValue is null)
                problems.Add(new("spec", SpecRules.PercentileNeedsValue(direction)));
            var resolved = model.Resolve();
            if (resolved.ForecastInterval > resolved.ForecastBlocks)
                problems.Add(new("spec", SpecRules.IntervalWithinBlocks(direction)));
        }
    }

    private static void ValidateScaleTargetRef(ScaleTargetRef reference, List<SpecProblem> problems)
    {
        if (reference.ApiVersion is not null && reference.ApiVersion != TargetDefaults.ScaleTargetApiVersion)
            problems.Add(new("spec.scaleTargetRef.apiVersion", $"must be {TargetDefaults.ScaleTargetApiVersion}, not '{reference.ApiVersion}'"));
        if (reference.Kind is not (ScaleTargetRef.Deployment or ScaleTargetRef.StatefulSet))
            problems.Add(new("spec.scaleTargetRef.kind", $"must be {ScaleTargetRef.Deployment} or {ScaleTargetRef.StatefulSet}, not '{reference.Kind}'"));
        if (string.IsNullOrEmpty(reference.Name))
            problems.Add(new("spec.scaleTargetRef.name", "is required: the name of the Deployment or StatefulSet to scale"));
    }

    private static void ValidateSelector(LabelSelector selector, List<SpecProblem> problems)
    {
        if (selector.IsEmpty)
            problems.Add(new("spec.selector", SpecRules.SelectorNotEmpty));
        var expressions = selector.MatchExpressions ?? [];
        for (var i = 0; i < expressions.Count; i++)
        {
            var path = $"spec.selector.matchExpressions[{i}]";
            var requirement = expressions[i];
            if (string.IsNullOrEmpty(requirement.Key))
                problems.Add(new($"{path}.key", "is required"));
            if (requirement.Operator is not (LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn
                or LabelSelectorRequirement.Exists or LabelSelectorRequirement.DoesNotExist))
            {
                problems.Add(new($"{path}.operator", $"must be In, NotIn, Exists or DoesNotExist, not '{requirement.Operator}'"));
                continue;
            }

            var needsValues = requirement.Operator is LabelSelectorRequirement.In or LabelSelectorRequirement.NotIn;
            var hasValues = requirement.Values is { Count: > 0 };
            if (needsValues != hasValues)
                problems.Add(new(path, SpecRules.SelectorRequirementValues));
        }
    }

    private static void ValidateModel(ModelSpec model, string path, List<SpecProblem> problems)
    {
        if (model.PercentileValue is { } percentile && (percentile < 1 || percentile > 100 || double.IsNaN(percentile)))
            problems.Add(new($"{path}.percentile_value", Invariant($"must be between 1 and 100, not {percentile}")));
        if (model.ForecastBufferPercentage is { } buffer && (buffer < 0 || buffer > 100 || double.IsNaN(buffer)))
            problems.Add(new($"{path}.forecast_buffer_percentage", Invariant($"must be between 0 and 100, not {buffer}")));
        if (model.ForecastBlocks is { } blocks && blocks <= TimeSpan.Zero)
            problems.Add(new(path, SpecRules.ForecastBlocksPositive));
        if (model.ForecastInterval is { } interval && interval <= TimeSpan.Zero)
            problems.Add(new(path, SpecRules.ForecastIntervalPositive));
    }

    private static void ValidateVertical(VerticalSpec vertical, List<SpecProblem> problems)
    {
        if (vertical.Mode is null)
            problems.Add(new("spec.vertical.mode", $"is required: use {TargetModes.AllowedText}"));
        if (vertical.Model is { } model)
            ValidateModel(model, "spec.vertical.model", problems);

        var containers = vertical.Containers ?? [];
        if (containers.Count > MaxContainers)
            problems.Add(new("spec.vertical.containers", $"must list at most {MaxContainers} containers, not {containers.Count}"));
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < containers.Count; i++)
        {
            var path = $"spec.vertical.containers[{i}]";
            var container = containers[i];
            if (string.IsNullOrEmpty(container.Name))
                problems.Add(new($"{path}.name", "is required: a container name, or * for every other container"));
            else if (!seen.Add(container.Name))
                problems.Add(new($"{path}.name", $"container '{container.Name}' is listed more than once"));
            if (container.Cpu is { } cpu)
                ValidateResource(cpu, $"{path}.cpu", problems);
            if (container.Memory is { } memory)
                ValidateResource(memory, $"{path}.memory", problems);
        }

        if (vertical.Disruption is { } disruption)
        {
            if (disruption.MaxDisrupted is < 1)
                problems.Add(new("spec.vertical.disruption.max_disrupted", $"must be at least 1, not {disruption.MaxDisrupted}"));
            if (disruption.Interval is { } interval && interval <= TimeSpan.Zero)
                problems.Add(new("spec.vertical.disruption", SpecRules.DisruptionIntervalPositive));
        }

        ValidateScalingBehavior(vertical.ScalingBehavior, "spec.vertical.scaling_behavior", problems, ValidateResourceAmounts);
    }

    private static void ValidateResource(ResourcePolicy resource, string path, List<SpecProblem> problems)
    {
        if (resource.Lowerbound is { IsNegative: true } lower)
            problems.Add(new($"{path}.lowerbound", $"must not be negative, not {lower}"));
        if (resource.Upperbound is { IsNegative: true } upper)
            problems.Add(new($"{path}.upperbound", $"must not be negative, not {upper}"));
        if (resource.Lowerbound is { } low && resource.Upperbound is { } high && low > high)
            problems.Add(new(path, SpecRules.LowerboundNotAboveUpperbound));
        if (resource.Limit?.Ratio is { } ratio && (ratio < 1 || double.IsNaN(ratio)))
            problems.Add(new($"{path}.limit.ratio", Invariant($"must be at least 1 (the limit is the request times the ratio), not {ratio}")));
    }

    private static void ValidateHorizontal(HorizontalSpec horizontal, List<SpecProblem> problems)
    {
        if (horizontal.Mode is null)
            problems.Add(new("spec.horizontal.mode", $"is required: use {TargetModes.AllowedText}"));
        if (horizontal.Model is { } model)
            ValidateModel(model, "spec.horizontal.model", problems);
        if (horizontal.MinReplicas is < 1)
            problems.Add(new("spec.horizontal.minReplicas", $"must be at least 1, not {horizontal.MinReplicas}"));
        if (horizontal.MaxReplicas is < 1)
            problems.Add(new("spec.horizontal.maxReplicas", $"must be at least 1, not {horizontal.MaxReplicas}"));
        if (horizontal.MultipleOf is < 1)
            problems.Add(new("spec.horizontal.multipleOf", $"must be at least 1, not {horizontal.MultipleOf}"));
        if (horizontal.MinReplicas is { } min && horizontal.MaxReplicas is { } max && min > max)
            problems.Add(new("spec.horizontal", SpecRules.MinReplicasNotAboveMax));
        ValidateScalingBehavior(horizontal.ScalingBehavior, "spec.horizontal.scaling_behavior", problems, ValidateReplicaCount);
    }

    private static void ValidateScalingBehavior<TAbsolute>(ScalingBehavior<TAbsolute>? behavior, string path, List<SpecProblem> problems, Action<TAbsolute, string, List<SpecProblem>> validateAbsolute)
    {
        if (behavior is null)
            return;
        if (behavior.ThresholdPercentage is { } threshold && (threshold < 0 || threshold > 100 || double.IsNaN(threshold)))
            problems.Add(new($"{path}.threshold_percentage", Invariant($"must be between 0 and 100, not {threshold}")));
        if (behavior.MaxChangesPerDay is < 1)
            problems.Add(new($"{path}.max_changes_per_day", $"must be at least 1, not {behavior.MaxChangesPerDay}"));
        ValidateChangeMinimum(behavior.ScaleUp, $"{path}.scale_up", problems, validateAbsolute);
        ValidateChangeMinimum(behavior.ScaleDown, $"{path}.scale_down", problems, validateAbsolute);
    }

    private static void ValidateChangeMinimum<TAbsolute>(ChangeMinimum<TAbsolute>? minimum, string path, List<SpecProblem> problems, Action<TAbsolute, string, List<SpecProblem>> validateAbsolute)
    {
        if (minimum is null)
            return;
        if (minimum.Type is null)
            problems.Add(new($"{path}.type", $"is required: use {ChangeMinimumTypeJsonConverter.AllowedText}"));
        if (minimum.Type == ChangeMinimumType.Percent && (minimum.Percent is null || minimum.Absolute is not null))
            problems.Add(new(path, SpecRules.PercentNeedsPercent));
        if (minimum.Type == ChangeMinimumType.Absolute && (minimum.Absolute is null || minimum.Percent is not null))
            problems.Add(new(path, SpecRules.AbsoluteNeedsAbsolute));
        if (minimum.Percent is { } percent && (percent < 0 || percent > 100 || double.IsNaN(percent)))
            problems.Add(new($"{path}.percent", Invariant($"must be between 0 and 100, not {percent}")));
        if (minimum.Absolute is { } absolute)
            validateAbsolute(absolute, $"{path}.absolute", problems);
    }

    private static void ValidateResourceAmounts(ResourceAmounts amounts, string path, List<SpecProblem> problems)
    {
        if (amounts.Cpu is null && amounts.Memory is null)
            problems.Add(new(path, SpecRules.AbsoluteNeedsAResource));
        if (amounts.Cpu is { IsNegative: true } cpu)
            problems.Add(new($"{path}.cpu", $"must not be negative, not {cpu}"));
        if (amounts.Memory is { IsNegative: true } memory)
            problems.Add(new($"{path}.memory", $"must not be negative, not {memory}"));
    }

    private static void ValidateReplicaCount(int? replicas, string path, List<SpecProblem> problems)
    {
        if (replicas is < 0)
            problems.Add(new(path, $"must be at least 0, not {replicas}"));
    }

    /// <summary>Numbers in messages read the same on every machine (0.5, never 0,5).</summary>
    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
