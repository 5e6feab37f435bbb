namespace Thoras.Domain.Audit;

/// <summary>The append-only audit log. Records are never updated or deleted by the app, except by retention.</summary>
/// <example>
/// <code>
/// await audit.AppendAsync(new AuditRecord(now, "manual", "pause", "system", "deploy freeze", "running", "paused"), ct);
/// var recent = await audit.ListAsync(new AuditQuery { Subject = "system", Limit = 20 }, ct);
/// </code>
/// </example>
public interface IAuditLog
{
    /// <summary>Appends a record and returns it with its assigned <see cref="AuditRecord.Id"/>.</summary>
    Task<AuditRecord> AppendAsync(AuditRecord record, CancellationToken cancellationToken);

    /// <summary>
    /// Appends every record of <paramref name="records"/>, in as few writes as the store allows (one transaction per
    /// partition and 100 records), and returns them with their ids, in order. A batch is written whole or not at all.
    /// </summary>
    Task<IReadOnlyList<AuditRecord>> AppendAllAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken);

    /// <summary>Lists records newest first, filtered by <paramref name="query"/>.</summary>
    Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>A filter over the audit log. Every property is optional.</summary>
public sealed record AuditQuery
{
    /// <summary>Only records at or after this time. Default: 31 days before <see cref="Until"/>.</summary>
    public DateTimeOffset? Since { get; init; }

    /// <summary>Only records before this time. Default: now.</summary>
    public DateTimeOffset? Until { get; init; }

    /// <summary>Only records about this subject (<c>system</c> or <c>namespace/name</c>).</summary>
    public string? Subject { get; init; }

    /// <summary>Only records about the target with this UID.</summary>
    public string? TargetUid { get; init; }

    /// <summary>At most this many records (1–1000). Default: 100.</summary>
    public int Limit { get; init; } = 100;
}
