using Thoras.Domain.Forecasting;

namespace Thoras.Cli.Bench;

/// <summary>
/// The app's forecaster state store with a count of the states it loaded and saved, so a tick's report can say how
/// many series were read and written whatever number of requests the store needed for them (it reads and writes a
/// target's states together: one table query and one transaction per target).
/// </summary>
public sealed class CountingModelStore(IModelStore inner) : IModelStore
{
    private int loaded;
    private int saved;

    /// <summary>States loaded so far (each series of a target read together counts once).</summary>
    public int Loaded => Volatile.Read(ref loaded);

    /// <summary>States saved so far.</summary>
    public int Saved => Volatile.Read(ref saved);

    public async Task SaveAsync(string targetUid, string resource, Stream state, CancellationToken cancellationToken)
    {
        await inner.SaveAsync(targetUid, resource, state, cancellationToken);
        Interlocked.Increment(ref saved);
    }

    public async Task<Stream?> LoadAsync(string targetUid, string resource, CancellationToken cancellationToken)
    {
        var state = await inner.LoadAsync(targetUid, resource, cancellationToken);
        if (state is not null)
            Interlocked.Increment(ref loaded);
        return state;
    }

    public async Task SaveAllAsync(string targetUid, IReadOnlyList<SeriesState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        await inner.SaveAllAsync(targetUid, states, cancellationToken);
        Interlocked.Add(ref saved, states.Count);
    }

    public async Task<IReadOnlyDictionary<string, byte[]>> LoadAllAsync(string targetUid, IReadOnlyCollection<string> resources, CancellationToken cancellationToken)
    {
        var states = await inner.LoadAllAsync(targetUid, resources, cancellationToken);
        Interlocked.Add(ref loaded, states.Count);
        return states;
    }

    public Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken) => inner.DeleteAllAsync(targetUid, cancellationToken);
}
