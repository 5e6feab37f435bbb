using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Thoras.Domain.Recommendation;
using Thoras.Domain.Suggestions;
using Thoras.Functions.Hosting;
using Xunit;

namespace Thoras.Functions.Tests.Hosting;

public sealed class PipelineRegistrationTests
{
    [Fact]
    public async Task AddThorasPipeline_ForecastParallelismAndBudget_Bound()
    {
        using var host = Host(("Forecast:MaxParallelTargets", "3"), ("Forecast:TargetTimeBudget", "00:00:05"));

        await host.StartAsync();

        var options = host.Services.GetRequiredService<ForecastOptions>();
        Assert.Equal((3, TimeSpan.FromSeconds(5)), (options.MaxParallelTargets, options.TargetTimeBudget));
        await host.StopAsync();
    }

    [Theory]
    [InlineData("Forecast:MaxParallelTargets", "0", "Forecast__MaxParallelTargets must be at least 1.")]
    [InlineData("Forecast:TargetTimeBudget", "00:00:00", "Forecast__TargetTimeBudget must be positive.")]
    [InlineData("Forecast:TargetTimeBudget", "-00:00:05", "Forecast__TargetTimeBudget must be positive.")]
    public async Task AddThorasPipeline_InvalidForecastSetting_HostStartFailsNamingTheSetting(string key, string value, string message)
    {
        using var host = Host((key, value));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddThorasPipeline_CollectBlockSet_HostStartFailsSayingBlocksAreFiveMinutes()
    {
        using var host = Host(("Collect:Block", "00:01:00"));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains("Collect__Block is not a setting", error.Message, StringComparison.Ordinal);
    }

    private static IHost Host(params (string Key, string Value)[] settings) => new HostBuilder()
        .ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))))
        .ConfigureServices((context, s) => s.AddThorasPipeline(context.Configuration))
        .Build();
}
