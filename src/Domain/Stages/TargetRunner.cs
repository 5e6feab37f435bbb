using System.Globalization;

namespace Thoras.Domain.Stages;

/// <summary>
/// Runs a stage's per-target work the same way for every stage: at most <c>maxParallel</c> targets at once, each
/// within a time budget of its own, and a target that throws or overruns turned into a result of its own, so one slow
/// or failing target never holds up or fails the others. Only the pass's own cancellation propagates.
/// </summary>
/// <example>
/// <code>
/// var runner = new TargetRunner(options.MaxParallelTargets, options.TargetTimeBudget, time);
/// var results = await runner.RunAsync(targets, (t, ct) => ApplyAsync(t, ct), (t, error, ct) => FailedAsync(t, error, ct), ct);
/// </code>
/// </example>
public sealed class TargetRunner
{
    private readonly int maxParallel;
    private readonly TimeProvider time;

    /// <summary>A runner of at most <paramref name="maxParallel"/> targets at once, each within <paramref name="budget"/> measured on <paramref name="time"/>.</summary>
    public TargetRunner(int maxParallel, TimeSpan budget, TimeProvider time)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(budget, TimeSpan.Zero);
        this.maxParallel = Math.Max(1, maxParallel);
        Budget = budget;
        this.time = time ?? throw new ArgumentNullException(nameof(time));
    }

    /// <summary>The time each target may take.</summary>
    public TimeSpan Budget { get; }

    /// <summary>What a target that overran its budget is told.</summary>
    public string OverBudgetMessage => string.Create(CultureInfo.InvariantCulture, $"it took longer than its time budget of {Budget.TotalSeconds:0.#} s");

    /// <summary>
    /// Runs <paramref name="work"/> for every item and returns the results in the items' order. When an item throws or
    /// overruns its budget, <paramref name="failed"/> gets the error in a sentence (and the pass's token) and gives its
    /// result instead.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> RunAsync<TItem, TResult>(
        IReadOnlyList<TItem> items,
        Func<TItem, CancellationToken, Task<TResult>> work,
        Func<TItem, string, CancellationToken, Task<TResult>> failed,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(work);
        ArgumentNullException.ThrowIfNull(failed);
        var results = new TResult[items.Count];
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = maxParallel, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, items.Count), parallel, async (index, token) =>
            results[index] = await RunOneAsync(items[index], work, failed, token));
        return results;
    }

    /// <summary>Runs <paramref name="work"/> within the budget; the error in a sentence when it throws or overruns.</summary>
    public async Task<(T? Result, string? Error)> WithinBudgetAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var budget = new CancellationTokenSource(Budget, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, budget.Token);
        try
        {
            return (await work(linked.Token), null);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, budget.IsCancellationRequested ? OverBudgetMessage : ex.Message);
        }
    }

    private async Task<TResult> RunOneAsync<TItem, TResult>(
        TItem item, Func<TItem, CancellationToken, Task<TResult>> work, Func<TItem, string, CancellationToken, Task<TResult>> failed, CancellationToken cancellationToken)
    {
        var (result, error) = await WithinBudgetAsync(token => work(item, token), cancellationToken);
        return error is null ? result! : await failed(item, error, cancellationToken);
    }
}
