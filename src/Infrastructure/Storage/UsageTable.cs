using System.Buffers.Binary;
using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Forecasting;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// 5-minute usage aggregates in Table Storage: table <c>&lt;prefix&gt;Usage</c>, partition = target UID, one entity per
/// series and UTC day, row key <c>&lt;series&gt;|&lt;day start ticks&gt;</c>, holding that day's blocks packed in one
/// binary property. A 14-day training window is then 15 entities in one response instead of 4,032 in five pages, and
/// the table holds 288 times fewer rows (Azurite scans every row of a table on each query, so row count is its cost).
/// Rows of the earlier layout, one block per row with the block start in the row key, are still read, folded into
/// their day when it is next written, and pruned as before. How long blocks are kept is the housekeeping stage's
/// decision (<c>Housekeeping__UsageRetention</c>).
/// </summary>
public sealed class UsageTable : IUsageStore
{
    /// <summary>Table Storage's limit of entities per transaction.</summary>
    public const int MaxBatch = TableRows.MaxBatch;

    /// <summary>Blocks one day's entity can hold: a binary property is at most 64 KiB (blocks of at least 37 s).</summary>
    public const int MaxBlocksPerDay = 64 * 1024 / BlockBytes;

    /// <summary>Row key ranges per query: two comparisons each, within the 15 a Table Storage filter may hold.</summary>
    private const int MaxRangesPerQuery = 6;

    private const int BlockBytes = 28;
    private const int MaxAttempts = 12;
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);

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
        foreach (var day in blocks.GroupBy(b => DayOf(b.Start)).OrderBy(g => g.Key))
        {
            await WriteDayAsync(partition, series, prefix, day.Key, day.ToList(), cancellationToken);
        }
    }

    public async Task<IReadOnlyList<UsageBlock>> ListAsync(string targetUid, string series, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var partition = Key(targetUid, nameof(targetUid));
        var prefix = Key(series, nameof(series)) + "|";
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {RowKey(prefix, DayOf(since))} and RowKey lt {prefix + "~"}");
        var blocks = new List<UsageBlock>();
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                blocks.AddRange(BlocksOf(e).Where(b => b.Start >= since));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return [];
        }

        // Legacy rows sit between the days; one series then reads in block order whatever the layout.
        return blocks.DistinctBy(b => b.Start).OrderBy(b => b.Start).ToList();
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<UsageBlock>>> ListAsync(
        string targetUid, IReadOnlyCollection<string> series, DateTimeOffset since, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(series);
        var partition = Key(targetUid, nameof(targetUid));
        var names = series.Distinct(StringComparer.Ordinal).ToList();
        var found = names.ToDictionary(n => Key(n, nameof(series)), _ => new List<UsageBlock>(), StringComparer.Ordinal);
        try
        {
            // One query covers every series (a row key range each), within Table Storage's limit of comparisons per filter.
            foreach (var chunk in names.Chunk(MaxRangesPerQuery))
            {
                var ranges = string.Join(" or ", chunk.Select(n => "(" + TableClient.CreateQueryFilter($"RowKey ge {RowKey(n + "|", DayOf(since))} and RowKey lt {n + "|~"}") + ")"));
                var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition}") + " and (" + ranges + ")";
                await foreach (var e in table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                {
                    if (found.TryGetValue(e.RowKey[..e.RowKey.LastIndexOf('|')], out var blocks))
                        blocks.AddRange(BlocksOf(e).Where(b => b.Start >= since));
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: nothing stored.
        }

        return found.ToDictionary(f => f.Key, f => (IReadOnlyList<UsageBlock>)[.. f.Value.DistinctBy(b => b.Start).OrderBy(b => b.Start)], StringComparer.Ordinal);
    }

    public async Task FoldAsync(string targetUid, DateTimeOffset blockStart, IReadOnlyDictionary<string, Func<UsageBlock?, UsageBlock>> folds, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(folds);
        var partition = Key(targetUid, nameof(targetUid));
        var day = DayOf(blockStart);
        foreach (var name in folds.Keys)
            Key(name, nameof(folds));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // The day entities of every series of the target, in one read (each day entity's Start is its day).
                var existing = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
                await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Start eq {day}"), cancellationToken: cancellationToken))
                {
                    if (e.GetBinary("Blocks") is not null)
                        existing[e.RowKey] = e;
                }

                var actions = new List<TableTransactionAction>();
                foreach (var (series, fold) in folds)
                {
                    var rowKey = RowKey(series + "|", day);
                    var held = existing.TryGetValue(rowKey, out var entity) ? BlocksOf(entity) : [];
                    UsageBlock? current = held.FindIndex(b => b.Start == blockStart) is var at and >= 0 ? held[at] : null;
                    var merged = held.Where(b => b.Start != blockStart).Append(fold(current)).OrderBy(b => b.Start).ToList();
                    var next = DayEntity(partition, rowKey, series, day, merged);
                    actions.Add(entity is null
                        ? new TableTransactionAction(TableTransactionActionType.Add, next)
                        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, next, entity.ETag));
                }

                // All series of a target share its partition, so one transaction writes them together (or none).
                foreach (var chunk in actions.Chunk(MaxBatch))
                    await table.SubmitTransactionAsync(chunk, cancellationToken);
                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                await table.CreateIfNotExistsAsync(cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another writer changed a day since it was read: read again and fold again, after a growing random pause.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    public async Task<int> PruneAsync(string targetUid, DateTimeOffset before, CancellationToken cancellationToken)
    {
        var partition = Key(targetUid, nameof(targetUid));
        var removed = 0;
        var deletions = new List<TableEntity>();
        try
        {
            // Day entities start at their day, legacy rows at their block: either way, only rows starting before the cut.
            await foreach (var e in table.QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {partition} and Start lt {before}"), cancellationToken: cancellationToken))
            {
                var held = BlocksOf(e);
                var kept = held.Where(b => b.Start >= before).ToList();
                removed += held.Count - kept.Count;
                if (kept.Count == 0)
                {
                    deletions.Add(e);
                }
                else
                {
                    await table.UpdateEntityAsync(DayEntity(e.PartitionKey, e.RowKey, e.GetString("Series"), e.GetDateTimeOffset("Start")!.Value, kept), e.ETag, TableUpdateMode.Replace, cancellationToken);
                }
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return 0;
        }

        foreach (var chunk in deletions.Chunk(MaxBatch))
        {
            await table.SubmitTransactionAsync(chunk.Select(e => new TableTransactionAction(TableTransactionActionType.Delete, e, e.ETag)), cancellationToken);
        }

        return removed;
    }

    public Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken) =>
        TableRows.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Key(targetUid, nameof(targetUid))}"), cancellationToken);

    /// <summary>
    /// Merges <paramref name="blocks"/> into the day's entity (a block replaces the stored one with the same start) and
    /// writes it conditionally on what was read, so two writers of one day never lose each other's blocks.
    /// </summary>
    private async Task WriteDayAsync(string partition, string series, string prefix, DateTimeOffset day, List<UsageBlock> blocks, CancellationToken cancellationToken)
    {
        var rowKey = RowKey(prefix, day);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var existing = await ReadAsync(partition, rowKey, cancellationToken);
                var merged = (existing is null ? [] : BlocksOf(existing))
                    .Where(b => blocks.All(n => n.Start != b.Start))
                    .Concat(blocks.DistinctBy(b => b.Start))
                    .OrderBy(b => b.Start)
                    .ToList();
                if (merged.Count > MaxBlocksPerDay)
                {
                    throw new ArgumentException(string.Format(CultureInfo.InvariantCulture,
                        "{0} blocks of {1} on {2:yyyy-MM-dd} are more than the {3} a day can hold; blocks must be at least 37 s long.", merged.Count, series, day, MaxBlocksPerDay), nameof(blocks));
                }

                var entity = DayEntity(partition, rowKey, series, day, merged);
                if (existing is null)
                {
                    await table.AddEntityAsync(entity, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(entity, existing.ETag, TableUpdateMode.Replace, cancellationToken);
                }

                return;
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                // The first write ever: create the table and write again. Concurrent writers may all get here; creating is idempotent.
                await table.CreateIfNotExistsAsync(cancellationToken);
            }
            catch (RequestFailedException ex) when (ex.Status is 409 or 412 && attempt < MaxAttempts)
            {
                // Another writer changed the day since it was read: read it again and merge again, after a short random
                // pause that grows with each attempt, so writers that collided do not collide again in lockstep.
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(5, 20 * attempt)), cancellationToken);
            }
        }
    }

    private async Task<TableEntity?> ReadAsync(string partition, string rowKey, CancellationToken cancellationToken)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partition, rowKey, cancellationToken: cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    private static TableEntity DayEntity(string partition, string rowKey, string? series, DateTimeOffset day, List<UsageBlock> blocks) =>
        new(partition, rowKey)
        {
            ["Series"] = series,
            ["Start"] = day,
            ["Count"] = blocks.Count,
            ["Blocks"] = Pack(blocks),
        };

    /// <summary>The blocks an entity holds: a day's packed blocks, or the one block of a legacy row.</summary>
    private static List<UsageBlock> BlocksOf(TableEntity entity)
    {
        if (entity.GetBinary("Blocks") is { } packed)
        {
            return Unpack(packed);
        }

        return entity.GetDouble("Max") is { } max
            ? [new UsageBlock(entity.GetDateTimeOffset("Start")!.Value, max, entity.GetDouble("Mean")!.Value, entity.GetInt32("Count")!.Value)]
            : [];
    }

    /// <summary>Each block as start ticks (UTC), max, mean (little-endian doubles) and count, in start order.</summary>
    private static byte[] Pack(List<UsageBlock> blocks)
    {
        var bytes = new byte[blocks.Count * BlockBytes];
        for (var i = 0; i < blocks.Count; i++)
        {
            var slot = bytes.AsSpan(i * BlockBytes, BlockBytes);
            BinaryPrimitives.WriteInt64LittleEndian(slot, blocks[i].Start.UtcTicks);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[8..], blocks[i].Max);
            BinaryPrimitives.WriteDoubleLittleEndian(slot[16..], blocks[i].Mean);
            BinaryPrimitives.WriteInt32LittleEndian(slot[24..], blocks[i].Count);
        }

        return bytes;
    }

    private static List<UsageBlock> Unpack(byte[] bytes)
    {
        if (bytes.Length % BlockBytes != 0)
        {
            throw new InvalidDataException($"A packed usage day of {bytes.Length} bytes is not a whole number of {BlockBytes}-byte blocks.");
        }

        var blocks = new List<UsageBlock>(bytes.Length / BlockBytes);
        for (var offset = 0; offset < bytes.Length; offset += BlockBytes)
        {
            var slot = bytes.AsSpan(offset, BlockBytes);
            blocks.Add(new UsageBlock(
                new DateTimeOffset(BinaryPrimitives.ReadInt64LittleEndian(slot), TimeSpan.Zero),
                BinaryPrimitives.ReadDoubleLittleEndian(slot[8..]),
                BinaryPrimitives.ReadDoubleLittleEndian(slot[16..]),
                BinaryPrimitives.ReadInt32LittleEndian(slot[24..])));
        }

        return blocks;
    }

    private static DateTimeOffset DayOf(DateTimeOffset at)
    {
        var ticks = at.UtcTicks;
        return new DateTimeOffset(ticks - (ticks % Day.Ticks), TimeSpan.Zero);
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
