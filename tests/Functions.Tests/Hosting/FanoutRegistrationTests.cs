using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Thoras.Functions.Hosting;
using Thoras.Infrastructure.Storage;
using Thoras.Infrastructure.Storage.Queues;
using Xunit;

namespace Thoras.Functions.Tests.Hosting;

public sealed class FanoutRegistrationTests
{
    [Fact]
    public void AddThorasFanout_QueueSettings_NameTheQueues()
    {
        using var host = Host(("ForecastQueue", "acme-forecast"));

        var names = host.Services.GetRequiredService<WorkQueueNames>();

        Assert.Equal(new WorkQueueNames("thoras-collect", "acme-forecast", "thoras-apply"), names);
    }

    [Theory]
    [InlineData("Fanout:BatchSize", "0", "Fanout__BatchSize must be from 1 to 250")]
    [InlineData("Fanout:BatchSize", "251", "Fanout__BatchSize must be from 1 to 250")]
    [InlineData("Fanout:BatchTimeBudget", "00:10:00", "Fanout__BatchTimeBudget must be positive and under the 10 minutes")]
    public async Task AddThorasFanout_InvalidSetting_HostStartFailsNamingTheSetting(string key, string value, string message)
    {
        using var host = Host((key, value));

        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => host.StartAsync());

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    private static IHost Host(params (string Key, string Value)[] settings) => new HostBuilder()
        .ConfigureAppConfiguration(c => c.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value))))
        .ConfigureServices((context, s) => s
            .Configure<StorageOptions>(o => o.ConnectionString = "UseDevelopmentStorage=true")
            .AddThorasFanout(context.Configuration))
        .Build();
}
