using k8s;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;
using Thoras.Functions.Tests.Http;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Pause;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Functions.Forecasting;
using Thoras.Functions.Http;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Functions.Tests.Forecasting;

/// <summary>Collection and forecasting against the sandbox (real HTTP, trace-driven pods) and Azurite, on a moved clock.</summary>
public sealed class PipelineIntegrationTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly string CpuSeries = UsageSeries.Container("app", UsageSeries.Cpu);

    [Fact]
    public async Task Collect_TraceDrivenPod_StoresItsPodMetricsAsTheCurrentBlock()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("recommendation");
        world.Time.Advance(TimeSpan.FromMinutes(3));
        var metrics = await world.Client.GetKubernetesPodsMetricsByNamespaceAsync(PipelineWorld.Namespace);
        var cpu = (double)Assert.Single(metrics.Items).Containers.Single().Usage["cpu"].ToDecimal();

        await world.Collect.RunOnceAsync(CancellationToken.None);

        var block = Assert.Single(await world.Usage.ListAsync(target.Metadata.Uid, CpuSeries, PipelineWorld.Start, CancellationToken.None));
        Assert.Equal((PipelineWorld.Start, 1), (block.Start, block.Count));
        Assert.Equal(cpu, block.Max, 6);
        Assert.Equal(cpu, (await world.Usage.ListAsync(target.Metadata.Uid, UsageSeries.Total(UsageSeries.Cpu), PipelineWorld.Start, CancellationToken.None)).Single().Max, 6);
    }

    [Fact]
    public async Task Collect_PodYoungerThanWarmup_IsSkipped()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("observation");
        world.Time.Advance(TimeSpan.FromMinutes(3));
        await world.ScaleAsync(2);

        var pass = await world.Collect.RunOnceAsync(CancellationToken.None);

        Assert.Equal((1, 1), (pass.Targets.Single().PodsMeasured, pass.Targets.Single().PodsSkipped));
        Assert.Equal(1, (await world.Usage.ListAsync(target.Metadata.Uid, UsageSeries.Replicas, PipelineWorld.Start, CancellationToken.None)).Single().Max);
    }

    [Fact]
    public async Task Collect_SecondTickInSameBlock_FoldsIntoOneBlock()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("recommendation");
        world.Time.Advance(TimeSpan.FromMinutes(2));
        await world.Collect.RunOnceAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromMinutes(1));

        await world.Collect.RunOnceAsync(CancellationToken.None);

        Assert.Equal(2, Assert.Single(await world.Usage.ListAsync(target.Metadata.Uid, CpuSeries, PipelineWorld.Start, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task Forecast_EnoughHistory_PublishesSuggestionToStatusAndHistory()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("recommendation");
        await world.SeedHistoryAsync(target, hours: 24);

        await world.Forecast.RunOnceAsync(CancellationToken.None);

        var latest = (await world.StatusAsync()).LatestSuggestion!;
        var recommendation = Assert.Single(latest.ResourceRecommendations!);
        Assert.True(latest.HasEnoughDataToScale);
        Assert.Equal("app", recommendation.ContainerName);
        Assert.InRange(recommendation.Requests!.Cpu!.Value.ToDouble(), 0.1, 0.5);
        var record = Assert.Single(await world.History.ListAsync(target.Metadata.Uid, 10, CancellationToken.None));
        Assert.Equal((latest.SuggestionUID, false), (record.Suggestion.SuggestionUID, record.ExpectedToApply));
        Assert.StartsWith("recommendation mode", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Forecast_Published_StatusIsReadyResolved()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("recommendation");
        await world.SeedHistoryAsync(target, hours: 24);

        await world.Forecast.RunOnceAsync(CancellationToken.None);

        var ready = (await world.StatusAsync()).Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.True, TargetConditionReasons.Resolved), (ready.Status, ready.Reason));
    }

    [Fact]
    public async Task Forecast_WorkloadMissing_StatusIsReadyFalseWorkloadNotFound()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.CreateVerticalTargetAsync("recommendation");

        var pass = await world.Forecast.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.Failed, pass.Targets.Single().Outcome);
        var ready = (await world.StatusAsync()).Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.False, TargetConditionReasons.WorkloadNotFound), (ready.Status, ready.Reason));
    }

    [Fact]
    public async Task Forecast_ApiServerHangs_FailsWhenItsBudgetRunsOutAndSaysSoInStatus()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        await world.CreateVerticalTargetAsync("recommendation");
        world.Sandbox.Faults.HangNext("GET", $"/apis/apps/v1/namespaces/{PipelineWorld.Namespace}/deployments", duration: TimeSpan.FromSeconds(60));

        var running = world.Forecast.RunOnceAsync(CancellationToken.None);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (!running.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            world.Time.Advance(TimeSpan.FromSeconds(1));
            await Task.Delay(20);
        }

        var result = (await running).Targets.Single();
        Assert.Equal((ForecastOutcome.Failed, "it took longer than its time budget of 20 s"), (result.Outcome, result.Detail));
        var ready = (await world.StatusAsync()).Condition(TargetConditionTypes.Ready)!;
        Assert.Equal((ConditionStatus.False, TargetConditionReasons.ForecastFailed), (ready.Status, ready.Reason));
    }

    [Fact]
    public async Task Forecast_SecondTickWithinInterval_PublishesNothingNew()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("recommendation");
        await world.SeedHistoryAsync(target, hours: 24);
        await world.Forecast.RunOnceAsync(CancellationToken.None);
        var first = (await world.StatusAsync()).LatestSuggestion!.SuggestionUID;
        world.Time.Advance(TimeSpan.FromMinutes(3));

        var pass = await world.Forecast.RunOnceAsync(CancellationToken.None);

        Assert.Equal(ForecastOutcome.NotDue, pass.Targets.Single().Outcome);
        Assert.Equal(first, (await world.StatusAsync()).LatestSuggestion!.SuggestionUID);
        Assert.Single(await world.History.ListAsync(target.Metadata.Uid, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Forecast_NextInterval_ReusesSavedModelWithoutRetraining()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("recommendation");
        await world.SeedHistoryAsync(target, hours: 24);
        var first = await world.Forecast.RunOnceAsync(CancellationToken.None);
        await using (var saved = await world.Models.LoadAsync(target.Metadata.Uid, CpuSeries, CancellationToken.None))
        {
            Assert.NotNull(saved);
        }

        world.Time.Advance(TimeSpan.FromMinutes(5));

        var second = await world.Forecast.RunOnceAsync(CancellationToken.None);

        Assert.Equal((false, true), (first.Targets.Single().Series[0].LoadedState, first.Targets.Single().Series[0].Retrained));
        var cpu = second.Targets.Single().Series.Single(s => s.Series == CpuSeries);
        // No new usage came in, so the forecast publishes the same values: the held suggestion stands (no status write,
        // no second history record); before writes of what changed, every forecast published a new one.
        Assert.Equal((ForecastOutcome.Held, true, false), (second.Targets.Single().Outcome, cpu.LoadedState, cpu.Retrained));
        Assert.Single(await world.History.ListAsync(target.Metadata.Uid, 10, CancellationToken.None));
    }

    [Fact]
    public async Task Forecast_AutonomousWhilePaused_PublishesAndRecordsPauseAsReason()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("autonomous");
        await world.SeedHistoryAsync(target, hours: 24);
        await world.Services.GetRequiredService<PauseService>().PauseAsync("tester", "maintenance", CancellationToken.None);

        await world.Forecast.RunOnceAsync(CancellationToken.None);

        var record = Assert.Single(await world.History.ListAsync(target.Metadata.Uid, 10, CancellationToken.None));
        Assert.Equal((true, false), (record.Suggestion.HasEnoughDataToScale, record.ExpectedToApply));
        Assert.StartsWith("paused by manual", record.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HistoryEndpoint_PublishedSuggestions_NewestFirstWithinLimit()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        var target = await world.CreateVerticalTargetAsync("recommendation");
        await world.SeedHistoryAsync(target, hours: 24);
        await world.Forecast.RunOnceAsync(CancellationToken.None);
        world.Time.Advance(TimeSpan.FromMinutes(5));
        await world.Forecast.RunOnceAsync(CancellationToken.None);
        var latest = (await world.StatusAsync()).LatestSuggestion!.SuggestionUID;

        var result = await Endpoint(world).Run(Request("?limit=1"), PipelineWorld.Namespace, "web");

        var body = Assert.IsType<SuggestionHistoryResponse>(Assert.IsType<OkObjectResult>(result).Value);
        Assert.Equal(latest, Assert.Single(body.Suggestions).Suggestion.SuggestionUID);
    }

    [Fact]
    public async Task HistoryEndpoint_UnknownTarget_Returns404()
    {
        await using var world = await PipelineWorld.StartAsync(azurite);

        var missing = await Assert.ThrowsAsync<TargetNotFoundException>(() => Endpoint(world).Run(Request(string.Empty), PipelineWorld.Namespace, "nope"));

        Assert.Equal(404, ProblemMap.Of(missing)!.Status);
    }

    [Theory]
    [InlineData("?limit=0", "web")]
    [InlineData("?limit=abc", "web")]
    [InlineData("", "Not_A_Name")]
    public async Task HistoryEndpoint_BadLimitOrName_Returns400(string query, string name)
    {
        await using var world = await PipelineWorld.StartAsync(azurite);

        var problem = await ProblemAssert.ThrowsAsync(() => Endpoint(world).Run(Request(query), PipelineWorld.Namespace, name));

        Assert.Equal(400, problem.Status);
    }

    private static SuggestionHistoryFunction Endpoint(PipelineWorld world) =>
        ActivatorUtilities.CreateInstance<SuggestionHistoryFunction>(world.Services);

    private static HttpRequest Request(string query)
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.QueryString = new QueryString(query.Length == 0 ? null : query);
        return context.Request;
    }
}
