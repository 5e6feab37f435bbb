using Thoras.Domain.Enrollment;
using Thoras.Domain.Fleet;
using Thoras.Domain.Targets;
using Thoras.Domain.Tests.Targets;
using Xunit;

namespace Thoras.Domain.Tests.Fleet;

public sealed class ProvisioningEstimateTests
{
    private static readonly NodePrices Prices = new(CoreHour: 0.04, GiBHour: 0.005, Currency: "USD");

    private static ResourceAmounts Amounts(string cpu, string memory) => new() { Cpu = Quantity.Parse(cpu), Memory = Quantity.Parse(memory) };

    private static WorkloadPod Pod(string name, string cpu, string memory) =>
        new(name, "uid-" + name, new Dictionary<string, string>(), "Running", DateTimeOffset.UnixEpoch, false, [new ContainerResources("app", Amounts(cpu, memory), new ResourceAmounts())]);

    private static ResolvedTarget Resolved(TargetSpec spec, IReadOnlyList<WorkloadPod> pods, int replicas, params HorizontalAutoscaler[] hpas)
    {
        var target = new AIScaleTarget(new TargetMetadata { Namespace = "shop", Name = "web", Uid = "u1" }, spec, new TargetStatus());
        var workload = new Workload("Deployment", "web", "w1", replicas, new Dictionary<string, string>(), new Dictionary<string, string>(),
            [new ContainerResources("app", Amounts("1", "2Gi"), new ResourceAmounts())]);
        return new ResolvedTarget(target, workload, ASpec.Selector(), pods, hpas, []);
    }

    private static Suggestion Vertical(string cpu, string memory, bool enough = true) => new()
    {
        HasEnoughDataToScale = enough,
        ResourceRecommendations = [new ResourceRecommendation { ContainerName = "app", Requests = Amounts(cpu, memory) }],
    };

    private static HorizontalAutoscaler Hpa(int min) => new("web", min, 10, new Dictionary<string, string>(), "1");

    [Fact]
    public void Of_RecommendationPodsOnControllerSpecAboveSuggestion_CountsTheExcessAsWaste()
    {
        var resolved = Resolved(ASpec.VerticalDeployment(), [Pod("a", "1", "2Gi"), Pod("b", "1", "2Gi")], 2);

        var estimate = ProvisioningEstimate.Of(resolved, Vertical("250m", "1Gi"), null, Prices);

        Assert.Equal(1.5, estimate.Waste.Cores, 6);
        Assert.Equal(2, estimate.Waste.GiB, 6);
        Assert.Equal(Capacity.Zero, estimate.Saving);
        Assert.Equal((1.5 * 0.04) + (2 * 0.005), estimate.WastePerHour, 9);
    }

    [Fact]
    public void Of_AutonomousSuggestionApplied_CountsTheControllerSpecExcessAsSaving()
    {
        var resolved = Resolved(ASpec.VerticalDeployment(TargetMode.Autonomous), [Pod("a", "250m", "1Gi"), Pod("b", "250m", "1Gi")], 2);

        var estimate = ProvisioningEstimate.Of(resolved, Vertical("250m", "1Gi"), null, Prices);

        Assert.Equal(Capacity.Zero, estimate.Waste);
        Assert.Equal(1.5, estimate.Saving.Cores, 6);
        Assert.Equal(2, estimate.Saving.GiB, 6);
        Assert.Equal((1.5 * 0.04) + (2 * 0.005), estimate.SavingPerHour, 9);
    }

    [Fact]
    public void Of_SuggestionWithoutEnoughData_CountsNoWaste()
    {
        var resolved = Resolved(ASpec.VerticalDeployment(), [Pod("a", "1", "2Gi")], 1);

        var estimate = ProvisioningEstimate.Of(resolved, Vertical("100m", "128Mi", enough: false), null, Prices);

        Assert.Equal(Capacity.Zero, estimate.Waste);
    }

    [Fact]
    public void Of_SuggestionAboveRequests_CountsNoNegativeWaste()
    {
        var resolved = Resolved(ASpec.VerticalDeployment(), [Pod("a", "1", "2Gi")], 1);

        var estimate = ProvisioningEstimate.Of(resolved, Vertical("2", "4Gi"), null, Prices);

        Assert.Equal(Capacity.Zero, estimate.Waste);
        Assert.Equal(0, estimate.WastePerHour);
    }

    [Fact]
    public void Of_HorizontalFloorAboveSuggestedReplicas_CountsTheHeldPodsAsWaste()
    {
        var resolved = Resolved(ASpec.HorizontalDeployment(), [Pod("a", "500m", "1Gi"), Pod("b", "500m", "1Gi"), Pod("c", "500m", "1Gi")], 3, Hpa(3));

        var estimate = ProvisioningEstimate.Of(resolved, new Suggestion { HasEnoughDataToScale = true, SuggestedReplicas = 1 }, null, Prices);

        Assert.Equal(1, estimate.Waste.Cores, 6);
        Assert.Equal(2, estimate.Waste.GiB, 6);
    }

    [Fact]
    public void Of_HorizontalFloorLoweredBelowTheOriginal_CountsTheReleasedPodsAsSaving()
    {
        var resolved = Resolved(ASpec.HorizontalDeployment(TargetMode.Autonomous), [Pod("a", "500m", "1Gi"), Pod("b", "500m", "1Gi"), Pod("c", "500m", "1Gi"), Pod("d", "500m", "1Gi")], 4, Hpa(2));
        var baseline = new HorizontalBaseline("web", 4, 2, "s1", DateTimeOffset.UnixEpoch);

        var estimate = ProvisioningEstimate.Of(resolved, new Suggestion { HasEnoughDataToScale = true, SuggestedReplicas = 2 }, baseline, Prices);

        Assert.Equal(Capacity.Zero, estimate.Waste);
        Assert.Equal(1, estimate.Saving.Cores, 6);
        Assert.Equal(2, estimate.Saving.GiB, 6);
    }

    [Fact]
    public void Of_TwoHpas_CountsNothingHorizontally()
    {
        var resolved = Resolved(ASpec.HorizontalDeployment(), [Pod("a", "500m", "1Gi")], 3, Hpa(3), Hpa(3));

        var estimate = ProvisioningEstimate.Of(resolved, new Suggestion { HasEnoughDataToScale = true, SuggestedReplicas = 1 }, null, Prices);

        Assert.Equal(Capacity.Zero, estimate.Waste);
    }

    [Fact]
    public void PerHour_DefaultPrices_AreTheStatedOpenCostFigures()
    {
        var perHour = NodePrices.Default.PerHour(new Capacity(1, 1));

        Assert.Equal(0.031611 + 0.004237, perHour, 9);
    }
}
