namespace Thoras.Domain.Fanout;

/// <summary>How the coordinators split work into queue messages. Bound from the <c>Fanout</c> section.</summary>
public sealed class FanoutOptions
{
    public const string SectionName = "Fanout";

    /// <summary>
    /// The most targets in one message (<c>Fanout__BatchSize</c>). Larger batches mean fewer executions and fewer
    /// namespace lists; smaller ones spread a tick over more instances and redo less after a failure. Default: 100.
    /// </summary>
    public int BatchSize { get; set; } = 100;

    /// <summary>
    /// How long one batch may run before its unfinished targets are given up until the next tick
    /// (<c>Fanout__BatchTimeBudget</c>). Kept below the 10 minutes a queue message stays invisible while the host holds
    /// it and below host.json's <c>functionTimeout</c>, so a message is never handed to a second worker while the first
    /// still works on it. Default: 4 minutes.
    /// </summary>
    public TimeSpan BatchTimeBudget { get; set; } = TimeSpan.FromMinutes(4);
}
