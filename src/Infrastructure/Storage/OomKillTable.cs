using System.Globalization;
using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Apply;
using Thoras.Domain.Targets;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// OOM kills per target in Table Storage: partition = the AIScaleTarget's UID (so unenroll deletes them with the rest
/// of its rows), row = pod UID, container and restart count (one row per kill, so recording twice is harmless).
/// </summary>
public sealed class OomKillTable(TableServiceClient service, StorageNames names) : IOomKillLedger
{
    private readonly TableClient _table = service.GetTableClient(names.Table("OomKills"));

    public async Task<IReadOnlyList<OomKill>> ListAsync(string targetUid, CancellationToken cancellationToken)
    {
        var kills = new List<OomKill>();
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(e => e.PartitionKey == targetUid, cancellationToken: cancellationToken))
            {
                var floor = new OomFloor(entity.GetString("Container"), Quantity.Parse(entity.GetString("Memory")), entity.GetDateTimeOffset("Until")!.Value);
                kills.Add(new OomKill(entity.GetString("PodUid"), entity.GetInt32("RestartCount")!.Value, floor));
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return kills;
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
