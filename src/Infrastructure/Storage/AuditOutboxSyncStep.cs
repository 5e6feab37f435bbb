using Thoras.Domain.Sync;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Sync step: delivers audit records a crashed writer left in the <see cref="SystemStateTable"/> outbox.
/// Only rows older than two minutes are taken, so it never races a writer still delivering its own.
/// </summary>
public sealed class AuditOutboxSyncStep(SystemStateTable table) : ISyncStep
{
    private static readonly TimeSpan MinimumAge = TimeSpan.FromMinutes(2);

    public string Name => "audit-outbox";

    public async Task<string> RunAsync(CancellationToken cancellationToken)
    {
        var delivered = await table.DrainOutboxAsync(MinimumAge, cancellationToken);
        return delivered == 0 ? "outbox empty" : $"delivered {delivered} left-over audit record(s)";
    }
}
