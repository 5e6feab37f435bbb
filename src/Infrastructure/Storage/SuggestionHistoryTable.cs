using System.Globalization;
using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// The suggestion history in Table Storage: table <c>&lt;prefix&gt;Suggestions</c>, partition = target UID, row key =
/// inverted publication ticks then the suggestion UID, so a partition reads newest first. The suggestion itself is
/// kept as its status JSON, exactly as it was published. Deletes go in transactions of at most 100 entities.
/// </summary>
public sealed class SuggestionHistoryTable(TableServiceClient service, StorageNames names) : ISuggestionHistory
{
    private readonly TableClient _table = service.GetTableClient(names.Table("Suggestions"));

    public async Task AppendAsync(string targetUid, SuggestionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        var entity = new TableEntity(targetUid, $"{Inverted(record.PublishedAt)}-{record.Suggestion.SuggestionUID}")
        {
            ["PublishedAt"] = record.PublishedAt,
            ["Suggestion"] = JsonSerializer.Serialize(record.Suggestion, TargetJson.Options),
            ["ExpectedToApply"] = record.ExpectedToApply,
            ["Reason"] = record.Reason,
        };
        try
        {
            await _table.AddEntityAsync(entity, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            await _table.AddEntityAsync(entity, cancellationToken);
        }
    }

    public async Task<IReadOnlyList<SuggestionRecord>> ListAsync(string targetUid, int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        var records = new List<SuggestionRecord>();
        try
        {
            await foreach (var e in _table.QueryAsync<TableEntity>(e => e.PartitionKey == targetUid, maxPerPage: Math.Min(limit, 1000), cancellationToken: cancellationToken))
            {
                var suggestion = JsonSerializer.Deserialize<Suggestion>(e.GetString("Suggestion"), TargetJson.Options)!;
                records.Add(new SuggestionRecord(e.GetDateTimeOffset("PublishedAt")!.Value, suggestion, e.GetBoolean("ExpectedToApply")!.Value, e.GetString("Reason")));
                if (records.Count == limit)
                {
                    break;
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return records;
        }

        return records;
    }

    public Task<int> PruneAsync(string targetUid, DateTimeOffset before, CancellationToken cancellationToken)
    {
        if (before.UtcTicks == 0)
        {
            return Task.FromResult(0);
        }

        // Row keys start with inverted ticks, so "published before" is one range: inverted ticks of the tick before.
        var oldest = Inverted(new DateTimeOffset(before.UtcTicks - 1, TimeSpan.Zero));
        return DeleteAsync(TableClient.CreateQueryFilter($"PartitionKey eq {targetUid} and RowKey ge {oldest}"), cancellationToken);
    }

    public Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken) =>
        DeleteAsync(TableClient.CreateQueryFilter($"PartitionKey eq {targetUid}"), cancellationToken);

    private Task<int> DeleteAsync(string filter, CancellationToken cancellationToken) =>
        TableRows.DeleteWhereAsync(_table, filter, cancellationToken);

    private static string Inverted(DateTimeOffset at) =>
        (DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks).ToString("D19", CultureInfo.InvariantCulture);
}
