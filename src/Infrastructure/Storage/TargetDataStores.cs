using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Thoras.Domain.Enrollment;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// A table partitioned by target UID (usage samples, suggestions): deleting a UID deletes its partition. A table
/// that does not exist yet holds nothing to delete.
/// </summary>
public sealed class UidPartitionedTable(TableServiceClient service, StorageNames names, string purpose) : ITargetDataStore
{
    private readonly TableClient _table = service.GetTableClient(names.Table(purpose));

    public string Name => "table:" + purpose;

    public Task<int> DeleteAsync(string uid, CancellationToken cancellationToken) =>
        TableRows.DeleteWhereAsync(_table, TableClient.CreateQueryFilter($"PartitionKey eq {uid}"), cancellationToken);
}

/// <summary>
/// A blob container whose blobs of one target are under the prefix <c>&lt;uid&gt;/</c> (model state): deleting a UID
/// deletes every blob under it. A container that does not exist yet holds nothing to delete.
/// </summary>
public sealed class UidPrefixedContainer(BlobServiceClient service, StorageNames names, string purpose) : ITargetDataStore
{
    private readonly BlobContainerClient _container = service.GetBlobContainerClient(names.Container(purpose));

    public string Name => "container:" + purpose;

    public async Task<int> DeleteAsync(string uid, CancellationToken cancellationToken)
    {
        var deleted = 0;
        try
        {
            await foreach (var blob in _container.GetBlobsAsync(BlobTraits.None, BlobStates.None, uid + "/", cancellationToken))
            {
                if (await _container.DeleteBlobIfExistsAsync(blob.Name, cancellationToken: cancellationToken))
                    deleted++;
            }
        }
        catch (RequestFailedException ex) when (ex.Status == 404)
        {
            return deleted;
        }

        return deleted;
    }
}
