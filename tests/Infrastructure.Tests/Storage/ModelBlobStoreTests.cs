using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class ModelBlobStoreTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private ModelBlobStore NewStore() => new(azurite.Blobs, azurite.NewNames());

    [Fact]
    public async Task LoadAsync_Saved_SameBytes()
    {
        var store = NewStore();
        await store.SaveAsync("uid-1", "cpu", new MemoryStream([1, 2, 3]), CancellationToken.None);

        await using var loaded = await store.LoadAsync("uid-1", "cpu", CancellationToken.None);

        Assert.Equal([1, 2, 3], await ReadAll(loaded!));
    }

    [Fact]
    public async Task SaveAsync_ConcurrentFirstSaves_AllStored()
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
    public async Task SaveAsync_SlashInUid_Rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => NewStore().SaveAsync("a/b", "cpu", new MemoryStream([1]), CancellationToken.None));
    }

    private static async Task<byte[]> ReadAll(Stream stream)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer);
        return buffer.ToArray();
    }
}
