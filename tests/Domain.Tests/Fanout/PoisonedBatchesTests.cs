using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Audit;
using Thoras.Domain.Fanout;
using Thoras.Domain.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Fanout;

public sealed class PoisonedBatchesTests
{
    private static readonly DateTimeOffset Tick = new(2026, 5, 1, 10, 5, 0, TimeSpan.Zero);
    private readonly Mock<ITargetCluster> cluster = new();
    private readonly Mock<IAuditLog> audit = new();
    private readonly List<TargetStatus> written = [];
    private readonly List<AuditRecord> appended = [];

    public PoisonedBatchesTests()
    {
        cluster.Setup(c => c.UpdateStatusAsync(It.IsAny<TargetKey>(), It.IsAny<string>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((TargetKey _, string _, Func<TargetStatus, TargetStatus> change, CancellationToken _) =>
            {
                var status = change(new TargetStatus());
                written.Add(status);
                return status;
            });
        audit.Setup(a => a.ListAsync(It.IsAny<AuditQuery>(), It.IsAny<CancellationToken>())).ReturnsAsync(() => appended.ToList());
        audit.Setup(a => a.AppendAsync(It.IsAny<AuditRecord>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((AuditRecord r, CancellationToken _) =>
            {
                appended.Add(r);
                return r;
            });
    }

    [Theory]
    [InlineData(BatchStage.Forecast, TargetConditionTypes.Ready)]
    [InlineData(BatchStage.Collect, TargetConditionTypes.Ready)]
    [InlineData(BatchStage.Apply, TargetConditionTypes.Scaling)]
    public async Task Record_PoisonedBatch_SetsTheStagesConditionToBatchPoisoned(BatchStage stage, string conditionType)
    {
        await Recorder().RecordAsync(Batch(stage), "thoras-x-poison", CancellationToken.None);

        var condition = Assert.Single(Assert.Single(written).Conditions!);
        Assert.Equal((conditionType, ConditionStatus.False, PoisonedBatches.Reason), (condition.Type, condition.Status, condition.Reason));
        Assert.Contains("thoras-x-poison", condition.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Record_PoisonedBatch_AuditsEachTargetWithTheBatch()
    {
        await Recorder().RecordAsync(Batch(BatchStage.Apply), "thoras-apply-poison", CancellationToken.None);

        var record = Assert.Single(appended);
        Assert.Equal((PoisonedBatches.AuditAction, "shop/cart", "u-1", "apply 2026-05-01T10:05:00Z 1/1"), (record.Action, record.Subject, record.TargetUid, record.Current));
    }

    [Fact]
    public async Task Record_SameBatchDeliveredTwice_AuditsOnce()
    {
        var recorder = Recorder();

        await recorder.RecordAsync(Batch(BatchStage.Forecast), "thoras-forecast-poison", CancellationToken.None);
        await recorder.RecordAsync(Batch(BatchStage.Forecast), "thoras-forecast-poison", CancellationToken.None);

        Assert.Single(appended);
    }

    [Fact]
    public async Task Record_TargetGone_SkipsItWithoutAuditing()
    {
        cluster.Setup(c => c.UpdateStatusAsync(It.IsAny<TargetKey>(), It.IsAny<string>(), It.IsAny<Func<TargetStatus, TargetStatus>>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new TargetNotFoundException(new TargetKey("shop", "cart"), "u-1"));

        var recorded = await Recorder().RecordAsync(Batch(BatchStage.Apply), "thoras-apply-poison", CancellationToken.None);

        Assert.Equal(0, recorded);
        Assert.Empty(appended);
    }

    private PoisonedBatches Recorder() => new(cluster.Object, audit.Object, new FakeTimeProvider(Tick.AddMinutes(3)));

    private static TargetBatch Batch(BatchStage stage) => new() { Stage = stage, Tick = Tick, Targets = [new BatchTarget("shop", "cart", "u-1")] };
}
