using Thoras.Domain.Recommendation;
using Xunit;

namespace Thoras.Domain.Tests.Recommendation;

public sealed class ChangePolicyTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Raise step 10 %, lower step 10 %, lower after 15 minutes (three 5-minute ticks), budget 48 a day.</summary>
    private static readonly ChangeBehavior Behavior = new()
    {
        RaiseStep = ChangeStep.Percent(10),
        LowerStep = ChangeStep.Percent(10),
        LowerAfter = TimeSpan.FromMinutes(15),
        BudgetPerDay = 48,
    };

    public static TheoryData<string, double[], double[]> Sequences => new()
    {
        // Desired bounds every 5 minutes, and what is published.
        { "the first bound is taken as it is", [100], [100] },
        { "a needed raise is rounded up to the raise step", [100, 101], [100, 110] },
        { "a raise beyond the step is taken as it is", [100, 130], [100, 130] },
        { "within the lower step nothing changes", [100, 95, 91, 99], [100, 100, 100, 100] },
        { "a lower bound that lasts 15 minutes is taken, at the highest of the wait", [100, 80, 85, 70, 75], [100, 100, 100, 100, 85] },
        { "a bound back near the one in force restarts the wait", [100, 80, 95, 80, 80, 80], [100, 100, 100, 100, 100, 100] },
        { "a raise during the wait is taken at once and ends the wait", [100, 80, 120, 80], [100, 100, 120, 120] },
    };

    [Theory]
    [MemberData(nameof(Sequences))]
    public void Decide_Sequence_PublishesExpectedBounds(string because, double[] desired, double[] expected)
    {
        Assert.True(expected.SequenceEqual(Run(desired, Behavior)), because);
    }

    [Fact]
    public void Decide_AbsoluteRaiseStep_RaisesByAtLeastTheAmount()
    {
        var behavior = Behavior with { RaiseStep = ChangeStep.Absolute(0.25) };

        Assert.Equal([1.0, 1.25], Run([1.0, 1.01], behavior));
    }

    [Fact]
    public void Decide_AbsoluteLowerStep_KeepsWhileTheSavingIsSmaller()
    {
        var behavior = Behavior with { LowerStep = ChangeStep.Absolute(0.5), LowerAfter = TimeSpan.Zero };

        Assert.Equal([2.0, 2.0, 1.4], Run([2.0, 1.6, 1.4], behavior));
    }

    [Fact]
    public void Decide_BudgetSpent_LoweringWaitsForItToRefill()
    {
        // A budget of 2 a day: the first bound and one raise spend it; the lowering then waits for a token
        // (12 hours of refill), though it has lasted long enough.
        var behavior = Behavior with { BudgetPerDay = 2, LowerAfter = TimeSpan.Zero };
        var state = ChangeState.Initial(behavior);
        state = ChangePolicy.Decide(state, 100, T0, behavior).Next;
        state = ChangePolicy.Decide(state, 200, T0.AddMinutes(5), behavior).Next;

        var early = ChangePolicy.Decide(state, 50, T0.AddHours(6), behavior);
        var later = ChangePolicy.Decide(early.Next, 50, T0.AddHours(12).AddMinutes(5), behavior);

        Assert.Equal((200.0, 50.0), (early.Bound, later.Bound));
    }

    [Fact]
    public void Decide_BudgetSpent_RaiseStillTaken()
    {
        var behavior = Behavior with { BudgetPerDay = 1 };
        var state = ChangePolicy.Decide(ChangeState.Initial(behavior), 100, T0, behavior).Next;

        var raised = ChangePolicy.Decide(state, 150, T0.AddMinutes(5), behavior);

        Assert.Equal((150.0, true), (raised.Bound, raised.Changed));
    }

    [Fact]
    public void Decide_Keep_ReportsNoChange()
    {
        var state = ChangePolicy.Decide(ChangeState.Initial(Behavior), 100, T0, Behavior).Next;

        var kept = ChangePolicy.Decide(state, 98, T0.AddMinutes(5), Behavior);

        Assert.False(kept.Changed);
    }

    [Fact]
    public void Decide_NegativeDesired_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ChangePolicy.Decide(ChangeState.Initial(Behavior), -1, T0, Behavior));
    }

    [Theory]
    [InlineData(true, 10.0, 200.0, 20.0)]
    [InlineData(false, 0.3, 200.0, 0.3)]
    public void ChangeStep_Of_PercentOfTheBoundOrAbsolute(bool percent, double amount, double bound, double expected)
    {
        var step = percent ? ChangeStep.Percent(amount) : ChangeStep.Absolute(amount);

        Assert.Equal(expected, step.Of(bound), 12);
    }

    private static double[] Run(double[] desired, ChangeBehavior behavior)
    {
        var state = ChangeState.Initial(behavior);
        var published = new double[desired.Length];
        for (var i = 0; i < desired.Length; i++)
        {
            var decision = ChangePolicy.Decide(state, desired[i], T0.AddMinutes(5 * i), behavior);
            published[i] = decision.Bound;
            state = decision.Next;
        }

        return published;
    }
}
