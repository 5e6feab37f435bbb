using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using Thoras.Domain.Pause;
using Thoras.Domain.Sync;
using Thoras.Functions.Sync;
using Thoras.Functions.Tests.Pause;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Functions.Tests.Sync;

public sealed class SyncFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static Mock<ISyncStep> Step(string name, Exception? failure = null)
    {
        var step = new Mock<ISyncStep>();
        step.SetupGet(s => s.Name).Returns(name);
        if (failure is null)
        {
            step.Setup(s => s.RunAsync(It.IsAny<CancellationToken>())).ReturnsAsync(name + " done");
        }
        else
        {
            step.Setup(s => s.RunAsync(It.IsAny<CancellationToken>())).ThrowsAsync(failure);
        }

        return step;
    }

    [Fact]
    public async Task RunStepsAsync_OneStepFails_TheOthersStillRun()
    {
        var first = Step("first");
        var broken = Step("broken", new InvalidOperationException("cluster unreachable"));
        var last = Step("last");
        var sync = new SyncFunction([first.Object, broken.Object, last.Object], NullLogger<SyncFunction>.Instance);

        var results = await sync.RunStepsAsync(CancellationToken.None);

        Assert.Equal([("first", true), ("broken", false), ("last", true)], results.Select(r => (r.Step, r.Succeeded)));
        Assert.Equal("cluster unreachable", results[1].Summary);
        last.Verify(s => s.RunAsync(It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task RunStepsAsync_WindowEndsWhileAppWasDown_NextTickRemovesOnlyItsHolder()
    {
        var h = new PauseHarness(azurite);
        await h.Service.CreateWindowAsync(MaintenanceWindow.Define("now", "30 11 * * *", TimeSpan.FromHours(1), "UTC", "patching", true, "alice", PauseHarness.Now), CancellationToken.None);
        h.Time.Advance(TimeSpan.FromMinutes(1));
        await h.Service.PauseAsync("alice", "freeze", CancellationToken.None);
        var sync = new SyncFunction([new AppSettingPauseSyncStep(h.Service), new MaintenanceWindowSyncStep(h.Service)], NullLogger<SyncFunction>.Instance);

        h.Time.Advance(TimeSpan.FromHours(5));
        var results = await sync.RunStepsAsync(CancellationToken.None);

        Assert.All(results, r => Assert.True(r.Succeeded));
        Assert.Equal(["manual"], (await h.Table.ReadAsync(CancellationToken.None)).Holders.Keys);
        var records = await h.AuditRecordsAsync();
        Assert.Equal(["pause", "window-create", "window-end", "window-start"], records.Select(r => r.Action).Order());
        Assert.Equal(("window-end", PauseHarness.Now.AddHours(5).AddMinutes(1)), (records[0].Action, records[0].At));
    }
}
