using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Forecasting;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// 5-minute usage aggregates in Table Storage: table <c>&lt;prefix&gt;Usage</c>, partition = target UID, row key =
/// <c>&lt;series&gt;|&lt;block start ticks&gt;</c> so one series reads as one ordered range. Writes go in
/// transactions of at most 100 entities (the Table Storage limit).
/// </summary>
public sealed class UsageTable : IUsageStore
{
    /// <summary>How long aggregates are kept by default: 14 days (the training window).</summary>
    public static readonly TimeSpan DefaultRetention = TimeSpan.FromDays(14);

    /// <summary>Table Storage's limit of entities per transaction.</summary>
    public const int MaxBatch = 100;

    private readonly TableClient table;

    public UsageTable(TableServiceClient service, StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(names);
        table = service.GetTableClient(names.Table("Usage"));
    }

    public async Task AppendAsync(string targetUid, string series, IReadOnlyList<UsageBlock> blocks, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blocks);
        var partition = Key(targetUid, nameof(targetUid));
        var prefix = Key(series, nameof(series)) + "|";
        foreach (var chunk in blocks.DistinctBy(b => b.Start).Chunk(MaxBatch))
        {
            var actions = chunk.Select(b => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, RowKey(prefix, b.Start))
            {
                ["Series"] = series,
                ["Start"] = b.Start,
                ["Max"] = b.Max,
                ["Mean"] = b.Mean,
                ["Count"] = b.Count,
            })).ToList();
            try
            {
                await table.SubmitTransactionAsync(actions, cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // The first write ever: create the table and write again. Concurrent writers may all get here; creating is idempotent.
                await table.CreateIfNotExistsAsync(cancellationToken);
                await table.SubmitTransactionAsync(actions, cancellationToken);
            }
        }
    }

    public async Task<IReadOnlyList<UsageBlock>> ListAsync(string targetUid, string series, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var partition = Key(targetUid, nameof(targetUid));
        var prefix = Key(series, nameof(series)) + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {RowKey(prefix, since)} and RowKey lt {prefix + "~"}");
        var blocks = new List<UsageBlock>();
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                blocks.Add(new UsageBlock(e.GetDateTimeOffset("Start")!.Value, e.GetDouble("Max")!.Value, e.GetDouble("Mean")!.Value, e.GetInt32("Count")!.Value));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        return blocks;
    }

    public Task<int> PruneAsync(string targetUid, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var partition = Key(targetUid, nameof(targetUid));
        return DeleteAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Start lt {before}"), cancellationToken);
    }

    public Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken)
    {
        var partition = Key(targetUid, nameof(targetUid));
        return DeleteAsync(TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken);
    }

    private async Task<int> DeleteAsync(string filter, CancellationToken cancellationToken)
    {
        var keys = new List<(string Partition, string Row)>();
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                keys.Add((e.PartitionKey, e.RowKey));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }

        foreach (var chunk in keys.Chunk(MaxBatch))
        {
            await table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(k.Partition, k.Row))), cancellationToken);
        }

        return keys.Count;
    }

    private static string RowKey(string prefix, DateTimeOffset start) =>
        prefix + start.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);

    /// <summary>Table keys may not hold / \ # ? or control characters; '|' and '~' are ours.</summary>
    private static string Key(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Any(c => c is '/' or '\\' or '#' or '?' or '|' or '~' || char.IsControl(c)))
        {
            throw new ArgumentException($"'{value}' is not a valid {name}: non-empty, without / \\ # ? | ~ or control characters.", name);
        }

        return value;
    }
}
