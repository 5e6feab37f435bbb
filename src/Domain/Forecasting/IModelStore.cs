namespace Thoras.Domain.Forecasting;

/// <summary>
/// Durable storage of forecaster state (<see cref="UsageForecaster.SaveState"/>), one per target and resource. A state
/// is saved after every forecast, but only its leading model section (<see cref="UsageForecaster.ModelSectionLength"/>)
/// is large, and it changes only when the model is retrained: a store may keep the two sections apart and rewrite the
/// model only when it changed. Loading returns the state exactly as it was last saved.
/// </summary>
/// <example>
/// <code>
/// using var buffer = new MemoryStream(); forecaster.SaveState(buffer); buffer.Position = 0;
/// await store.SaveAsync(target.Uid, "cpu", buffer, ct);
/// await using var state = await store.LoadAsync(target.Uid, "cpu", ct);   // null when none is stored
/// </code>
/// </example>
public interface IModelStore
{
    /// <summary>Stores (replaces) the state of <paramref name="resource"/> of the target <paramref name="targetUid"/>.</summary>
    Task SaveAsync(string targetUid, string resource, Stream state, CancellationToken cancellationToken);

    /// <summary>Opens the stored state, or returns null when there is none.</summary>
    Task<Stream?> LoadAsync(string targetUid, string resource, CancellationToken cancellationToken);

    /// <summary>
    /// Stores the states of several resources of the target <paramref name="targetUid"/> together, as a forecast of the
    /// target leaves them: a store keeps them in one write where it can (one table transaction).
    /// </summary>
    Task SaveAllAsync(string targetUid, IReadOnlyList<SeriesState> states, CancellationToken cancellationToken);

    /// <summary>
    /// The stored states of <paramref name="resources"/> of the target <paramref name="targetUid"/>, read together
    /// where the store can (one table query); a resource with no stored state is left out.
    /// </summary>
    Task<IReadOnlyDictionary<string, byte[]>> LoadAllAsync(string targetUid, IReadOnlyCollection<string> resources, CancellationToken cancellationToken);

    /// <summary>Deletes every state of the target (on unenrolment).</summary>
    Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken);
}

/// <summary>The forecaster state of one resource (series) of a target, as <see cref="UsageForecaster.SaveState"/> wrote it.</summary>
/// <param name="Resource">The series, such as <c>container:app:cpu</c>.</param>
/// <param name="State">The saved state.</param>
public sealed record SeriesState(string Resource, byte[] State);
