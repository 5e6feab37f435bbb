namespace Thoras.Domain.Pause;

/// <summary>Durable pause state with optimistic concurrency.</summary>
/// <example>
/// <code>
/// var t = await store.UpdateAsync(s => s.Pause("alice", "deploy freeze", now), ct);
/// if (t.Changed) { /* t.After.Revision == t.Before.Revision + 1 */ }
/// </code>
/// </example>
public interface IPauseStore
{
    /// <summary>Reads the current state; <see cref="PauseState.Running"/> when none was ever stored. Throws when it cannot be read.</summary>
    Task<PauseState> ReadAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="decide"/> to the current state and, when it changed something, stores the new
    /// state together with its audit records so that neither can be lost without the other. When another
    /// writer got there first, <paramref name="decide"/> runs again on the newer state (a bounded number of times).
    /// </summary>
    /// <exception cref="PauseStoreBusyException">Every attempt lost to a concurrent writer.</exception>
    Task<PauseTransition> UpdateAsync(Func<PauseState, PauseTransition> decide, CancellationToken cancellationToken);
}

/// <summary>A state change lost to concurrent writers on every attempt and was not made; the caller may retry.</summary>
public sealed class PauseStoreBusyException : Exception
{
    public PauseStoreBusyException()
        : base("The pause state is being changed by many callers at once; nothing was changed. Retry shortly.")
    {
    }

    public PauseStoreBusyException(string message)
        : base(message)
    {
    }

    public PauseStoreBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
