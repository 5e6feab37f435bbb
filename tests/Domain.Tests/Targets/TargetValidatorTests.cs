using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Targets;

public class TargetValidatorTests
{
    public static TheoryData<InvalidSpecCase> InvalidCases => InvalidSpecs.Theory();

    [Theory]
    [MemberData(nameof(InvalidCases))]
    public void Validate_SpecBreakingARule_ReportsThatRulesMessageAtItsField(InvalidSpecCase invalid)
    {
        var problems = TargetValidator.Validate(invalid.Spec);

        Assert.Contains(new SpecProblem(invalid.Path, invalid.Message), problems);
    }

    public static TheoryData<NamedSpec> ValidSpecs => new()
    {
        new NamedSpec("vertical deployment", ASpec.VerticalDeployment(TargetMode.Autonomous)),
        new NamedSpec("horizontal deployment", ASpec.HorizontalDeployment(TargetMode.Autonomous)),
        new NamedSpec("one autonomous direction", ASpec.Both(TargetMode.Autonomous, TargetMode.Recommendation)),
        new NamedSpec("selector", ASpec.VerticalSelector(TargetMode.Observation)),
        new NamedSpec("percentile with value in spec.model", ASpec.VerticalDeployment() with { Model = new ModelSpec { Mode = ModelMode.Percentile, PercentileValue = 90 } }),
        new NamedSpec(
            "percentile from direction with value from spec.model",
            ASpec.VerticalDeployment() with
            {
                Model = new ModelSpec { PercentileValue = 90 },
                Vertical = ASpec.Vertical() with { Model = new ModelSpec { Mode = ModelMode.Percentile } },
            }),
        new NamedSpec(
            "interval equal to blocks",
            ASpec.VerticalDeployment() with { Model = new ModelSpec { ForecastBlocks = TimeSpan.FromMinutes(5), ForecastInterval = TimeSpan.FromMinutes(5) } }),
        new NamedSpec(
            "equal bounds",
            ASpec.WithContainer(new() { Name = "app", Memory = new() { Lowerbound = Quantity.Parse("1Gi"), Upperbound = Quantity.Parse("1024Mi") } })),
    };

    [Theory]
    [MemberData(nameof(ValidSpecs))]
    public void Validate_ValidSpec_ReportsNothing(NamedSpec valid)
    {
        Assert.Empty(TargetValidator.Validate(valid.Spec));
    }

    [Fact]
    public void Validate_SeveralProblems_ReportsEveryOne()
    {
        var spec = new TargetSpec { Horizontal = new HorizontalSpec { MinReplicas = 0 } };

        var problems = TargetValidator.Validate(spec);

        Assert.Equal(
            [
                new("spec", SpecRules.ExactlyOneWorkload),
                new("spec.horizontal.mode", "is required: use " + TargetModes.AllowedText),
                new("spec.horizontal.minReplicas", "must be at least 1, not 0"),
            ],
            problems);
    }
}
