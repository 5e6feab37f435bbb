using Thoras.Domain.Audit;

namespace Thoras.Domain.Enrollment;

/// <summary>
/// Delivers the audit records an enrollment record holds in its <see cref="EnrolledTarget.Outbox"/> to the audit log,
/// then removes them from the record. Every record has a key, so a delivery repeated after a crash (or by two callers
/// at once) stores each record once: none is lost, none is duplicated.
/// </summary>
public sealed class EnrollmentOutbox(IEnrollmentStore store, IAuditLog audit)
{
    /// <summary>
    /// Delivers <paramref name="record"/>'s outbox; returns the record as saved afterwards (null when it is gone). An
    /// audit log that fails leaves the records in the outbox for the next delivery, and the failure propagates.
    /// </summary>
    public async Task<EnrolledTarget?> DeliverAsync(EnrolledTarget record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.Outbox.Count == 0)
            return record;
        foreach (var item in record.Outbox)
            await audit.AppendAsync(item, cancellationToken);

        var delivered = record.Outbox.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        return await store.UpdateAsync(
            record.Key,
            record.Uid,
            r => r.Outbox.Any(o => delivered.Contains(o.Key)) ? r with { Outbox = [.. r.Outbox.Where(o => !delivered.Contains(o.Key))] } : r,
            cancellationToken);
    }
}
