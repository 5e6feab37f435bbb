using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Audit;
using Thoras.Domain.Pause;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Pause state and maintenance windows in one partition of the <c>System</c> table, with a transactional outbox
/// for their audit records.
/// <para>
/// Why one partition: Table Storage transactions span one partition only, and the audit log lives in another
/// table. Every change is therefore committed as one entity-group transaction that writes the state (or window)
/// row and one <c>outbox-*</c> row per audit record, so a change cannot be stored without its record or the
/// other way round. The state row is replaced with its ETag, so a concurrent writer makes the transaction fail
/// with 412 and the change is recomputed on the newer state (bounded retries with jittered backoff).
/// After the commit, the writer copies its outbox rows to <see cref="IAuditLog"/> and deletes them; rows a crash
/// left behind are copied by <see cref="DrainOutboxAsync"/> from the sync timer. Each outbox row carries its audit
/// record's key (<see cref="AuditRecord.Key"/>), so a crash between the copy and the delete, or two deliveries at
/// once, store the record once: none is lost, none is duplicated.
/// </para>
/// </summary>
public sealed class SystemStateTable : IPauseStore, IMaintenanceWindowStore
{
    /// <summary>How many times a change is recomputed after losing to a concurrent writer.</summary>
    public const int MaxAttempts = 40;

    private const string Partition = "pause";
    private const string StateRow = "state";
    private const string WindowPrefix = "window-";
    private const string OutboxPrefix = "outbox-";

    // '.' sorts right after '-', so [prefix, prefix with '.') is exactly the rows starting with the prefix.
    private static readonly string WindowFilter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {WindowPrefix} and RowKey lt {"window."}");
    private static readonly string OutboxFilter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and RowKey ge {OutboxPrefix} and RowKey lt {"outbox."}");
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly TableClient _table;
    private readonly IAuditLog _audit;
    private readonly TimeProvider _time;

    public SystemStateTable(TableServiceClient service, StorageNames names, IAuditLog audit, TimeProvider time)
    {
        _table = service.GetTableClient(names.Table("System"));
        _audit = audit;
        _time = time;
    }

    /// <summary>Creates the table if it does not exist. Safe to call more than once.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) => _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<PauseState> ReadAsync(CancellationToken cancellationToken) =>
        (await ReadStateAsync(cancellationToken)).State;

    public async Task<PauseTransition> UpdateAsync(Func<PauseState, PauseTransition> decide, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decide);
        for (var attempt = 1; attempt <= MaxAttempts; attempt++)
        {
            var (state, etag) = await ReadStateAsync(cancellationToken);
            var transition = decide(state);
            if (!transition.Changed)
            {
                return transition;
            }

            var stateEntity = ToEntity(transition.After);
            var outbox = transition.Records.Select(ToOutboxEntity).ToList();
            List<TableTransactionAction> actions =
            [
                etag is { } e
                    ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, stateEntity, e)
                    : new TableTransactionAction(TableTransactionActionType.Add, stateEntity),
                .. outbox.Select(o => new TableTransactionAction(TableTransactionActionType.Add, o)),
            ];

            try
            {
                await SubmitAsync(actions, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412)
            {
                // Another writer changed the state (412) or created it first (409): decide again on the newer state.
                await Task.Delay(Backoff(attempt), cancellationToken);
                continue;
            }

            await DeliverAsync(outbox, cancellationToken);
            return transition;
        }

        throw new PauseStoreBusyException();
    }

    public async Task<IReadOnlyList<MaintenanceWindow>> ListAsync(CancellationToken cancellationToken)
    {
        var windows = new List<MaintenanceWindow>();
        try
        {
            await foreach (var e in _table.QueryAsync<TableEntity>(WindowFilter, cancellationToken: cancellationToken))
            {
                windows.Add(ToWindow(e));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        return windows;
    }

    public async Task<bool> AddAsync(MaintenanceWindow window, AuditRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        var outbox = ToOutboxEntity(record);
        try
        {
            await SubmitAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Add, ToEntity(window)),
                    new TableTransactionAction(TableTransactionActionType.Add, outbox),
                ],
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            return false;
        }

        await DeliverAsync([outbox], cancellationToken);
        return true;
    }

    public async Task<bool> DeleteAsync(string id, AuditRecord record, CancellationToken cancellationToken)
    {
        var outbox = ToOutboxEntity(record);
        try
        {
            await SubmitAsync(
                [
                    new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(Partition, WindowPrefix + id), ETag.All),
                    new TableTransactionAction(TableTransactionActionType.Add, outbox),
                ],
                cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return false;
        }

        await DeliverAsync([outbox], cancellationToken);
        return true;
    }

    /// <summary>
    /// Copies outbox rows older than <paramref name="minimumAge"/> to the audit log and deletes them: the records
    /// of writers that crashed (or whose audit append failed) after committing. Younger rows are left to the
    /// writer still delivering them. Returns how many were delivered.
    /// </summary>
    public async Task<int> DrainOutboxAsync(TimeSpan minimumAge, CancellationToken cancellationToken)
    {
        var cutoff = _time.GetUtcNow() - minimumAge;
        var stale = new List<TableEntity>();
        try
        {
            await foreach (var e in _table.QueryAsync<TableEntity>(OutboxFilter, cancellationToken: cancellationToken))
            {
                if (e.GetDateTimeOffset("Committed") is not { } committed || committed <= cutoff)
                {
                    stale.Add(e);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }

        await DeliverAsync(stale, cancellationToken);
        return stale.Count;
    }

    private async Task DeliverAsync(IReadOnlyList<TableEntity> outbox, CancellationToken cancellationToken)
    {
        foreach (var row in outbox)
        {
            try
            {
                await _audit.AppendAsync(ToRecord(row), cancellationToken);
                await _table.DeleteEntityAsync(row.PartitionKey, row.RowKey, ETag.All, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The change is committed and its record is safe in the outbox; the sync timer delivers it.
                return;
            }
        }
    }

    private async Task SubmitAsync(IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken)
    {
        try
        {
            await _table.SubmitTransactionAsync(actions, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == "TableNotFound")
        {
            await EnsureCreatedAsync(cancellationToken);
            await _table.SubmitTransactionAsync(actions, cancellationToken);
        }
    }

    private async Task<(PauseState State, ETag? ETag)> ReadStateAsync(CancellationToken cancellationToken)
    {
        try
        {
            var response = await _table.GetEntityIfExistsAsync<TableEntity>(Partition, StateRow, cancellationToken: cancellationToken);
            return response.HasValue && response.Value is { } e ? (ToState(e), e.ETag) : (PauseState.Running, null);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return (PauseState.Running, null);
        }
    }

    private static TimeSpan Backoff(int attempt) =>
        TimeSpan.FromMilliseconds(Random.Shared.Next(1, (int)Math.Min(250, 10 * Math.Pow(2, Math.Min(attempt, 8)))));

    private TableEntity ToOutboxEntity(AuditRecord record)
    {
        var at = record.At.ToUniversalTime();
        var rowKey = OutboxPrefix + at.UtcTicks.ToString("D19", CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N");
        return new TableEntity(Partition, rowKey)
        {
            ["Committed"] = _time.GetUtcNow(),
            ["At"] = at,
            ["Actor"] = record.Actor,
            ["Action"] = record.Action,
            ["Subject"] = record.Subject,
            ["Reason"] = record.Reason,
            ["Previous"] = record.Previous,
            ["Current"] = record.Current,
            ["TargetUid"] = record.TargetUid,
        };
    }

    private static AuditRecord ToRecord(TableEntity e) =>
        new(
            e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
            e.GetString("Actor"),
            e.GetString("Action"),
            e.GetString("Subject"),
            e.GetString("Reason"),
            e.GetString("Previous"),
            e.GetString("Current"),
            e.GetString("TargetUid"))
        {
            Key = e.RowKey,
        };

    private static TableEntity ToEntity(PauseState state) =>
        new(Partition, StateRow)
        {
            ["Holders"] = JsonSerializer.Serialize(state.Holders.Values.Select(h => new HolderRow(h.Id, h.Actor, h.Reason, h.Since)), Json),
            ["SkippedWindows"] = JsonSerializer.Serialize(state.SkippedWindows, Json),
            ["Revision"] = state.Revision,
            ["ChangedBy"] = state.ChangedBy,
            ["ChangedAt"] = state.ChangedAt,
            ["ChangeReason"] = state.ChangeReason,
        };

    private static PauseState ToState(TableEntity e)
    {
        var holders = JsonSerializer.Deserialize<List<HolderRow>>(e.GetString("Holders") ?? "[]", Json) ?? [];
        var skipped = JsonSerializer.Deserialize<Dictionary<string, DateTimeOffset>>(e.GetString("SkippedWindows") ?? "{}", Json) ?? [];
        return PauseState.Running with
        {
            Holders = PauseState.Running.Holders.AddRange(holders.Select(h => KeyValuePair.Create(h.Id, new PauseHolder(h.Id, h.Actor, h.Reason, h.Since)))),
            SkippedWindows = PauseState.Running.SkippedWindows.AddRange(skipped),
            Revision = e.GetInt64("Revision") ?? 0,
            ChangedBy = e.GetString("ChangedBy"),
            ChangedAt = e.GetDateTimeOffset("ChangedAt"),
            ChangeReason = e.GetString("ChangeReason"),
        };
    }

    private static TableEntity ToEntity(MaintenanceWindow w) =>
        new(Partition, WindowPrefix + w.Id)
        {
            ["Cron"] = w.Cron,
            ["DurationSeconds"] = (long)w.Duration.TotalSeconds,
            ["TimeZone"] = w.TimeZone,
            ["Reason"] = w.Reason,
            ["Enabled"] = w.Enabled,
            ["CreatedBy"] = w.CreatedBy,
            ["CreatedAt"] = w.CreatedAt,
        };

    private static MaintenanceWindow ToWindow(TableEntity e) =>
        MaintenanceWindow.Define(
            e.RowKey[WindowPrefix.Length..],
            e.GetString("Cron"),
            TimeSpan.FromSeconds(e.GetInt64("DurationSeconds") ?? 0),
            e.GetString("TimeZone"),
            e.GetString("Reason"),
            e.GetBoolean("Enabled") ?? false,
            e.GetString("CreatedBy"),
            e.GetDateTimeOffset("CreatedAt") ?? DateTimeOffset.MinValue);

    private sealed record HolderRow(string Id, string Actor, string? Reason, DateTimeOffset Since);
}
