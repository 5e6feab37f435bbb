using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Audit;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Enrolled targets in Table Storage: partition = namespace, row = name (both DNS-1123, so valid keys).
/// Baselines are JSON columns; every replace is conditional on the ETag that was read.
/// </summary>
public sealed class EnrollmentTable(TableServiceClient service, StorageNames names) : IEnrollmentStore
{
    private readonly TableClient _table = service.GetTableClient(names.Table("Targets"));

    public async Task<EnrolledTarget?> GetAsync(TargetKey key, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(key.Namespace, key.Name, cancellationToken: cancellationToken);
            return response.HasValue ? ToRecord(response.Value!) : null;
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return null;
        }
    }

    public async Task<IReadOnlyList<EnrolledTarget>> ListAsync(CancellationToken cancellationToken)
    {
        var records = new List<EnrolledTarget>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(cancellationToken: cancellationToken))
            {
                records.Add(ToRecord(entity));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return records;
        }

        return records;
    }

    public async Task<EnrolledTarget> SaveAsync(EnrolledTarget target, CancellationToken cancellationToken)
    {
        var entity = ToEntity(target);
        try
        {
            var response = target.ETag is null
                ? await AddAsync(entity, cancellationToken)
                : await _table.UpdateEntityAsync(entity, new ETag(target.ETag), TableUpdateMode.Replace, cancellationToken);
            return target with { ETag = response.Headers.ETag?.ToString() };
        }
        catch (RequestFailedException ex) when (ex.Status is 409 or 412 || (ex.Status == 404 && target.ETag is not null))
        {
            throw new EnrollmentConflictException($"The record of {target.Key} changed since it was read; read it again.", ex);
        }
    }

    public async Task DeleteAsync(TargetKey key, string uid, CancellationToken cancellationToken)
    {
        var existing = await GetAsync(key, cancellationToken);
        if (existing is null || existing.Uid != uid)
        {
            return;
        }

        try
        {
            await _table.DeleteEntityAsync(key.Namespace, key.Name, new ETag(existing.ETag!), cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // Already gone: deleting is idempotent.
        }
        catch (RequestFailedException ex) when (ex.Status == 412)
        {
            throw new EnrollmentConflictException($"The record of {key} changed while it was being deleted; try again.", ex);
        }
    }

    private async Task<Response> AddAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            return await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            return await _table.AddEntityAsync(entity, cancellationToken);
        }
    }

    private static TableEntity ToEntity(EnrolledTarget t) => new(t.Key.Namespace, t.Key.Name)
    {
        ["Uid"] = t.Uid,
        ["EnrolledAt"] = t.EnrolledAt,
        ["VerticalMode"] = t.VerticalMode.ToWireName(),
        ["HorizontalMode"] = t.HorizontalMode.ToWireName(),
        ["Vertical"] = Json(t.Vertical),
        ["Horizontal"] = Json(t.Horizontal),
        ["Unenroll"] = Json(t.Unenroll),
        ["Pending"] = Json(t.Pending),
        ["Outbox"] = t.Outbox.Count == 0 ? null : JsonSerializer.Serialize(t.Outbox.Select(OutboxRow.Of).ToList(), TargetJson.Options),
    };

    private static EnrolledTarget ToRecord(TableEntity e) => new()
    {
        Key = new TargetKey(e.PartitionKey, e.RowKey),
        Uid = e.GetString("Uid") ?? string.Empty,
        EnrolledAt = e.GetDateTimeOffset("EnrolledAt") ?? DateTimeOffset.MinValue,
        VerticalMode = TargetModes.Parse(e.GetString("VerticalMode") ?? "recommendation"),
        HorizontalMode = TargetModes.Parse(e.GetString("HorizontalMode") ?? "recommendation"),
        Vertical = FromJson<VerticalBaseline>(e.GetString("Vertical")),
        Horizontal = FromJson<HorizontalBaseline>(e.GetString("Horizontal")),
        Unenroll = FromJson<UnenrollProgress>(e.GetString("Unenroll")),
        Pending = FromJson<PendingModeChange>(e.GetString("Pending")),
        Outbox = FromJson<List<OutboxRow>>(e.GetString("Outbox"))?.Select(o => o.ToRecord()).ToList() ?? [],
        ETag = e.ETag.ToString(),
    };

    /// <summary>An audit record as the outbox column stores it (with its key, which the record's JSON form leaves out).</summary>
    private sealed record OutboxRow(DateTimeOffset At, string Actor, string Action, string Subject, string? Reason, string? Previous, string? Current, string? TargetUid, string? Key)
    {
        public static OutboxRow Of(AuditRecord r) => new(r.At, r.Actor, r.Action, r.Subject, r.Reason, r.Previous, r.Current, r.TargetUid, r.Key);

        public AuditRecord ToRecord() => new(At, Actor, Action, Subject, Reason, Previous, Current, TargetUid) { Key = Key };
    }

    private static string? Json<T>(T? value) where T : class =>
        value is null ? null : JsonSerializer.Serialize(value, TargetJson.Options);

    private static T? FromJson<T>(string? json) where T : class =>
        string.IsNullOrEmpty(json) ? null : JsonSerializer.Deserialize<T>(json, TargetJson.Options);
}
