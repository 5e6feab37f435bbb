using System.Collections.Concurrent;
using System.Security.Cryptography;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Thoras.Domain.Forecasting;

namespace Thoras.Infrastructure.Storage;

/// <summary>
/// Forecaster state, kept in two places by how often each part changes (<see cref="IModelStore"/>):
/// <list type="bullet">
/// <item>the <b>model</b> section, rewritten only when the model was retrained, in Blob Storage: container
/// <c>&lt;prefix&gt;-models</c>, one blob per target and resource (<c>&lt;uid&gt;/&lt;resource&gt;.model</c>), so
/// unenrolling a target deletes one prefix;</item>
/// <item>the <b>memory</b> section, written after every forecast, in Table Storage: table <c>&lt;prefix&gt;Models</c>,
/// partition = target UID, row = resource, with the SHA-256 of the model section it goes with.</item>
/// </list>
/// A forecast tick therefore costs one table query and one table transaction per target (its series share the
/// partition: <see cref="LoadAllAsync"/>, <see cref="SaveAllAsync"/>), and a blob read only when this instance
/// does not already hold that model (a bounded in-memory cache keyed by the hash) and a blob write only after a
/// retraining. Blob operations are priced 14 (reads) to 180 (writes) times a table transaction (docs/cost.md).
/// </summary>
/// <remarks>
/// The blob is written before the row, so a row never names a model that was not stored; a crash between the two
/// leaves the new model with the previous memory, which the next save replaces. A target whose row is missing (state
/// saved before the split, as one blob) loads that blob as it is; its next save splits it.
/// </remarks>
public sealed class ForecasterStateStore : IModelStore
{
    /// <summary>How many models an instance keeps in memory by default: about 10 KB each, so some 40 MB.</summary>
    public const int DefaultCachedModels = 4096;

    private readonly BlobContainerClient container;
    private readonly TableClient table;
    private readonly ModelCache cache;

    /// <summary>Creates the store; the container and the table are created by the first write that finds them missing.</summary>
    public ForecasterStateStore(BlobServiceClient blobs, TableServiceClient tables, StorageNames names, int cachedModels = DefaultCachedModels)
    {
        ArgumentNullException.ThrowIfNull(blobs);
        ArgumentNullException.ThrowIfNull(tables);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentOutOfRangeException.ThrowIfNegative(cachedModels);
        container = blobs.GetBlobContainerClient(names.Container("models"));
        table = tables.GetTableClient(names.Table("Models"));
        cache = new ModelCache(cachedModels);
    }

    public async Task SaveAsync(string targetUid, string resource, Stream state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        using var buffer = new MemoryStream();
        await state.CopyToAsync(buffer, cancellationToken);
        await SaveAllAsync(targetUid, [new SeriesState(resource, buffer.ToArray())], cancellationToken);
    }

    /// <summary>
    /// Stores each retrained model in its blob, then every memory row in one table transaction (the rows share the
    /// target's partition; at most <see cref="TableRows.MaxBatch"/> per transaction): one table write per target and
    /// forecast instead of one per series.
    /// </summary>
    public async Task SaveAllAsync(string targetUid, IReadOnlyList<SeriesState> states, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(states);
        if (states.Select(s => s.Resource).Distinct(StringComparer.Ordinal).Count() != states.Count)
        {
            throw new ArgumentException("Each resource may be saved once per call.", nameof(states));
        }

        var rows = new List<TableEntity>(states.Count);
        foreach (var state in states)
        {
            rows.Add(await StoreModelAsync(targetUid, state.Resource, state.State, cancellationToken));
        }

        foreach (var chunk in rows.Chunk(TableRows.MaxBatch))
        {
            if (chunk.Length == 1)
            {
                await CreatingAsync(() => table.UpsertEntityAsync(chunk[0], TableUpdateMode.Replace, cancellationToken), () => table.CreateIfNotExistsAsync(cancellationToken));
                continue;
            }

            await CreatingAsync(
                () => table.SubmitTransactionAsync(chunk.Select(r => new TableTransactionAction(TableTransactionActionType.UpsertReplace, r)), cancellationToken),
                () => table.CreateIfNotExistsAsync(cancellationToken));
        }
    }

    public async Task<Stream?> LoadAsync(string targetUid, string resource, CancellationToken cancellationToken)
    {
        TableEntity? row;
        try
        {
            var found = await table.GetEntityIfExistsAsync<TableEntity>(targetUid, resource, ["ModelHash", "Memory"], cancellationToken);
            row = found.HasValue ? found.Value : null;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            row = null; // No table yet.
        }

        var whole = await JoinAsync(targetUid, resource, row, cancellationToken);
        return whole is null ? null : new MemoryStream(whole, writable: false);
    }

    /// <summary>
    /// Reads the memory rows of all <paramref name="resources"/> in one query of the target's partition, then each
    /// model from this instance's cache or its blob; a resource with neither is left out.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, byte[]>> LoadAllAsync(string targetUid, IReadOnlyCollection<string> resources, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(resources);
        var states = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (resources.Count == 0)
        {
            return states;
        }

        foreach (var resource in resources)
        {
            BlobName(targetUid, resource); // Refuses a bad name before any request, as a single load does.
        }

        var rows = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        try
        {
            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {targetUid}");
            await foreach (var row in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "ModelHash", "Memory"], cancellationToken: cancellationToken))
            {
                rows[row.RowKey] = row;
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet: only states saved before the split (one blob each) can exist.
        }

        foreach (var resource in resources.Distinct(StringComparer.Ordinal))
        {
            if (await JoinAsync(targetUid, resource, rows.GetValueOrDefault(resource), cancellationToken) is { } whole)
            {
                states[resource] = whole;
            }
        }

        return states;
    }

    /// <summary>Writes the model section of <paramref name="bytes"/> to its blob unless this instance knows it is there; returns the memory row.</summary>
    private async Task<TableEntity> StoreModelAsync(string targetUid, string resource, byte[] bytes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(bytes);
        var name = BlobName(targetUid, resource);
        var split = UsageForecaster.ModelSectionLength(bytes);
        var model = bytes[..split];
        var hash = Convert.ToHexString(SHA256.HashData(model));
        if (!cache.Holds(name, hash))
        {
            await CreatingAsync(() => container.GetBlobClient(name).UploadAsync(new BinaryData(model), overwrite: true, cancellationToken), () => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken));
            cache.Put(name, hash, model);
        }

        return new TableEntity(targetUid, resource) { ["ModelHash"] = hash, ["Memory"] = bytes[split..] };
    }

    /// <summary>The whole state of one resource from its memory row (null: none) and its model; null when there is no model.</summary>
    private async Task<byte[]?> JoinAsync(string targetUid, string resource, TableEntity? row, CancellationToken cancellationToken)
    {
        var name = BlobName(targetUid, resource);
        var hash = row?.GetString("ModelHash");
        var model = hash is not null ? cache.Get(name, hash) : null;
        if (model is null)
        {
            try
            {
                model = (await container.GetBlobClient(name).DownloadContentAsync(cancellationToken)).Value.Content.ToArray();
            }
            catch (RequestFailedException e) when (e.Status == 404)
            {
                return null;
            }

            if (row is not null)
            {
                cache.Put(name, Convert.ToHexString(SHA256.HashData(model)), model);
            }
        }

        var memory = row?.GetBinary("Memory") ?? [];
        var whole = new byte[model.Length + memory.Length];
        model.CopyTo(whole, 0);
        memory.CopyTo(whole, model.Length);
        return whole;
    }

    public async Task DeleteAllAsync(string targetUid, CancellationToken cancellationToken)
    {
        var prefix = Segment(targetUid, nameof(targetUid)) + "/";
        try
        {
            await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken))
            {
                await container.DeleteBlobIfExistsAsync(item.Name, cancellationToken: cancellationToken);
                cache.Remove(item.Name);
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No container yet: nothing was ever stored, so there is nothing to delete.
        }

        await TableRows.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {targetUid}"), cancellationToken);
    }

    /// <summary>Runs <paramref name="write"/>; on a 404 (no container or table yet) creates it and writes again.</summary>
    private static async Task CreatingAsync(Func<Task> write, Func<Task> create)
    {
        try
        {
            await write();
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // Creating it on a 404, rather than once up front, is safe when several targets save their first models at
            // once, and after a first attempt that was cancelled.
            await create();
            await write();
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

    /// <summary>
    /// The models this instance last read or wrote, by blob name and hash, at most <c>capacity</c> of them; when full,
    /// the oldest entry goes first. Only a model whose hash a row names is served from it, so another instance's
    /// retraining is always read from the blob.
    /// </summary>
    private sealed class ModelCache(int capacity)
    {
        private readonly ConcurrentDictionary<string, (string Hash, byte[] Model)> entries = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> order = new();

        public bool Holds(string name, string hash) => entries.TryGetValue(name, out var entry) && entry.Hash == hash;

        public byte[]? Get(string name, string hash) => entries.TryGetValue(name, out var entry) && entry.Hash == hash ? entry.Model : null;

        public void Put(string name, string hash, byte[] model)
        {
            if (capacity == 0)
            {
                return;
            }

            if (entries.TryAdd(name, (hash, model)))
            {
                order.Enqueue(name);
                while (entries.Count > capacity && order.TryDequeue(out var oldest))
                {
                    entries.TryRemove(oldest, out _);
                }
            }
            else
            {
                entries[name] = (hash, model);
            }
        }

        public void Remove(string name) => entries.TryRemove(name, out _);
    }
}
