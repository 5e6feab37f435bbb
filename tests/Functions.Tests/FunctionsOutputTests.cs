using System.Text.Json;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Functions.Tests;

/// <summary>The Functions build output is what the Azure Functions host loads: these files must be there.</summary>
public sealed class FunctionsOutputTests
{
    private static string OutputDirectory()
    {
        var configuration = AppContext.BaseDirectory.Contains("/Release/", StringComparison.Ordinal) ? "Release" : "Debug";
        return Path.Combine(AzuriteProcess.FindRepositoryRoot(), "src", "Functions", "bin", configuration, "net10.0");
    }

    [Theory]
    [InlineData("functions.metadata")]
    [InlineData("host.json")]
    [InlineData("worker.config.json")]
    public void Build_FunctionsProject_ProducesHostFiles(string file)
    {
        Assert.True(File.Exists(Path.Combine(OutputDirectory(), file)), $"{file} is missing from {OutputDirectory()}");
    }

    [Fact]
    public void Build_FunctionsProject_ShipsTheBundledDashboardItServes()
    {
        var dashboard = Path.Combine(OutputDirectory(), "dashboard");
        var index = Path.Combine(dashboard, "index.html");

        Assert.True(File.Exists(index), $"the dashboard is missing from {dashboard}: ./build.sh bundles src/Dashboard before dotnet build");
        var script = System.Text.RegularExpressions.Regex.Match(File.ReadAllText(index), "src=\"(app-[A-Z0-9]{8}\\.js)\"").Groups[1].Value;
        Assert.True(File.Exists(Path.Combine(dashboard, script)), $"index.html names '{script}', which is not in {dashboard}");
    }

    [Fact]
    public void FunctionsMetadata_HealthFunction_IsAnonymousGetOnHealthRoute()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory(), "functions.metadata")));

        var health = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Health");
        var trigger = health.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "httpTrigger");

        Assert.Equal("health", trigger.GetProperty("route").GetString());
        Assert.Equal("Anonymous", trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void FunctionsMetadata_HousekeepingFunction_ScheduleComesFromTheHousekeepingScheduleSetting()
    {
        using var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(OutputDirectory(), "functions.metadata")));

        var housekeeping = metadata.RootElement.EnumerateArray().Single(f => f.GetProperty("name").GetString() == "Housekeeping");
        var trigger = housekeeping.GetProperty("bindings").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "timerTrigger");

        Assert.Equal("%HousekeepingSchedule%", trigger.GetProperty("schedule").GetString());
    }
}
