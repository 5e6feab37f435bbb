using Thoras.Domain.Audit;

namespace Thoras.Functions.Audit;

/// <summary>The body of <c>GET /api/audit</c>: one page of records, newest first.</summary>
/// <param name="Records">The records of this page, newest first.</param>
/// <param name="Continue">
/// Pass as <c>?continue=</c> with the same filters to read the next, older page; null on the last page.
/// </param>
public sealed record AuditList(IReadOnlyList<AuditRecord> Records, string? Continue);
