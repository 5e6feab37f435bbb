using System.Collections.Concurrent;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Data.Tables;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Recommendation;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class ForecasterStateStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private ForecasterStateStore NewStore(int cachedModels = ForecasterStateStore.DefaultCachedModels) => new(azurite.Blobs, azurite.Tables, azurite.NewNames(), cachedModels);

    [Fact]
    public async Task LoadAsync_Saved_SameBytes()
    {
        var store = NewStore();
        await store.SaveAsync("uid-1", "cpu", new MemoryStream([1, 2, 3]), CancellationToken.None);

        await using var loaded = await store.LoadAsync("uid-1", "cpu", CancellationToken.None);

        Assert.Equal([1, 2, 3], await ReadAll(loaded!));
    }

    [Fact]
    public async Task SaveAsync_Twice_Replaces()
    {
        var store = NewStore();
        await store.SaveAsync("uid-1", "cpu", new MemoryStream([1]), CancellationToken.None);
        await store.SaveAsync("uid-1", "cpu", new MemoryStream([2, 2]), CancellationToken.None);

        await using var loaded = await store.LoadAsync("uid-1", "cpu", CancellationToken.None);

        Assert.Equal([2, 2], await ReadAll(loaded!));
    }

    [Fact]
    public async Task LoadAsync_NothingStored_Null()
    {
        Assert.Null(await NewStore().LoadAsync("uid-1", "memory", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAllAsync_Target_DeletesOnlyItsResources()
    {
        var store = NewStore();
        await store.SaveAsync("uid-1", "cpu", new MemoryStream([1]), CancellationToken.None);
        await store.SaveAsync("uid-1", "memory", new MemoryStream([1]), CancellationToken.None);
        await store.SaveAsync("uid-2", "cpu", new MemoryStream([9]), CancellationToken.None);

        await store.DeleteAllAsync("uid-1", CancellationToken.None);

        Assert.Null(await store.LoadAsync("uid-1", "cpu", CancellationToken.None));
        Assert.Null(await store.LoadAsync("uid-1", "memory", CancellationToken.None));
        Assert.NotNull(await store.LoadAsync("uid-2", "cpu", CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAllAsync_NothingEverStored_NoError()
    {
        await NewStore().DeleteAllAsync("uid-1", CancellationToken.None);
    }

    [Fact]
    public async Task SaveAsync_ConcurrentFirstWrites_AllStored()
    {
        var store = NewStore();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => store.SaveAsync($"uid-{i}", "cpu", new MemoryStream([(byte)i]), CancellationToken.None)));

        foreach (var i in Enumerable.Range(0, 8))
        {
            await using var loaded = await store.LoadAsync($"uid-{i}", "cpu", CancellationToken.None);
            Assert.Equal([(byte)i], await ReadAll(loaded!));
        }
    }

    [Fact]
    public async Task SaveAsync_AfterACancelledFirstWrite_Stored()
    {
        var store = NewStore();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.SaveAsync("uid-1", "cpu", new MemoryStream([1]), new CancellationToken(canceled: true)));

        await store.SaveAsync("uid-1", "cpu", new MemoryStream([2]), CancellationToken.None);

        await using var loaded = await store.LoadAsync("uid-1", "cpu", CancellationToken.None);
        Assert.Equal([2], await ReadAll(loaded!));
    }

    [Fact]
    public async Task SaveAsync_SlashInUid_Rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => NewStore().SaveAsync("a/b", "cpu", new MemoryStream([1]), CancellationToken.None));
    }

    [Fact]
    public async Task SaveAsync_SameModelAgain_BlobNotRewrittenMemoryIs()
    {
        var names = azurite.NewNames();
        var store = new ForecasterStateStore(azurite.Blobs, azurite.Tables, names);
        var (first, sameModel, _) = States();
        await store.SaveAsync("uid-1", "cpu", new MemoryStream(first), CancellationToken.None);
        var blob = azurite.Blobs.GetBlobContainerClient(names.Container("models")).GetBlobClient("uid-1/cpu.model");
        var written = (await blob.GetPropertiesAsync()).Value.ETag;

        await store.SaveAsync("uid-1", "cpu", new MemoryStream(sameModel), CancellationToken.None);

        Assert.Equal(written, (await blob.GetPropertiesAsync()).Value.ETag);
        Assert.Equal(SeriesRecommender.ModelSectionLength(first), (int)(await blob.GetPropertiesAsync()).Value.ContentLength);
        await using var loaded = await new ForecasterStateStore(azurite.Blobs, azurite.Tables, names).LoadAsync("uid-1", "cpu", CancellationToken.None);
        Assert.Equal(sameModel, await ReadAll(loaded!));
    }

    [Fact]
    public async Task LoadAsync_AnotherInstanceRetrained_ItsModelNotTheCachedOne()
    {
        var names = azurite.NewNames();
        var mine = new ForecasterStateStore(azurite.Blobs, azurite.Tables, names);
        var other = new ForecasterStateStore(azurite.Blobs, azurite.Tables, names);
        var (first, _, retrained) = States();
        await mine.SaveAsync("uid-1", "cpu", new MemoryStream(first), CancellationToken.None);
        await using (var cached = await mine.LoadAsync("uid-1", "cpu", CancellationToken.None))
        {
            Assert.Equal(first, await ReadAll(cached!));
        }

        await other.SaveAsync("uid-1", "cpu", new MemoryStream(retrained), CancellationToken.None);

        await using var loaded = await mine.LoadAsync("uid-1", "cpu", CancellationToken.None);
        Assert.Equal(retrained, await ReadAll(loaded!));
    }

    [Fact]
    public async Task LoadAsync_ModelThisInstanceHolds_NotReadFromTheBlob()
    {
        // The blob is deleted behind the store's back: only the cache can still give the model the row names.
        var names = azurite.NewNames();
        var store = new ForecasterStateStore(azurite.Blobs, azurite.Tables, names);
        var (first, sameModel, _) = States();
        await store.SaveAsync("uid-1", "cpu", new MemoryStream(first), CancellationToken.None);
        await store.SaveAsync("uid-1", "cpu", new MemoryStream(sameModel), CancellationToken.None);
        await azurite.Blobs.GetBlobContainerClient(names.Container("models")).DeleteBlobAsync("uid-1/cpu.model");

        await using var loaded = await store.LoadAsync("uid-1", "cpu", CancellationToken.None);

        Assert.Equal(sameModel, await ReadAll(loaded!));
    }

    [Fact]
    public async Task LoadAsync_NoCache_SameBytes()
    {
        var names = azurite.NewNames();
        var (first, _, _) = States();
        await new ForecasterStateStore(azurite.Blobs, azurite.Tables, names, cachedModels: 0).SaveAsync("uid-1", "cpu", new MemoryStream(first), CancellationToken.None);

        await using var loaded = await new ForecasterStateStore(azurite.Blobs, azurite.Tables, names, cachedModels: 0).LoadAsync("uid-1", "cpu", CancellationToken.None);

        Assert.Equal(first, await ReadAll(loaded!));
    }

    [Fact]
    public async Task LoadAsync_OneBlobFromBeforeTheSplit_LoadedAsItIs()
    {
        var names = azurite.NewNames();
        var container = azurite.Blobs.GetBlobContainerClient(names.Container("models"));
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("uid-1/cpu.model").UploadAsync(new BinaryData(new byte[] { 3, 0, 0, 0, 7, 7 }));

        await using var loaded = await new ForecasterStateStore(azurite.Blobs, azurite.Tables, names).LoadAsync("uid-1", "cpu", CancellationToken.None);

        Assert.Equal([3, 0, 0, 0, 7, 7], await ReadAll(loaded!));
    }

    [Fact]
    public async Task DeleteAllAsync_Target_DeletesItsMemoryRows()
    {
        var names = azurite.NewNames();
        var store = new ForecasterStateStore(azurite.Blobs, azurite.Tables, names);
        var (first, _, _) = States();
        await store.SaveAsync("uid-1", "cpu", new MemoryStream(first), CancellationToken.None);
        await store.SaveAsync("uid-2", "cpu", new MemoryStream(first), CancellationToken.None);

        await store.DeleteAllAsync("uid-1", CancellationToken.None);

        var rows = azurite.Tables.GetTableClient(names.Table("Models")).Query<TableEntity>().Select(r => r.PartitionKey).ToList();
        Assert.Equal(["uid-2"], rows);
        Assert.Null(await store.LoadAsync("uid-1", "cpu", CancellationToken.None));
    }

    [Fact]
    public async Task SaveAllAsync_ThreeSeries_OneTableRequestAndLoadAllReadsThemInOne()
    {
        var names = azurite.NewNames();
        var requests = new RequestLog();
        var options = new TableClientOptions();
        options.AddPolicy(requests, HttpPipelinePosition.PerCall);
        var store = new ForecasterStateStore(azurite.Blobs, new TableServiceClient(azurite.ConnectionString, options), names);
        var (first, sameModel, retrained) = States();
        await store.SaveAsync("uid-0", "cpu", new MemoryStream(first), CancellationToken.None); // Creates the table.
        requests.Clear();

        await store.SaveAllAsync("uid-1", [new("cpu", first), new("memory", sameModel), new("total", retrained)], CancellationToken.None);
        var written = requests.Take();
        var loaded = await new ForecasterStateStore(azurite.Blobs, new TableServiceClient(azurite.ConnectionString, options), names)
            .LoadAllAsync("uid-1", ["cpu", "memory", "total", "replicas"], CancellationToken.None);

        Assert.Equal(["POST $batch"], written);
        Assert.Equal(["GET Models()"], requests.Take());
        Assert.Equal(["cpu", "memory", "total"], loaded.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(first, loaded["cpu"]);
        Assert.Equal(sameModel, loaded["memory"]);
        Assert.Equal(retrained, loaded["total"]);
    }

    [Fact]
    public async Task LoadAllAsync_NoTableYet_OnlyStatesFromBeforeTheSplit()
    {
        var names = azurite.NewNames();
        var container = azurite.Blobs.GetBlobContainerClient(names.Container("models"));
        await container.CreateIfNotExistsAsync();
        await container.GetBlobClient("uid-1/cpu.model").UploadAsync(new BinaryData(new byte[] { 3, 0, 0, 0, 7, 7 }));

        var loaded = await new ForecasterStateStore(azurite.Blobs, azurite.Tables, names).LoadAllAsync("uid-1", ["cpu", "memory"], CancellationToken.None);

        Assert.Equal(["cpu"], loaded.Keys);
        Assert.Equal([3, 0, 0, 0, 7, 7], loaded["cpu"]);
    }

    [Fact]
    public async Task SaveAllAsync_ThenSaveAllOfOneSeries_ReplacesOnlyThatOne()
    {
        var names = azurite.NewNames();
        var store = new ForecasterStateStore(azurite.Blobs, azurite.Tables, names);
        var (first, _, retrained) = States();
        await store.SaveAllAsync("uid-1", [new("cpu", first), new("memory", first)], CancellationToken.None);

        await store.SaveAllAsync("uid-1", [new("memory", retrained)], CancellationToken.None);

        var loaded = await store.LoadAllAsync("uid-1", ["cpu", "memory"], CancellationToken.None);
        Assert.Equal(first, loaded["cpu"]);
        Assert.Equal(retrained, loaded["memory"]);
    }

    [Fact]
    public async Task SaveAllAsync_SameSeriesTwice_Refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(
            () => NewStore().SaveAllAsync("uid-1", [new("cpu", [1]), new("cpu", [2])], CancellationToken.None));
    }

    /// <summary>The method and the last path segment of every request a client sends (a table's name ends with its own).</summary>
    private sealed class RequestLog : HttpPipelinePolicy
    {
        private readonly ConcurrentQueue<string> requests = new();

        public void Clear() => requests.Clear();

        public List<string> Take()
        {
            var taken = requests.ToList();
            requests.Clear();
            return taken;
        }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            ProcessNext(message, pipeline);
        }

        public override ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            Record(message);
            return ProcessNextAsync(message, pipeline);
        }

        private void Record(HttpMessage message)
        {
            var last = message.Request.Uri.Path.Split('/')[^1];
            // A table's name carries the test's prefix; only its own name (Models) is kept.
            requests.Enqueue($"{message.Request.Method} {(last.Contains("Models", StringComparison.Ordinal) ? last[last.IndexOf("Models", StringComparison.Ordinal)..] : last)}");
        }
    }

    /// <summary>Three states of one real recommender: after a forecast, 15 minutes later (same model), and after a retraining.</summary>
    private static (byte[] First, byte[] SameModel, byte[] Retrained) States()
    {
        var settings = new ForecastSettings { MinLookback = TimeSpan.FromHours(6), TrainingWindow = TimeSpan.FromDays(2) };
        var start = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);
        var random = new Random(7);
        var blocks = Enumerable.Range(0, 700)
            .Select(i => 10 + (3 * Math.Sin(2 * Math.PI * i / 288.0)) + random.NextDouble())
            .Select((v, i) => new UsageBlock(start.AddMinutes(5 * i), v, v * 0.8, 5))
            .ToList();
        var recommender = new SeriesRecommender(settings);
        var seen = 0;
        byte[] Next(int until)
        {
            foreach (var block in blocks.Take(until).Skip(seen))
            {
                recommender.Observe(block);
            }

            seen = until;

            recommender.Recommend();
            using var state = new MemoryStream();
            recommender.SaveState(state);
            return state.ToArray();
        }

        return (Next(600), Next(603), Next(700));
    }

    private static async Task<byte[]> ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
