using Thoras.Functions.Http;
using Xunit;

namespace Thoras.Functions.Tests.Http;

/// <summary>Runs a function call that must be refused, and gives the problem the app answers for it (through <see cref="ProblemMap"/>, as the middleware does).</summary>
public static class ProblemAssert
{
    public static async Task<Problem> ThrowsAsync(Func<Task> call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var thrown = await Record.ExceptionAsync(call);
        Assert.NotNull(thrown);
        return ProblemMap.Of(thrown) ?? throw new Xunit.Sdk.XunitException($"Expected a refusal, got an unexpected failure: {thrown}");
    }
}
