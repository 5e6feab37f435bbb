using System.Globalization;
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
public sealed class AuditLogTable : IAuditLog
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
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Action);
        ArgumentException.ThrowIfNullOrWhiteSpace(record.Subject);

        var at = record.At.ToUniversalTime();
        // A keyed record has a row key of its own: appending it again meets it (409) instead of adding a copy.
        var rowKey = InvertedTicks(at) + "-" + (record.Key is { } key ? CheckedKey(key) : Guid.NewGuid().ToString("N"));
        var stored = record with { At = at, Id = PartitionKey(at) + "/" + rowKey };
        var entity = new TableEntity(PartitionKey(at), rowKey)
        {
            ["At"] = at,
            ["Actor"] = stored.Actor,
            ["Action"] = stored.Action,
            ["Subject"] = stored.Subject,
            ["Reason"] = stored.Reason,
            ["Previous"] = stored.Previous,
            ["Current"] = stored.Current,
            ["TargetUid"] = stored.TargetUid,
        };

        try
        {
            await AddAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 409 && record.Key is not null)
        {
            // Appended before (a repeated delivery): stored once.
        }

        return stored;
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
        key.Length is > 0 and <= 200 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.')
            ? key
            : throw new ArgumentException("An audit key is 1-200 ASCII letters, digits, dashes or dots.", nameof(key));

    public async Task<IReadOnlyList<AuditRecord>> ListAsync(AuditQuery query, CancellationToken cancellationToken)
    {
        if (query.Limit is < 1 or > MaxLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(query), $"Limit must be between 1 and {MaxLimit}.");
        }

        var until = (query.Until ?? _time.GetUtcNow()).ToUniversalTime();
        var since = (query.Since ?? until - DefaultWindow).ToUniversalTime();
        if (since > until)
        {
            throw new ArgumentException("Since must not be later than Until.", nameof(query));
        }

        var results = new List<AuditRecord>();
        for (var month = MonthStart(until); month >= MonthStart(since) && results.Count < query.Limit; month = month.AddMonths(-1))
        {
            var filter = BuildFilter(PartitionKey(month), since, until, query);
            try
            {
                await foreach (var entity in _table.QueryAsync<TableEntity>(filter, maxPerPage: query.Limit, cancellationToken: cancellationToken))
                {
                    results.Add(ToRecord(entity));
                    if (results.Count == query.Limit)
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

    private static string BuildFilter(string partition, DateTimeOffset since, DateTimeOffset until, AuditQuery query)
    {
        // Row keys are inverted ticks plus "-suffix", so [since, until) maps to row keys after every key of
        // inverted(until) and up to every key of inverted(since); "~" sorts after "-".
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {InvertedTicks(until) + "~"} and RowKey lt {InvertedTicks(since) + "~"}");
        if (query.Subject is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"Subject eq {query.Subject}");
        }

        if (query.TargetUid is not null)
        {
            filter += " and " + TableClient.CreateQueryFilter($"TargetUid eq {query.TargetUid}");
        }

        return filter;
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
}
