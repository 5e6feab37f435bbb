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

    /// <summary>Deletes every state of the target (on unenrolment).</summary>
    Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken);
}
