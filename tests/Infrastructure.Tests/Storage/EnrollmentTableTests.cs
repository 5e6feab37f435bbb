using Thoras.Domain.Enrollment;
using Thoras.Domain.Targets;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class EnrollmentTableTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 8, 0, 0, TimeSpan.Zero);
    private static readonly TargetKey Web = new("shop", "web");

    private EnrollmentTable NewStore() => new(azurite.Tables, azurite.NewNames());

    private static EnrolledTarget Record(string uid = "uid-1") => new() { Key = Web, Uid = uid, EnrolledAt = Now };

    private static ResourceAmounts Amounts(string cpu, string memory) => new() { Cpu = Quantity.Parse(cpu), Memory = Quantity.Parse(memory) };

    [Fact]
    public async Task SaveAsync_NewRecordWithBaselines_RoundTripsEveryField()
    {
        var store = NewStore();
        var record = Record() with
        {
            VerticalMode = TargetMode.Autonomous,
            HorizontalMode = TargetMode.Observation,
            Vertical = new VerticalBaseline("s-1", Now, [new ContainerResources("web", Amounts("500m", "512Mi"), Amounts("1", "1Gi"))], ["pod-uid-a"]),
            Horizontal = new HorizontalBaseline("web", null, 4, "s-1", Now),
            Unenroll = new UnenrollProgress("alice", Now, ["revert"]),
        };

        var saved = await store.SaveAsync(record, CancellationToken.None);
        var read = await store.GetAsync(Web, CancellationToken.None);

        Assert.NotNull(saved.ETag);
        Assert.NotNull(read);
        Assert.Equal(saved.ETag, read.ETag);
        Assert.Equal(TargetMode.Autonomous, read.VerticalMode);
        Assert.Equal(TargetMode.Observation, read.HorizontalMode);
        Assert.Equal("512Mi", read.Vertical!.ControllerSpec[0].Requests.Memory!.ToString());
        Assert.Equal(["pod-uid-a"], read.Vertical.DonePods);
        Assert.Equal(record.Horizontal, read.Horizontal);
        Assert.Equal(["revert"], read.Unenroll!.CompletedSteps);
    }

    [Fact]
    public async Task SaveAsync_StaleETag_ThrowsConflictAndKeepsTheWinner()
    {
        var store = NewStore();
        var first = await store.SaveAsync(Record(), CancellationToken.None);
        await store.SaveAsync(first with { VerticalMode = TargetMode.Autonomous }, CancellationToken.None);

        await Assert.ThrowsAsync<EnrollmentConflictException>(() =>
            store.SaveAsync(first with { HorizontalMode = TargetMode.Autonomous }, CancellationToken.None));

        var read = await store.GetAsync(Web, CancellationToken.None);
        Assert.Equal(TargetMode.Autonomous, read!.VerticalMode);
        Assert.Equal(TargetMode.Recommendation, read.HorizontalMode);
    }

    [Fact]
    public async Task SaveAsync_CreateWhenExists_ThrowsConflict()
    {
        var store = NewStore();
        await store.SaveAsync(Record("uid-1"), CancellationToken.None);

        await Assert.ThrowsAsync<EnrollmentConflictException>(() => store.SaveAsync(Record("uid-2"), CancellationToken.None));

        Assert.Equal("uid-1", (await store.GetAsync(Web, CancellationToken.None))!.Uid);
    }

    [Fact]
    public async Task DeleteAsync_OtherUid_KeepsRecord()
    {
        var store = NewStore();
        await store.SaveAsync(Record("uid-new"), CancellationToken.None);

        await store.DeleteAsync(Web, "uid-old", CancellationToken.None);

        Assert.NotNull(await store.GetAsync(Web, CancellationToken.None));
    }

    [Fact]
    public async Task DeleteAsync_SameUidTwice_RemovesOnceWithoutError()
    {
        var store = NewStore();
        await store.SaveAsync(Record(), CancellationToken.None);

        await store.DeleteAsync(Web, "uid-1", CancellationToken.None);
        await store.DeleteAsync(Web, "uid-1", CancellationToken.None);

        Assert.Null(await store.GetAsync(Web, CancellationToken.None));
    }

    [Fact]
    public async Task ListAsync_SeveralNamespaces_OrderedByNamespaceAndName()
    {
        var store = NewStore();
        await store.SaveAsync(Record() with { Key = new TargetKey("b", "x") }, CancellationToken.None);
        await store.SaveAsync(Record() with { Key = new TargetKey("a", "z") }, CancellationToken.None);
        await store.SaveAsync(Record() with { Key = new TargetKey("a", "y") }, CancellationToken.None);

        var listed = await store.ListAsync(CancellationToken.None);

        Assert.Equal(["a/y", "a/z", "b/x"], listed.Select(r => r.Key.ToString()));
    }

    [Fact]
    public async Task GetAsync_NoTable_ReturnsNull()
    {
        Assert.Null(await NewStore().GetAsync(Web, CancellationToken.None));
    }
}
