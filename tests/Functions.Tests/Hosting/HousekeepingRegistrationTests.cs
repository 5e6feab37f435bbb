using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Thoras.Domain.Housekeeping;
using Thoras.Functions.Hosting;
using Xunit;

namespace Thoras.Functions.Tests.Hosting;

public sealed class HousekeepingRegistrationTests
{
    [Theory]
    [InlineData("Housekeeping:UsageRetention", "00:00:00", "Housekeeping__UsageRetention must be positive")]
    [InlineData("Housekeeping:UsageRetention", "-1.00:00:00", "Housekeeping__UsageRetention must be positive")]
    [InlineData("Housekeeping:SuggestionRetention", "00:00:00", "Housekeeping__SuggestionRetention must be positive")]
    public async Task AddThorasHousekeeping_NonPositiveRetention_HostStartFailsNamingTheSetting(string key, string value, string expected)
    {
        using var host = Host(key, value);

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddThorasHousekeeping_Durations_BoundFromSettings()
    {
        using var host = Host("Housekeeping:SuggestionRetention", "7.00:00:00");

        var options = host.Services.GetRequiredService<HousekeepingOptions>();

        Assert.Equal((TimeSpan.FromDays(14), TimeSpan.FromDays(7)), (options.UsageRetention, options.SuggestionRetention));
    }

    private static IHost Host(string key, string value) => new HostBuilder()
        .ConfigureAppConfiguration(c => c.AddInMemoryCollection([new(key, value)]))
        .ConfigureServices((context, s) => s.AddThorasHousekeeping(context.Configuration))
        .Build();
}
