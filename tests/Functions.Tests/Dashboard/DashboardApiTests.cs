using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Enrollment;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Targets;
using Thoras.Functions.Dashboard;
using Thoras.Functions.Forecasting;
using Thoras.Functions.Http;
using Xunit;

namespace Thoras.Functions.Tests.Dashboard;

/// <summary>The API the dashboard adds: the usage history and the fleet view, over mocked cluster and store ports.</summary>
public sealed class DashboardApiTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 2, 12, 0, 0, TimeSpan.Zero);
    private static readonly TargetKey Key = new("shop", "web");

    private readonly Mock<ITargetCluster> _cluster = new();
    private readonly Mock<IUsageStore> _usage = new();
    private readonly Mock<IEnrollmentStore> _store = new();
    private readonly AIScaleTarget _target = new(
        new TargetMetadata { Namespace = "shop", Name = "web", Uid = "uid-1" },
        new TargetSpec { ScaleTargetRef = new ScaleTargetRef { ApiVersion = "apps/v1", Kind = "Deployment", Name = "web" }, Vertical = new VerticalSpec { Mode = TargetMode.Recommendation } },
        new TargetStatus
        {
            LatestSuggestion = new Suggestion
            {
                SuggestionUID = "s1",
                Start = Now,
                End = Now.AddMinutes(15),
                HasEnoughDataToScale = true,
                ResourceRecommendations = [new ResourceRecommendation { ContainerName = "app", Requests = Amounts("250m", "1Gi") }],
            },
        });

    public DashboardApiTests()
    {
        _cluster.Setup(c => c.GetAsync(Key, It.IsAny<CancellationToken>())).ReturnsAsync(_target);
        _cluster.Setup(c => c.ListAsync(It.IsAny<IReadOnlyCollection<string>>(), It.IsAny<CancellationToken>())).ReturnsAsync(new TargetListing([_target], []));
        _cluster.Setup(c => c.ResolveAsync(_target, It.IsAny<CancellationToken>())).ReturnsAsync(new ResolvedTarget(
            _target,
            new Workload("Deployment", "web", "w1", 2, new Dictionary<string, string>(), new Dictionary<string, string>(), [new ContainerResources("app", Amounts("1", "2Gi"), new ResourceAmounts())]),
            new LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
            [Pod("a"), Pod("b")],
            [],
            []));
        _store.Setup(s => s.ListAsync(It.IsAny<CancellationToken>())).ReturnsAsync([]);
        _usage.Setup(u => u.ListAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>())).ReturnsAsync([]);
    }

    private static ResourceAmounts Amounts(string cpu, string memory) => new() { Cpu = Quantity.Parse(cpu), Memory = Quantity.Parse(memory) };

    private static WorkloadPod Pod(string name) =>
        new(name, "uid-" + name, new Dictionary<string, string>(), "Running", Now.AddHours(-1), false, [new ContainerResources("app", Amounts("1", "2Gi"), new ResourceAmounts())]);

    private UsageHistoryFunction Usage() => new(_cluster.Object, _usage.Object, new FakeTimeProvider(Now));

    private static HttpRequest Get(string path, string query = "")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "GET";
        context.Request.Path = path;
        context.Request.QueryString = new QueryString(query);
        return context.Request;
    }

    [Fact]
    public async Task Usage_NoRange_ReturnsTheLastDayPerContainerAndResourceThenReplicas()
    {
        _usage.Setup(u => u.ListAsync("uid-1", "container:app:cpu", Now.AddDays(-1), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new UsageBlock(Now.AddMinutes(-10), 0.4, 0.3, 5)]);

        var result = Assert.IsType<OkObjectResult>(await Usage().Run(Get("/api/targets/shop/web/usage"), "shop", "web", CancellationToken.None));

        var body = Assert.IsType<UsageHistoryResponse>(result.Value);
        Assert.Equal(Now.AddDays(-1), body.From);
        Assert.Equal(Now, body.To);
        Assert.Equal(300, body.BlockSeconds);
        Assert.Equal(["container:app:cpu", "container:app:memory", "replicas"], body.Series.Select(s => s.Name));
        Assert.Equal(0.4, Assert.Single(body.Series[0].Blocks).Max);
        Assert.Equal("bytes", body.Series[1].Unit);
    }

    [Fact]
    public async Task Usage_BlocksAtOrAfterTo_AreLeftOut()
    {
        var to = Now.AddHours(-1);
        _usage.Setup(u => u.ListAsync("uid-1", "container:app:cpu", to.AddDays(-1), It.IsAny<CancellationToken>()))
            .ReturnsAsync([new UsageBlock(to.AddMinutes(-5), 0.4, 0.3, 5), new UsageBlock(to, 0.9, 0.9, 5)]);

        var result = Assert.IsType<OkObjectResult>(await Usage().Run(Get("/api/targets/shop/web/usage", "?to=2026-06-02T11:00:00Z"), "shop", "web", CancellationToken.None));

        var cpu = Assert.IsType<UsageHistoryResponse>(result.Value).Series[0];
        Assert.Equal(to.AddMinutes(-5), Assert.Single(cpu.Blocks).Start);
    }

    [Theory]
    [InlineData("?from=yesterday", "Invalid from")]
    [InlineData("?from=2026-06-02T10:00:00", "Invalid from")]
    [InlineData("?to=2026-06-02", "Invalid to")]
    [InlineData("?from=2026-06-02T12:00:00Z&to=2026-06-02T11:00:00Z", "Invalid range")]
    [InlineData("?from=2026-04-01T00:00:00Z&to=2026-06-02T00:00:00Z", "Invalid range")]
    public async Task Usage_BadRange_Answers400WithoutReading(string query, string title)
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Usage().Run(Get("/api/targets/shop/web/usage", query), "shop", "web", CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
        Assert.Equal(title, problem.Title);
        _usage.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task Usage_UnknownTarget_Answers404()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Usage().Run(Get("/api/targets/shop/gone/usage"), "shop", "gone", CancellationToken.None));

        Assert.Equal(StatusCodes.Status404NotFound, problem.Status);
    }

    [Fact]
    public async Task Usage_InvalidNamespace_Answers400()
    {
        var problem = await Assert.ThrowsAsync<ProblemException>(() => Usage().Run(Get("/api/targets/Shop/web/usage"), "Shop", "web", CancellationToken.None));

        Assert.Equal(StatusCodes.Status400BadRequest, problem.Status);
    }

    [Fact]
    public async Task Fleet_RecommendationTargetAboveItsSuggestion_RowShowsRequestsAndPricedWaste()
    {
        var options = new DashboardOptions { ClusterName = "prod", CoreHourPrice = 0.04, GiBHourPrice = 0.005, Currency = "EUR" };
        var function = new FleetFunction(new FleetView(_cluster.Object, _store.Object, options, NullLogger<FleetView>.Instance), options, new Callers(new AuthOptions()), new FakeTimeProvider(Now));

        var result = Assert.IsType<OkObjectResult>(await function.List(Get("/api/fleet"), CancellationToken.None));

        var fleet = Assert.IsType<FleetResponse>(result.Value);
        Assert.Equal("prod", fleet.Cluster);
        Assert.Equal("api", fleet.Caller);
        var row = Assert.Single(fleet.Targets);
        var container = Assert.Single(row.Containers);
        Assert.Equal("1", container.Spec!.Cpu);
        Assert.Equal("2Gi", container.Running!.Memory);
        Assert.Equal("250m", container.Suggested!.Cpu);
        Assert.True(container.RunningUniform);
        // Two pods, each 0.75 cores and 1 GiB above the suggestion, for 730 hours.
        Assert.Equal(((1.5 * 0.04) + (2 * 0.005)) * 730, row.Estimate!.WastePerMonth, 6);
        Assert.Equal(row.Estimate.WastePerMonth, fleet.Totals.WastePerMonth, 6);
        Assert.Equal(0, fleet.Totals.Autonomous);
    }

    [Fact]
    public async Task FleetTarget_Unknown_Answers404()
    {
        var options = new DashboardOptions { ClusterName = "prod" };
        var function = new FleetFunction(new FleetView(_cluster.Object, _store.Object, options, NullLogger<FleetView>.Instance), options, new Callers(new AuthOptions()), new FakeTimeProvider(Now));

        var problem = await Assert.ThrowsAsync<ProblemException>(() => function.Target(Get("/api/fleet/shop/gone"), "shop", "gone", CancellationToken.None));

        Assert.Equal(StatusCodes.Status404NotFound, problem.Status);
    }

    [Fact]
    public async Task FleetTarget_WorkloadUnreadable_RowSaysWhyInsteadOfFailing()
    {
        _cluster.Setup(c => c.ResolveAsync(_target, It.IsAny<CancellationToken>())).ThrowsAsync(new HttpRequestException("connection refused"));
        var options = new DashboardOptions { ClusterName = "prod" };
        var function = new FleetFunction(new FleetView(_cluster.Object, _store.Object, options, NullLogger<FleetView>.Instance), options, new Callers(new AuthOptions()), new FakeTimeProvider(Now));

        var result = Assert.IsType<OkObjectResult>(await function.Target(Get("/api/fleet/shop/web"), "shop", "web", CancellationToken.None));

        var row = Assert.IsType<FleetRow>(result.Value);
        Assert.Contains("connection refused", row.Error, StringComparison.Ordinal);
        Assert.Null(row.Estimate);
    }
}
