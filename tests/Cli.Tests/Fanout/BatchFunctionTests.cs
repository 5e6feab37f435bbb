using Microsoft.Extensions.DependencyInjection;
using Thoras.Domain.Audit;
using Thoras.Domain.Fanout;
using Thoras.Infrastructure.Storage.Queues;
using Xunit;

namespace Thoras.Cli.Tests.Fanout;

/// <summary>The queue-triggered batch functions as the local host runs them, against the sandbox and Azurite.</summary>
public sealed class BatchFunctionTests(FanoutHostFixture host) : IClassFixture<FanoutHostFixture>
{
    [Fact]
    public async Task ApplyBatch_DeliveredTwice_AppliesOnce()
    {
        var (ns, uid) = await host.NewTargetAsync();
        var suggestion = await host.PublishAsync(ns, uid, "400m");
        var batch = new TargetBatch { Stage = BatchStage.Apply, Tick = DateTimeOffset.UtcNow, Targets = [new BatchTarget(ns, "web", uid, suggestion)] };
        var audit = host.Services.GetRequiredService<IAuditLog>();

        await host.SendAsync(host.Queues.Apply, batch);
        await FanoutHostFixture.UntilAsync(async () => (await audit.ListAsync(new AuditQuery { TargetUid = uid }, CancellationToken.None)).Any(r => r.Action == "apply-vertical"));
        await host.SendAsync(host.Queues.Apply, batch);
        await FanoutHostFixture.UntilAsync(async () => (await (await host.QueueAsync(host.Queues.Apply)).PeekMessagesAsync()).Value.Length == 0);
        // The second delivery has been taken; give it time to finish before counting.
        await Task.Delay(TimeSpan.FromSeconds(3));

        var applied = (await audit.ListAsync(new AuditQuery { TargetUid = uid }, CancellationToken.None)).Where(r => r.Action == "apply-vertical").ToList();
        Assert.Single(applied);
        Assert.Contains(suggestion, applied[0].Current, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApplyBatch_FailsOnEveryDelivery_EndsInThePoisonQueueWithTheTargetsConditionSet()
    {
        var (ns, uid) = await host.NewTargetAsync();
        var suggestion = await host.PublishAsync(ns, uid, "400m");
        // Listing the namespace's targets fails every time: the batch can never be applied.
        host.Sandbox.Faults.FailNext("GET", $"/apis/thoras.ai/v1/namespaces/{ns}/aiscaletargets", count: 1000, statusCode: 500);
        try
        {
            await host.SendAsync(host.Queues.Apply, new TargetBatch { Stage = BatchStage.Apply, Tick = DateTimeOffset.UtcNow, Targets = [new BatchTarget(ns, "web", uid, suggestion)] });

            await FanoutHostFixture.UntilAsync(async () => (await host.ConditionAsync(ns, "Scaling"))?["reason"]?.GetValue<string>() == PoisonedBatches.Reason);
        }
        finally
        {
            host.Sandbox.Faults.Clear();
        }

        var condition = (await host.ConditionAsync(ns, "Scaling"))!;
        Assert.Contains(WorkQueueNames.PoisonOf(host.Queues.Apply), condition["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty((await (await host.QueueAsync(host.Queues.Apply)).PeekMessagesAsync()).Value);
    }
}
