using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Apply;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// OOM kills per target in Table Storage: partition = the AIScaleTarget's UID (so unenroll deletes them with the rest
/// of its rows), row = pod UID, container and restart count (one row per kill, so recording twice is harmless). The
/// floors still holding are read for every target in one query, which scans the table: it holds one row per kill.
/// </summary>
public sealed class OomKillTable(TableServiceClient service, StorageNames names) : IOomKillLedger
{
    private readonly TableClient _table = service.GetTableClient(names.Table("OomKills"));

    public async Task<IReadOnlyList<OomKill>> ListAsync(string targetUid, CancellationToken cancellationToken)
    {
        return [.. (await QueryAsync(TableClient.CreateQueryFilter($"PartitionKey eq {targetUid}"), cancellationToken)).Select(k => k.Kill)];
    }

    public async Task<IReadOnlyDictionary<string, IReadOnlyList<OomKill>>> ListHoldingAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        var holding = await QueryAsync(TableClient.CreateQueryFilter($"Until gt {now}"), cancellationToken);
        return holding.GroupBy(k => k.TargetUid, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => (IReadOnlyList<OomKill>)[.. g.Select(k => k.Kill)], StringComparer.Ordinal);
    }

    private async Task<List<(string TargetUid, OomKill Kill)>> QueryAsync(string filter, CancellationToken cancellationToken)
    {
        var kills = new List<(string, OomKill)>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
            {
                var floor = new OomFloor(entity.GetString("Container"), Quantity.Parse(entity.GetString("Memory")), entity.GetDateTimeOffset("Until")!.Value);
                kills.Add((entity.PartitionKey, new OomKill(entity.GetString("PodUid"), entity.GetInt32("RestartCount")!.Value, floor)));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            // No table yet: no kill was ever recorded.
        }

        return kills;
    }

    public async Task RecordAsync(string targetUid, OomKill kill, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(kill);
        var entity = new TableEntity(targetUid, string.Create(CultureInfo.InvariantCulture, $"{kill.PodUid}-{kill.Floor.Container}-{kill.RestartCount}"))
        {
            ["PodUid"] = kill.PodUid,
            ["Container"] = kill.Floor.Container,
            ["RestartCount"] = kill.RestartCount,
            ["Memory"] = kill.Floor.Memory.ToString(),
            ["Until"] = kill.Floor.Until,
        };
        try
        {
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            await _table.CreateIfNotExistsAsync(cancellationToken);
            await _table.UpsertEntityAsync(entity, TableUpdateMode.Replace, cancellationToken);
        }
    }
}
