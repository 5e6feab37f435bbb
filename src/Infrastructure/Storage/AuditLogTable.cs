using System.Globalization;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Audit;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// The audit log in Table Storage. One partition per UTC month keeps partitions bounded; row keys are
/// inverted ticks so a partition reads newest first, followed by a random suffix so two records
/// in the same tick never collide, or by the record's <see cref="AuditRecord.Key"/>, so a keyed record appended
/// twice is stored once. Records are only ever added, never upserted.
/// </summary>
public sealed partial class AuditLogTable : IAuditLog
{
    private const int MaxLimit = 1000;
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(31);

    private readonly TableClient _table;
    private readonly TimeProvider _time;

    public AuditLogTable(TableServiceClient service, StorageNames names, TimeProvider time)
    {
        _table = service.GetTableClient(names.AuditTable);
        _time = time;
    }

    /// <summary>Creates the table if it does not exist. Safe to call more than once.</summary>
    public Task EnsureCreatedAsync(CancellationToken cancellationToken) =>
        _table.CreateIfNotExistsAsync(cancellationToken);

    public async Task<AuditRecord> AppendAsync(AuditRecord record, CancellationToken cancellationToken)
    {
        var (stored, entity) = ToEntity(record);
        if (record.Key is null)
        {
            await AddAsync(entity, cancellationToken);
        }
        else
        {
            await AddOnceAsync(entity, cancellationToken);
        }

        return stored;
    }

    private async Task AddOnceAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await AddAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409)
        {
            // Stored before under the same row key: a keyed record is stored once; a random key never collides.
        }
    }

    private async Task AddAsync(TableEntity entity, CancellationToken cancellationToken)
    {
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await EnsureCreatedAsync(cancellationToken);
            await _table.AddEntityAsync(entity, cancellationToken);
        }
    }

    private static string CheckedKey(string key) =>
        KeyPattern().IsMatch(key)
            ? key
            : throw new ArgumentException("An audit key is 1-200 ASCII letters, digits, dashes or dots.", nameof(key));

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken) =>
        await QueryAsync(query, take: CheckedLimit(query), cancellationToken);

    public async Task<IReadOnlyList<AuditRecord>> AppendAllAsync(IReadOnlyList<AuditRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Select(ToEntity).ToList();
        foreach (var chunk in rows.GroupBy(r => r.Entity.PartitionKey).SelectMany(p => p.Chunk(TableRows.MaxBatch)))
        {
            var actions = chunk.Select(r => new TableTransactionAction(TableTransactionActionType.Add, r.Entity)).ToList();
            try
            {
                await _table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                await EnsureCreatedAsync(cancellationToken);
                await _table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && chunk.Any(r => r.Record.Key is not null))
            {
                // A keyed record of the batch was stored before (a repeated delivery) and the batch failed whole:
                // add them one by one, so the stored one is kept once and the others still land.
                foreach (var (_, entity) in chunk)
                {
                    await AddOnceAsync(entity, cancellationToken);
                }
            }
        }

        return [.. rows.Select(r => r.Record)];
    }

    public async Task<AuditPage> ReadPageAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        // One record more than the page tells whether another page follows without a second round trip.
        var limit = CheckedLimit(query);
        var records = await QueryAsync(query, take: limit + 1, cancellationToken);
        return records.Count > limit ? new AuditPage(records[..limit], HasMore: true) : new AuditPage(records, HasMore: false);
    }

    private async Task<List<AuditRecord>> QueryAsync(AuditQuery query, int take, CancellationToken cancellationToken)
    {
        var until = (query.Until ?? _time.GetUtcNow()).ToUniversalTime();
        var since = (query.Since ?? until - DefaultWindow).ToUniversalTime();
        if (since > until)
        {
            throw new ArgumentException("Since must not be later than Until.", nameof(query));
        }

        var after = query.After is null ? null : ParseId(query.After);
        var first = after is { } a && a.Month < MonthStart(until) ? a.Month : MonthStart(until);
        var results = new List<AuditRecord>();
        for (var month = first; month >= MonthStart(since) && results.Count < take; month = month.AddMonths(-1))
        {
            var filter = BuildFilter(PartitionKey(month), since, until, query, after is { } k && k.Month == month ? k.RowKey : null);
            try
            {
                await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: take, cancellationToken: cancellationToken))
                {
                    results.Add(ToRecord(entity));
                    if (results.Count == take)
                    {
                        break;
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return results;
            }
        }

        return results;
    }

    private static int CheckedLimit(AuditQuery query) =>
        query.Limit is < 1 or > MaxLimit
            ? throw new ArgumentOutOfRangeException(nameof(query), $"Limit must be between 1 and {MaxLimit}.")
            : query.Limit;

    /// <summary>
    /// The record as stored (UTC time, its id) and its entity: partition by month, row by inverted ticks and a random
    /// suffix, or the record's key, so a keyed record appended again meets itself (409) instead of adding a copy.
    /// </summary>
    private static (AuditRecord Record, TableEntity Entity) ToEntity(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Subject);

        var at = record.At.ToUniversalTime();
        var rowKey = InvertedTicks(at) + "-" + (record.Key is { } key ? CheckedKey(key) : Guid.NewGuid().ToString("N"));
        var stored = record with { At = at, Id = PartitionKey(at) + "/" + rowKey };
        return (stored, new TableEntity(PartitionKey(at), rowKey)
        {
            ["At"] = at,
            ["Actor"] = stored.Actor,
            ["Action"] = stored.Action,
            ["Subject"] = stored.Subject,
            ["Reason"] = stored.Reason,
            ["Previous"] = stored.Previous,
            ["Current"] = stored.Current,
            ["TargetUid"] = stored.TargetUid,
        });
    }

    private static string BuildFilter(string partition, DateTimeOffset since, DateTimeOffset until, AuditQuery query, string? afterRowKey)
    {
        // Row keys are inverted ticks plus "-suffix", so [since, until) maps to row keys after every key of
        // inverted(until) and up to every key of inverted(since); "~" sorts after "-".
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {InvertedTicks(until) + "~"} and RowKey lt {InvertedTicks(since) + "~"}");
        if (afterRowKey is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"RowKey gt {afterRowKey}");
        }

        if (query.Subject is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Subject eq {query.Subject}");
        }

        if (query.TargetUid is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"TargetUid eq {query.TargetUid}");
        }

        if (query.Actor is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Actor eq {query.Actor}");
        }

        if (query.Action is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Action eq {query.Action}");
        }

        return filter;
    }

    /// <summary>Reads an id this table assigned (<c>yyyyMM/inverted-ticks-suffix</c>); anything else is refused.</summary>
    private static (DateTimeOffset Month, string RowKey)? ParseId(string id)
    {
        var slash = id.IndexOf('/', StringComparison.Ordinal);
        var rowKey = slash < 0 ? string.Empty : id[(slash + 1)..];
        if (slash != 6 || !RowKeyPattern().IsMatch(rowKey)
            || !DateTimeOffset.TryParseExact(id[..6], "yyyyMM", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var month))
        {
            throw new FormatException($"'{id}' is not an audit record id.");
        }

        return (MonthStart(month), rowKey);
    }

    private static AuditRecord ToRecord(TableEntity e) =>
        new(
            e.GetDateTimeOffset("At") ?? DateTimeOffset.MinValue,
            e.GetString("Actor") ?? string.Empty,
            e.GetString("Action") ?? string.Empty,
            e.GetString("Subject") ?? string.Empty,
            e.GetString("Reason"),
            e.GetString("Previous"),
            e.GetString("Current"),
            e.GetString("TargetUid"))
        {
            Id = e.PartitionKey + "/" + e.RowKey,
        };

    private static DateTimeOffset MonthStart(DateTimeOffset at) => new(at.Year, at.Month, 1, 0, 0, 0, TimeSpan.Zero);

    private static string PartitionKey(DateTimeOffset at) => at.ToString("yyyyMM", CultureInfo.InvariantCulture);

    private static string InvertedTicks(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);

    // A random suffix is 32 hex digits, a record's key 1-200 ASCII letters, digits, dashes or dots.
    [GeneratedRegex(@"\A[0-9]{19}-[A-Za-z0-9.-]{1,200}\z")]
    private static partial Regex RowKeyPattern();

    [GeneratedRegex(@"\A[A-Za-z0-9.-]{1,200}\z")]
    private static partial Regex KeyPattern();
}
