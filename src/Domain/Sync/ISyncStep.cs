namespace Thoras.Domain.Sync;

/// <summary>
/// One named step of the sync timer (pause mirror, maintenance windows, mode mirror, finalizer cleanup, ...).
/// Steps run in registration order, each isolated: one failing does not stop the others.
/// </summary>
/// <example>
/// <code>
/// services.AddSingleton&lt;ISyncStep, ModeMirrorSyncStep&gt;();
/// </code>
/// </example>
public interface ISyncStep
{
    /// <summary>A short stable name for logs, e.g. <c>pause-mirror</c>.</summary>
    string Name { get; }

    /// <summary>Runs the step once and returns a one-line summary of what it did.</summary>
    Task<string> RunAsync(CancellationToken cancellationToken);
}
