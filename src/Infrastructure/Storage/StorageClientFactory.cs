using Azure.Core;
using Azure.Data.Tables;
using Azure.Identity;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Builds the storage clients from <see cref="StorageOptions"/>: a connection string locally (Azurite),
/// service URIs with the managed identity in Azure, where shared keys are turned off. Every client retries
/// throttled and failed requests the same way (<see cref="StorageRetry"/>).
/// </summary>
public static class StorageClientFactory
{
    public static TableServiceClient CreateTableService(StorageOptions options) =>
        options switch
        {
            { ConnectionString: { Length: > 0 } cs } => new TableServiceClient(cs, Measured(StorageRetry.Configure(StorageDeadlines.Apply(new TableClientOptions())), "table")),
            { TableServiceUri: { } uri } => new TableServiceClient(uri, Credential(options), Measured(StorageRetry.Configure(StorageDeadlines.Apply(new TableClientOptions())), "table")),
            _ => throw new InvalidOperationException(NotConfigured("TableServiceUri")),
        };

    public static BlobServiceClient CreateBlobService(StorageOptions options) =>
        options switch
        {
            { ConnectionString: { Length: > 0 } cs } => new BlobServiceClient(cs, Measured(StorageRetry.Configure(StorageDeadlines.Apply(new BlobClientOptions())), "blob")),
            { BlobServiceUri: { } uri } => new BlobServiceClient(uri, Credential(options), Measured(StorageRetry.Configure(StorageDeadlines.Apply(new BlobClientOptions())), "blob")),
            _ => throw new InvalidOperationException(NotConfigured("BlobServiceUri")),
        };

    /// <summary>
    /// The queue service of the fan-out. Messages are base64, the encoding the Functions queue trigger reads by default
    /// (<c>extensions.queues.messageEncoding</c> in host.json).
    /// </summary>
    public static QueueServiceClient CreateQueueService(StorageOptions options) =>
        options switch
        {
            { ConnectionString: { Length: > 0 } cs } => new QueueServiceClient(cs, QueueOptions()),
            { QueueServiceUri: { } uri } => new QueueServiceClient(uri, Credential(options), QueueOptions()),
            _ => throw new InvalidOperationException(NotConfigured("QueueServiceUri")),
        };

    /// <summary>Client options that count every request (<see cref="StorageRequestMetrics"/>).</summary>
    public static T Measured<T>(T options, string service)
        where T : ClientOptions
    {
        ArgumentNullException.ThrowIfNull(options);
        options.AddPolicy(new StorageRequestMetrics(service), HttpPipelinePosition.PerRetry);
        return options;
    }

    private static QueueClientOptions QueueOptions() =>
        Measured(StorageRetry.Configure(new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }), "queue");

    private static TokenCredential Credential(StorageOptions options) =>
        string.IsNullOrEmpty(options.ManagedIdentityClientId)
            ? new DefaultAzureCredential()
            : new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(options.ManagedIdentityClientId));

    private static string NotConfigured(string uriSetting) =>
        $"Storage is not configured: set Storage__ConnectionString (or AzureWebJobsStorage) for a key-based account or Azurite, or Storage__{uriSetting} for identity-based access.";
}
