namespace Thoras.Domain.Audit;

/// <summary>The append-only audit log. Records are never updated or deleted by the app, except by retention.</summary>
/// <example>
/// <code>
/// await audit.AppendAsync(new AuditRecord(now, "manual", "pause", "system", "deploy freeze", "running", "paused"), ct);
/// var recent = await audit.ListAsync(new AuditQuery { Subject = "system", Limit = 20 }, ct);
/// var page = await audit.ReadPageAsync(new AuditQuery { Actor = "alice", Limit = 50 }, ct);
/// var next = await audit.ReadPageAsync(new AuditQuery { Actor = "alice", Limit = 50, After = page.Records[^1].Id }, ct);
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

    /// <summary>
    /// Reads one page of records newest first, and whether older matching records follow it: read the next page
    /// with the same query and <see cref="AuditQuery.After"/> set to the last record's <see cref="AuditRecord.Id"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The limit or the time range is invalid.</exception>
    /// <exception cref="FormatException"><see cref="AuditQuery.After"/> is not an id this log assigned.</exception>
    Task<AuditPage> ReadPageAsync(AuditQuery query, CancellationToken cancellationToken);
}

/// <summary>One page of the audit log, newest first.</summary>
/// <param name="Records">At most the query's limit of records.</param>
/// <param name="HasMore">Whether older records match the query after the last one.</param>
public sealed record AuditPage(IReadOnlyList<AuditRecord> Records, bool HasMore);

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

    /// <summary>Only records made by this actor (exact match, such as <c>manual</c>, <c>window:nightly</c> or a user name).</summary>
    public string? Actor { get; init; }

    /// <summary>Only records of this action (exact match, such as <c>pause</c> or <c>apply-vertical</c>).</summary>
    public string? Action { get; init; }

    /// <summary>
    /// Only records older than the record with this <see cref="AuditRecord.Id"/>: pass the last record of one
    /// page to read the next (keyset paging, so records added meanwhile never shift a page).
    /// </summary>
    public string? After { get; init; }

    /// <summary>At most this many records (1–1000). Default: 100.</summary>
    public int Limit { get; init; } = 100;
}
