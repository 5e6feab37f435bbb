using Azure;
using Azure.Data.Tables;

namespace Thoras.Infrastructure.Storage;

/// <summary>Deleting rows of one partition in Table Storage transactions.</summary>
internal static class TableRows
{
    /// <summary>Table Storage's limit of operations per transaction.</summary>
    public const int MaxBatch = 100;

    /// <summary>
    /// Deletes every row <paramref name="filter"/> selects (rows of one partition: a transaction cannot span two), at
    /// most <see cref="MaxBatch"/> per transaction; returns how many. A table that does not exist holds nothing to delete.
    /// </summary>
    public static async Task<int> DeleteWhereAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var deleted = 0;
        try
        {
            var keys = new List<TableEntity>();
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["PartitionKey", "RowKey"], cancellationToken: cancellationToken))
            {
                keys.Add(row);
            }

            foreach (var chunk in keys.Chunk(MaxBatch))
            {
                await table.SubmitTransactionAsync(chunk.Select(k => new TableTransactionAction(TableTransactionActionType.Delete, k, ETag.All)), cancellationToken);
                deleted += chunk.Length;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return deleted;
        }

        return deleted;
    }
}
