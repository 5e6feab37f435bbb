using Microsoft.Extensions.DependencyInjection;
using Thoras.Domain.Audit;
using Thoras.Infrastructure.Storage.Queues;
using Xunit;

namespace Thoras.Cli.Tests.Fanout;

/// <summary>
/// The whole fan-out as the local host runs it: the forecast and apply timers enqueue batches on Azurite's queues, two
/// queue workers per function run them through the stages, and the sandbox's targets get suggestions, then resizes.
/// </summary>
public sealed class FanoutEndToEndTests(FanoutHostFixture host) : IClassFixture<FanoutHostFixture>
{
    [Fact]
    public async Task ForecastThenApplyTimers_TargetsInTwoNamespaces_EveryTargetPublishedAndAppliedThroughTheQueues()
    {
        var targets = new[] { await host.NewTargetAsync(), await host.NewTargetAsync() };
        foreach (var (_, uid) in targets)
            await host.StoreUsageAsync(uid, days: 2);
        var audit = host.Services.GetRequiredService<IAuditLog>();

        // Generous waits: the first forecast trains four models, and on a loaded 2-core machine the chain of queue hops,
        // training and resizes has taken over two minutes.
        await host.RunTimerAsync("Forecast");
        await FanoutHostFixture.UntilAsync(async () => (await Task.WhenAll(targets.Select(t => host.LatestSuggestionAsync(t.Namespace)))).All(s => s is not null), seconds: 300);
        var suggestions = await Task.WhenAll(targets.Select(t => host.LatestSuggestionAsync(t.Namespace)));
        await host.RunTimerAsync("Apply");
        await FanoutHostFixture.UntilAsync(async () => (await Task.WhenAll(targets.Select(t => AppliedAsync(audit, t.Uid)))).All(a => a.Count > 0), seconds: 300);

        for (var i = 0; i < targets.Length; i++)
            Assert.Contains(suggestions[i]!, Assert.Single(await AppliedAsync(audit, targets[i].Uid)).Current, StringComparison.Ordinal);
        foreach (var queue in new[] { host.Queues.Forecast, host.Queues.Apply, WorkQueueNames.PoisonOf(host.Queues.Forecast), WorkQueueNames.PoisonOf(host.Queues.Apply) })
            Assert.Empty((await (await host.QueueAsync(queue)).PeekMessagesAsync()).Value);
    }

    private static async Task<List<AuditRecord>> AppliedAsync(IAuditLog audit, string uid) =>
        [.. (await audit.ListAsync(new AuditQuery { TargetUid = uid }, CancellationToken.None)).Where(r => r.Action == "apply-vertical")];
}
