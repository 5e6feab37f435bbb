using System.Diagnostics;
using System.Net;
using Thoras.Infrastructure.Kubernetes.Connection;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

public sealed class RequestBudgetHandlerTests
{
    [Fact]
    public async Task Send_MoreRequestsThanTheBurst_SendsTheBurstAtOnceAndTheRestAsTokensAreAdded()
    {
        var server = new CountingHandler();
        using var client = new HttpClient(new RequestBudgetHandler(new KubernetesRequestBudget(2, 3)) { InnerHandler = server });
        var watch = Stopwatch.StartNew();

        var sent = await Task.WhenAll(Enumerable.Range(0, 5).Select(async _ =>
        {
            using var response = await client.GetAsync(new Uri("http://127.0.0.1/api"));
            return watch.Elapsed;
        }));

        var times = sent.Order().ToList();
        // The burst of 3 goes at once; at 2 per second the 4th waits about half a second and the 5th about one second.
        Assert.True(times[2] < TimeSpan.FromSeconds(0.4), $"the burst took {times[2].TotalSeconds:0.00} s");
        Assert.True(times[3] >= TimeSpan.FromSeconds(0.4), $"the 4th request went after {times[3].TotalSeconds:0.00} s");
        Assert.True(times[4] >= TimeSpan.FromSeconds(0.9), $"the 5th request went after {times[4].TotalSeconds:0.00} s");
        Assert.Equal(5, server.Count);
    }

    [Theory]
    [InlineData(50, 100, 1, 50, 100)]
    [InlineData(50, 100, 4, 12.5, 25)]
    [InlineData(200, 400, 3, 66.67, 133)]
    public void ForInstance_FleetBudgetSplitOverInstances_GivesEachItsShare(double qps, int burst, int instances, double expectedQps, int expectedBurst)
    {
        var options = new KubernetesOptions { RequestsPerSecond = qps, RequestBurst = burst, BudgetInstances = instances };

        var budget = KubernetesRequestBudget.ForInstance(options);

        Assert.Equal(expectedQps, budget.RequestsPerSecond, 2);
        Assert.Equal(expectedBurst, budget.Burst);
    }

    [Theory]
    [InlineData(50)]
    [InlineData(12.5)]
    [InlineData(0.5)]
    public void Period_AnyRate_AddsUpToTheRate(double qps)
    {
        var budget = new KubernetesRequestBudget(qps, 10);

        Assert.Equal(qps, budget.TokensPerPeriod / budget.Period.TotalSeconds, 6);
    }

    private sealed class CountingHandler : HttpMessageHandler
    {
        private int count;

        public int Count => Volatile.Read(ref count);

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref count);
            return Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));
        }
    }
}
