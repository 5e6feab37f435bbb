using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class SuggestionHistoryTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Start = new(2026, 3, 15, 0, 0, 0, TimeSpan.Zero);

    private SuggestionHistoryTable NewTable() => new(azurite.Tables, azurite.NewNames());

    private static SuggestionRecord Record(int minutes, string cpu = "250m") => new(
        Start.AddMinutes(minutes),
        new Suggestion
        {
            SuggestionUID = $"s{minutes}",
            Start = Start.AddMinutes(minutes),
            End = Start.AddMinutes(minutes + 15),
            HasEnoughDataToScale = true,
            ResourceRecommendations = [new ResourceRecommendation { ContainerName = "app", Requests = new ResourceAmounts { Cpu = Quantity.Parse(cpu) } }],
        },
        false,
        "recommendation mode");

    [Fact]
    public async Task ListAsync_SeveralRecords_NewestFirstWithinLimit()
    {
        var table = NewTable();
        foreach (var minutes in new[] { 0, 10, 5 })
            await table.AppendAsync("uid-1", Record(minutes), CancellationToken.None);

        var listed = await table.ListAsync("uid-1", 2, CancellationToken.None);

        Assert.Equal(["s10", "s5"], listed.Select(r => r.Suggestion.SuggestionUID));
    }

    [Fact]
    public async Task AppendAsync_ConcurrentFirstWrites_AllStored()
    {
        var table = NewTable();

        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => table.AppendAsync($"uid-{i}", Record(i), CancellationToken.None)));

        foreach (var i in Enumerable.Range(0, 8))
            Assert.Equal($"s{i}", Assert.Single(await table.ListAsync($"uid-{i}", 10, CancellationToken.None)).Suggestion.SuggestionUID);
    }

    [Fact]
    public async Task ListAsync_Record_RoundTripsSuggestionAndReason()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", Record(0, cpu: "375m"), CancellationToken.None);

        var record = Assert.Single(await table.ListAsync("uid-1", 10, CancellationToken.None));

        Assert.Equal((Quantity.Parse("375m"), "recommendation mode", false), (record.Suggestion.ResourceRecommendations![0].Requests!.Cpu!.Value, record.Reason, record.ExpectedToApply));
    }

    [Fact]
    public async Task DeleteAllAsync_TwoTargets_DeletesOnlyThatTarget()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", Record(0), CancellationToken.None);
        await table.AppendAsync("uid-2", Record(0), CancellationToken.None);

        await table.DeleteAllAsync("uid-1", CancellationToken.None);

        Assert.Equal((0, 1), ((await table.ListAsync("uid-1", 10, CancellationToken.None)).Count, (await table.ListAsync("uid-2", 10, CancellationToken.None)).Count));
    }

    [Fact]
    public async Task PruneAsync_MoreThanOneTransaction_DeletesOnlyOlderRecords()
    {
        var table = NewTable();
        for (var minutes = 0; minutes < 130; minutes++)
            await table.AppendAsync("uid-1", Record(minutes), CancellationToken.None);

        var deleted = await table.PruneAsync("uid-1", Start.AddMinutes(120), CancellationToken.None);

        Assert.Equal(120, deleted);
        Assert.Equal(Enumerable.Range(120, 10).Reverse().Select(m => $"s{m}"), (await table.ListAsync("uid-1", 1000, CancellationToken.None)).Select(r => r.Suggestion.SuggestionUID));
    }

    [Fact]
    public async Task PruneAsync_TwoTargets_OtherTargetKept()
    {
        var table = NewTable();
        await table.AppendAsync("uid-1", Record(0), CancellationToken.None);
        await table.AppendAsync("uid-2", Record(0), CancellationToken.None);

        var deleted = await table.PruneAsync("uid-1", Start.AddMinutes(1), CancellationToken.None);

        Assert.Equal((1, 0, 1), (deleted, (await table.ListAsync("uid-1", 10, CancellationToken.None)).Count, (await table.ListAsync("uid-2", 10, CancellationToken.None)).Count));
    }

    [Fact]
    public async Task PruneAsync_NoTableYet_DeletesNothing()
    {
        Assert.Equal(0, await NewTable().PruneAsync("uid-1", Start, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_NoTableYet_Empty()
    {
        Assert.Empty(await NewTable().ListAsync("uid-1", 10, CancellationToken.None));
    }
}
