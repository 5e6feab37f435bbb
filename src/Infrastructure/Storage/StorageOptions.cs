namespace Thoras.Infrastructure.Storage;

/// <summary>Where the app keeps its state. Bound from the <c>Storage</c> configuration section.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary>
    /// A storage connection string (Azurite or a key-based account). Default: the value of
    /// <c>AzureWebJobsStorage</c> when that is a connection string. Leave empty in Azure, where
    /// <see cref="TableServiceUri"/> and <see cref="BlobServiceUri"/> are used with the managed identity.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The table service endpoint for identity-based access, e.g. <c>https://acct.table.core.windows.net</c>. Default: none.</summary>
    public Uri? TableServiceUri { get; set; }

    /// <summary>The blob service endpoint for identity-based access. Default: none.</summary>
    public Uri? BlobServiceUri { get; set; }

    /// <summary>The queue service endpoint for identity-based access (the fan-out's queues). Default: none.</summary>
    public Uri? QueueServiceUri { get; set; }

    /// <summary>The client id of a user-assigned managed identity; empty for the default credential chain. Default: none.</summary>
    public string? ManagedIdentityClientId { get; set; }

    /// <summary>
    /// Prefix of every table and blob container name (letters and digits, starting with a letter),
    /// so several installations or test runs can share one account. Default: <c>thoras</c>.
    /// </summary>
    public string TablePrefix { get; set; } = "thoras";
}
