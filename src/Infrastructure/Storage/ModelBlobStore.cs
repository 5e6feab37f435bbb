using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Thoras.Domain.Forecasting;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Forecaster state in Blob Storage: container <c>&lt;prefix&gt;-models</c>, one blob per target and resource
/// (<c>&lt;uid&gt;/&lt;resource&gt;.model</c>), so unenrolling a target deletes one prefix.
/// </summary>
public sealed class ModelBlobStore : IModelStore
{
    private readonly BlobContainerClient container;

    /// <summary>Creates the store over <paramref name="blobs"/>; the container is created by the first save that finds it missing.</summary>
    public ModelBlobStore(BlobServiceClient blobs, StorageNames names)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(names);
        container = blobs.GetBlobContainerClient(names.Container("models"));
    }

    public async Task SaveAsync(string targetUid, string resource, Stream state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        var blob = container.GetBlobClient(BlobName(targetUid, resource));
        if (!state.CanSeek)
        {
            // A retry after creating the container must send the state again.
            var copy = new MemoryStream();
            await state.CopyToAsync(copy, cancellationToken);
            copy.Position = 0;
            state = copy;
        }

        var start = state.Position;
        try
        {
            await blob.UploadAsync(state, overwrite: true, cancellationToken);
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The first save ever: create the container and save again. Concurrent savers may all get here; creating is idempotent.
            await container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);
            state.Position = start;
            await blob.UploadAsync(state, overwrite: true, cancellationToken);
        }
    }

    public async Task<Stream?> LoadAsync(string targetUid, string resource, CancellationToken cancellationToken)
    {
        var blob = container.GetBlobClient(BlobName(targetUid, resource));
        try
        {
            var content = await blob.DownloadContentAsync(cancellationToken);
            return content.Value.Content.ToStream();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
    }

    public async Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken)
    {
        var prefix = Segment(targetUid, nameof(targetUid)) + "/";
        try
        {
            await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
            {
                await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: nothing was ever stored, so there is nothing to delete.
        }
    }

    private static string BlobName(string targetUid, string resource) =>
        $"{Segment(targetUid, nameof(targetUid))}/{Segment(resource, nameof(resource))}.model";

    private static string Segment(string value, string name)
    {
        if (string.IsNullOrWhiteSpace(value) || value.Contains('/', StringComparison.Ordinal) || value.Contains('\\', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{value}' is not a valid {name}: it must be non-empty and contain no slash.", name);
        }

        return value;
    }
}
