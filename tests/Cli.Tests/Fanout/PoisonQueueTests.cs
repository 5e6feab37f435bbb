using Microsoft.Extensions.DependencyInjection;
using Thoras.Domain.Audit;
using Thoras.Domain.Fanout;
using Thoras.Infrastructure.Storage.Queues;
using Xunit;

namespace Thoras.Cli.Tests.Fanout;

/// <summary>The poison queues' functions as the local host runs them, against the sandbox and Azurite.</summary>
public sealed class PoisonQueueTests(FanoutHostFixture host) : IClassFixture<FanoutHostFixture>
{
    [Fact]
    public async Task PoisonedApplyBatch_OnThePoisonQueue_SetsScalingBatchPoisonedAndAuditsOnce()
    {
        var (ns, uid) = await host.NewTargetAsync();
        var batch = new TargetBatch { Stage = BatchStage.Apply, Tick = DateTimeOffset.UtcNow.AddMinutes(-1), Targets = [new BatchTarget(ns, "web", uid, "s-1")] };

        await host.SendAsync(WorkQueueNames.PoisonOf(host.Queues.Apply), batch);

        await FanoutHostFixture.UntilAsync(async () => (await host.ConditionAsync(ns, "Scaling"))?["reason"]?.GetValue<string>() == PoisonedBatches.Reason);
        var condition = (await host.ConditionAsync(ns, "Scaling"))!;
        Assert.Equal("False", condition["status"]!.GetValue<string>());
        Assert.Contains(WorkQueueNames.PoisonOf(host.Queues.Apply), condition["message"]!.GetValue<string>(), StringComparison.Ordinal);
        var audit = host.Services.GetRequiredService<IAuditLog>();
        // The condition is written first, the audit record right after it.
        await FanoutHostFixture.UntilAsync(async () => (await audit.ListAsync(new AuditQuery { TargetUid = uid }, CancellationToken.None)).Count > 0);
        var records = await audit.ListAsync(new AuditQuery { TargetUid = uid }, CancellationToken.None);
        Assert.Equal(PoisonedBatches.AuditAction, Assert.Single(records).Action);
    }
}
