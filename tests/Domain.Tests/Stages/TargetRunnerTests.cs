using Microsoft.Extensions.Time.Testing;
using Thoras.Domain.Stages;
using Xunit;

namespace Thoras.Domain.Tests.Stages;

/// <summary>The runner every stage's per-target work goes through: parallelism, budgets, failures.</summary>
public sealed class TargetRunnerTests
{
    [Fact]
    public async Task RunAsync_ItemsFinishInAnyOrder_ResultsInTheItemsOrder()
    {
        var runner = new TargetRunner(4, TimeSpan.FromSeconds(20), TimeProvider.System);

        var results = await runner.RunAsync([3, 1, 2], async (n, token) =>
        {
            await Task.Delay(n * 20, token);
            return n * 10;
        }, (_, _, _) => Task.FromResult(-1), CancellationToken.None);

        Assert.Equal([30, 10, 20], results);
    }

    [Fact]
    public async Task RunAsync_OneThrows_ItsFailureResultWithTheMessageAndTheOthersRun()
    {
        var runner = new TargetRunner(2, TimeSpan.FromSeconds(20), TimeProvider.System);

        var results = await runner.RunAsync(["a", "bad", "c"], (s, _) => s == "bad"
            ? Task.FromException<string>(new InvalidOperationException("the API server answered 500"))
            : Task.FromResult(s), (s, error, _) => Task.FromResult($"{s}: {error}"), CancellationToken.None);

        Assert.Equal(["a", "bad: the API server answered 500", "c"], results);
    }

    [Fact]
    public async Task RunAsync_OneOverrunsItsBudget_FailsWithTheBudgetMessage()
    {
        var time = new FakeTimeProvider();
        var runner = new TargetRunner(2, TimeSpan.FromSeconds(20), time);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var running = runner.RunAsync(["slow"], async (s, token) =>
        {
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, token);
            return s;
        }, (_, error, _) => Task.FromResult(error), CancellationToken.None);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(20));
        var results = await running.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["it took longer than its time budget of 20 s"], results);
    }

    [Fact]
    public async Task RunAsync_ManyItems_NoMoreThanMaxParallelAtOnce()
    {
        var runner = new TargetRunner(2, TimeSpan.FromSeconds(20), TimeProvider.System);
        var (current, most, gate) = (0, 0, new object());

        await runner.RunAsync(Enumerable.Range(0, 8).ToList(), async (n, token) =>
        {
            lock (gate)
                most = Math.Max(most, ++current);
            await Task.Delay(20, token);
            lock (gate)
                current--;
            return n;
        }, (_, _, _) => Task.FromResult(-1), CancellationToken.None);

        Assert.Equal(2, most);
    }

    [Fact]
    public async Task RunAsync_PassCancelled_Propagates()
    {
        var runner = new TargetRunner(2, TimeSpan.FromSeconds(20), TimeProvider.System);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            runner.RunAsync([1], (n, token) => Task.FromResult(n), (_, _, _) => Task.FromResult(-1), new CancellationToken(canceled: true)));
    }
}
