using Azure.Data.Tables;
using Thoras.Domain.Forecasting;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class UsageTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 15, 0, 0, 0, TimeSpan.Zero);

    private StorageNames names = null!;

    private UsageTable NewTable()
    {
        names = azurite.NewNames();
        return new UsageTable(azurite.Tables, names);
    }

    private static List<UsageBlock> Blocks(int count, double value = 1) =>
        Enumerable.Range(0, count).Select(i => new UsageBlock(Start.AddMinutes(5 * i), value + i, value, 5)).ToList();

    [Fact]
    public async Task ListAsync_MoreThanOneTransaction_AllBlocksInOrder()
    {
        var table = NewTable();
        var blocks = Blocks(250);

        await table.AppendAsync("uid-1", "pod:cpu", blocks, CancellationToken.None);
        var listed = await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None);

        Assert.Equal(blocks, listed);
    }

    [Fact]
    public async Task ListAsync_SeveralDays_AllBlocksInOrderFromSince()
    {
        var table = NewTable();
        var blocks = Blocks(3 * 288 + 7);

        await table.AppendAsync("uid-1", "pod:cpu", blocks, CancellationToken.None);
        var listed = await table.ListAsync("uid-1", "pod:cpu", Start.AddHours(30), CancellationToken.None);

        Assert.Equal(blocks.Where(b => b.Start >= Start.AddHours(30)), listed);
    }

    [Fact]
    public async Task ListAsync_DaysAsFewEntities_OnePerSeriesAndDay()
    {
        var table = NewTable();

        await table.AppendAsync("uid-1", "pod:cpu", Blocks(2 * 288), CancellationToken.None);

        var rows = await azurite.Tables.GetTableClient(names.Table("Usage")).QueryAsync<TableEntity>(e => e.PartitionKey == "uid-1").ToListAsync();
        Assert.Equal(2, rows.Count);
    }

    [Fact]
    public async Task AppendAsync_ConcurrentWritersOfOneDay_NoBlockLost()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(1), CancellationToken.None);

        await Task.WhenAll(Enumerable.Range(1, 6).Select(i =>
            table.AppendAsync("uid-1", "pod:cpu", [new UsageBlock(Start.AddMinutes(5 * i), i, i, 1)], CancellationToken.None)));

        Assert.Equal(7, (await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ListAsync_LegacyRowPerBlock_ReadAndKeptWhenItsDayIsWritten()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:memory", Blocks(1), CancellationToken.None);
        var client = azurite.Tables.GetTableClient(names.Table("Usage"));
        foreach (var at in new[] { Start, Start.AddMinutes(5) })
        {
            await client.AddEntityAsync(new TableEntity("uid-1", "pod:cpu|" + at.UtcTicks.ToString("D19", System.Globalization.CultureInfo.InvariantCulture))
            {
                ["Series"] = "pod:cpu", ["Start"] = at, ["Max"] = 4.0, ["Mean"] = 3.0, ["Count"] = 2,
            });
        }

        var legacy = await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None);
        await table.AppendAsync("uid-1", "pod:cpu", [new UsageBlock(Start.AddMinutes(10), 5, 5, 1)], CancellationToken.None);
        var merged = await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None);

        Assert.Equal([new UsageBlock(Start, 4, 3, 2), new UsageBlock(Start.AddMinutes(5), 4, 3, 2)], legacy);
        Assert.Equal([Start, Start.AddMinutes(5), Start.AddMinutes(10)], merged.Select(b => b.Start));
    }

    [Fact]
    public async Task ListAsync_Since_OnlyLaterBlocksOfThatSeries()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(10), CancellationToken.None);
        await table.AppendAsync("uid-1", "pod:memory", Blocks(10, 100), CancellationToken.None);

        var listed = await table.ListAsync("uid-1", "pod:cpu", Start.AddMinutes(40), CancellationToken.None);

        Assert.Equal([9.0, 10.0], listed.Select(b => b.Max));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentFirstWrites_AllStored()
    {
        var table = NewTable();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => table.AppendAsync($"uid-{i}", "pod:cpu", Blocks(3, i), CancellationToken.None)));

        foreach (var i in Enumerable.Range(0, 8))
            Assert.Equal(Blocks(3, i), await table.ListAsync($"uid-{i}", "pod:cpu", Start, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_AfterACancelledFirstWrite_Stored()
    {
        var table = NewTable();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => table.AppendAsync("uid-1", "pod:cpu", Blocks(1), new CancellationToken(canceled: true)));

        await table.AppendAsync("uid-1", "pod:cpu", Blocks(2), CancellationToken.None);

        Assert.Equal(Blocks(2), await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_SameBlockAgain_Replaces()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(1), CancellationToken.None);

        await table.AppendAsync("uid-1", "pod:cpu", [new UsageBlock(Start, 7, 6, 3)], CancellationToken.None);

        Assert.Equal(new UsageBlock(Start, 7, 6, 3), Assert.Single(await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None)));
    }

    [Fact]
    public async Task PruneAsync_Before_DeletesOlderBlocksOfEverySeries()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(150), CancellationToken.None);
        await table.AppendAsync("uid-1", "pod:memory", Blocks(5), CancellationToken.None);

        var deleted = await table.PruneAsync("uid-1", Start.AddMinutes(5 * 120), CancellationToken.None);

        Assert.Equal(125, deleted);
        Assert.Equal(30, (await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None)).Count);
        Assert.Empty(await table.ListAsync("uid-1", "pod:memory", Start, CancellationToken.None));
    }

    [Fact]
    public async Task PruneAsync_BlockStartingAtTheCutoff_IsKept()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(3), CancellationToken.None);

        var deleted = await table.PruneAsync("uid-1", Start.AddMinutes(5), CancellationToken.None);

        Assert.Equal(1, deleted);
        Assert.Equal([Start.AddMinutes(5), Start.AddMinutes(10)], (await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None)).Select(b => b.Start));
    }

    [Fact]
    public async Task PruneAsync_TwoTargets_OtherTargetKept()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(3), CancellationToken.None);
        await table.AppendAsync("uid-2", "pod:cpu", Blocks(3), CancellationToken.None);

        await table.PruneAsync("uid-1", Start.AddDays(1), CancellationToken.None);

        Assert.Equal(3, (await table.ListAsync("uid-2", "pod:cpu", Start, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task PruneAsync_NoTableYet_DeletesNothing()
    {
        Assert.Equal(0, await NewTable().PruneAsync("uid-1", Start, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAllAsync_Target_OtherTargetsKept()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(120), CancellationToken.None);
        await table.AppendAsync("uid-2", "pod:cpu", Blocks(3), CancellationToken.None);

        await table.DeleteAllAsync("uid-1", CancellationToken.None);

        Assert.Empty(await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None));
        Assert.Equal(3, (await table.ListAsync("uid-2", "pod:cpu", Start, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ListAsync_NothingEverStored_Empty()
    {
        Assert.Empty(await NewTable().ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None));
    }

    [Fact]
    public async Task AppendAsync_SlashInSeries_Rejected()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => NewTable().AppendAsync("uid-1", "pod/cpu", Blocks(1), CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_SeveralSeries_EachItsOwnBlocksInOneRead()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(3), CancellationToken.None);
        await table.AppendAsync("uid-1", "pod:memory", Blocks(2, 100), CancellationToken.None);
        await table.AppendAsync("uid-1", "total:cpu", Blocks(4, 7), CancellationToken.None);

        var read = await table.ListAsync("uid-1", ["pod:cpu", "pod:memory", "container:none:cpu"], Start.AddMinutes(5), CancellationToken.None);

        Assert.Equal((2, 1, 0), (read["pod:cpu"].Count, read["pod:memory"].Count, read["container:none:cpu"].Count));
        Assert.Equal(101, read["pod:memory"][0].Max);
    }

    [Fact]
    public async Task ListAsync_MoreSeriesThanOneFilterHolds_ReadsThemAll()
    {
        var table = NewTable();
        var series = Enumerable.Range(0, 9).Select(i => $"container:c{i}:cpu").ToList();
        foreach (var name in series)
            await table.AppendAsync("uid-1", name, Blocks(1), CancellationToken.None);

        var read = await table.ListAsync("uid-1", series, Start, CancellationToken.None);

        Assert.All(series, s => Assert.Single(read[s]));
    }

    [Fact]
    public async Task FoldAsync_EverySeries_FoldsIntoTheStoredBlockOrStartsOne()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", [new UsageBlock(Start, 4, 2, 2)], CancellationToken.None);

        await table.FoldAsync("uid-1", Start, new Dictionary<string, Func<UsageBlock?, UsageBlock>>
        {
            ["pod:cpu"] = b => new UsageBlock(Start, Math.Max(b!.Value.Max, 6), 3, b.Value.Count + 1),
            ["pod:memory"] = b => new UsageBlock(Start, b is null ? 1 : -1, 1, 1),
        }, CancellationToken.None);

        var read = await table.ListAsync("uid-1", ["pod:cpu", "pod:memory"], Start, CancellationToken.None);
        Assert.Equal(new UsageBlock(Start, 6, 3, 3), read["pod:cpu"].Single());
        Assert.Equal(new UsageBlock(Start, 1, 1, 1), read["pod:memory"].Single());
    }

    [Fact]
    public async Task FoldAsync_ConcurrentWriters_NoSampleLost()
    {
        var table = NewTable();

        await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => table.FoldAsync("uid-1", Start, new Dictionary<string, Func<UsageBlock?, UsageBlock>>
        {
            ["pod:cpu"] = b => new UsageBlock(Start, 1, 1, (b?.Count ?? 0) + 1),
            ["pod:memory"] = b => new UsageBlock(Start, 1, 1, (b?.Count ?? 0) + 1),
        }, CancellationToken.None)));

        var read = await table.ListAsync("uid-1", ["pod:cpu", "pod:memory"], Start, CancellationToken.None);
        Assert.Equal((6, 6), (read["pod:cpu"].Single().Count, read["pod:memory"].Single().Count));
    }

    [Fact]
    public async Task FoldAsync_LaterBlockOfTheDay_KeepsTheEarlierBlocks()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", "pod:cpu", Blocks(2), CancellationToken.None);

        await table.FoldAsync("uid-1", Start.AddMinutes(10), new Dictionary<string, Func<UsageBlock?, UsageBlock>>
        {
            ["pod:cpu"] = _ => new UsageBlock(Start.AddMinutes(10), 9, 9, 1),
        }, CancellationToken.None);

        Assert.Equal([1.0, 2.0, 9.0], (await table.ListAsync("uid-1", "pod:cpu", Start, CancellationToken.None)).Select(b => b.Max));
    }
}
