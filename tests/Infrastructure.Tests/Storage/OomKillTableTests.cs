using Thoras.Domain.Apply;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class OomKillTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 3, 15, 12, 0, 0, TimeSpan.Zero);

    private static OomKill Kill(string pod, DateTimeOffset until) => new(pod, 1, new OomFloor("app", Quantity.Parse("308Mi"), until));

    [Fact]
    public async Task ListHoldingAsync_KillsOfSeveralTargets_OnlyFloorsStillHoldingByTarget()
    {
        var table = new OomKillTable(azurite.Tables, azurite.NewNames());
        await table.RecordAsync("uid-a", Kill("pod-1", Now.AddMinutes(30)), CancellationToken.None);
        await table.RecordAsync("uid-a", Kill("pod-2", Now.AddMinutes(-1)), CancellationToken.None);
        await table.RecordAsync("uid-b", Kill("pod-3", Now.AddHours(1)), CancellationToken.None);
        await table.RecordAsync("uid-c", Kill("pod-4", Now.AddHours(-2)), CancellationToken.None);

        var holding = await table.ListHoldingAsync(Now, CancellationToken.None);

        Assert.Equal(["uid-a", "uid-b"], holding.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("pod-1", Assert.Single(holding["uid-a"]).PodUid);
        Assert.Equal(2, (await table.ListAsync("uid-a", CancellationToken.None)).Count);
    }

    [Fact]
    public async Task ListHoldingAsync_NoTableYet_Empty()
    {
        var table = new OomKillTable(azurite.Tables, azurite.NewNames());

        Assert.Empty(await table.ListHoldingAsync(Now, CancellationToken.None));
    }
}
