using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Thoras.Functions.Hosting;
using Xunit;

namespace Thoras.Functions.Tests.Hosting;

public sealed class TelemetryRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings) =>
        new ServiceCollection()
            .AddThorasTelemetry(new ConfigurationBuilder().AddInMemoryCollection(settings).Build())
            .BuildServiceProvider();

    [Fact]
    public void AddThorasTelemetry_NothingConfigured_StartsNoExport()
    {
        using var services = Build([]);

        Assert.Null(services.GetService<MeterProvider>());
        Assert.Null(services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:4318")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:4318/v1/traces")]
    [InlineData(TelemetryRegistration.AzureMonitorSetting, "InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=http://127.0.0.1:9/")]
    public void AddThorasTelemetry_AnExporterConfigured_ExportsMetricsAndTraces(string setting, string value)
    {
        using var services = Build(new() { [setting] = value });

        Assert.NotNull(services.GetService<MeterProvider>());
        Assert.NotNull(services.GetService<TracerProvider>());
    }
}
