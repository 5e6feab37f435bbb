using Azure;
using Azure.Data.Tables;
using Thoras.Domain.Apply;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Evictions per target in Table Storage: partition = the AIScaleTarget's UID (so unenroll deletes them with the
/// rest of its rows), row = inverted ticks and pod name, so the newest come first.
/// </summary>
public sealed class DisruptionTable(TableServiceClient service, StorageNames names) : IDisruptionLedger
{
    private readonly TableClient _table = service.GetTableClient(names.Table("Disruptions"));

    public async Task<IReadOnlyList<DateTimeOffset>> ListSinceAsync(string targetUid, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var times = new List<DateTimeOffset>();
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {targetUid} and At ge {since}");
        try
        {
            await foreach (var entity in _table.QueryAsync<TableEntity>(filter, cancellationToken: cancellationToken))
                times.Add(entity.GetDateTimeOffset("At")!.Value);
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return times;
        }

        return times;
    }

    public async Task RecordAsync(string targetUid, string pod, DateTimeOffset at, CancellationToken cancellationToken)
    {
        var entity = new TableEntity(targetUid, $"{DateTimeOffset.MaxValue.UtcTicks - at.UtcTicks:D19}-{pod}")
        {
            ["At"] = at,
            ["Pod"] = pod,
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
