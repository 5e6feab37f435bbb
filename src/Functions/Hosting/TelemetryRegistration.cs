using Azure.Core;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Thoras.Domain.Telemetry;
using Thoras.Functions.Http;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Exports the app's metrics and spans (<see cref="ThorasTelemetry"/>) through the OpenTelemetry SDK: to Azure
/// Monitor when <c>APPLICATIONINSIGHTS_CONNECTION_STRING</c> is set, over OTLP when any of the standard
/// <c>OTEL_EXPORTER_OTLP_*ENDPOINT</c> variables is set (both when both are), and not at all otherwise.
/// </summary>
public static class TelemetryRegistration
{
    /// <summary>The Application Insights connection string (the Bicep sets it).</summary>
    public const string AzureMonitorSetting = "APPLICATIONINSIGHTS_CONNECTION_STRING";

    /// <summary>How Application Insights authenticates: <c>Authorization=AAD</c>, with <c>ClientId=</c> for a user-assigned identity.</summary>
    public const string AzureMonitorAuthenticationSetting = "APPLICATIONINSIGHTS_AUTHENTICATION_STRING";

    /// <summary>The default <c>service.name</c>; <c>OTEL_SERVICE_NAME</c> overrides it.</summary>
    public const string ServiceName = "thoras-functions";

    private static readonly string[] OtlpEndpointSettings =
        ["OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_METRICS_ENDPOINT", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"];

    /// <summary>Whether any exporter is configured.</summary>
    public static bool Exports(IConfiguration configuration) => AzureMonitor(configuration) is not null || Otlp(configuration);

    public static IServiceCollection AddThorasTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var azureMonitor = AzureMonitor(configuration);
        var otlp = Otlp(configuration);
        if (azureMonitor is null && !otlp)
            return services;

        var credential = azureMonitor is null ? null : Credential(configuration[AzureMonitorAuthenticationSetting]);
        void ConfigureAzureMonitor(AzureMonitorExporterOptions o)
        {
            o.ConnectionString = azureMonitor;
            o.Credential = credential;
        }

        services.AddOpenTelemetry()
            .ConfigureResource(r =>
            {
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                    r.AddService(ServiceName, serviceVersion: HealthFunction.Version);
            })
            .WithMetrics(m =>
            {
                // ASP.NET Core's own meters give the HTTP functions' request durations (http.server.request.duration).
                m.AddMeter(ThorasTelemetry.Name, "Microsoft.AspNetCore.Hosting");
                if (otlp)
                    m.AddOtlpExporter();
                if (azureMonitor is not null)
                    m.AddAzureMonitorMetricExporter(ConfigureAzureMonitor);
            })
            .WithTracing(t =>
            {
                t.AddSource(ThorasTelemetry.Name);
                if (otlp)
                    t.AddOtlpExporter();
                if (azureMonitor is not null)
                    t.AddAzureMonitorTraceExporter(ConfigureAzureMonitor);
            });
        return services;
    }

    private static string? AzureMonitor(IConfiguration configuration) =>
        configuration[AzureMonitorSetting] is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null;

    private static bool Otlp(IConfiguration configuration) =>
        OtlpEndpointSettings.Any(s => !string.IsNullOrWhiteSpace(configuration[s]));

    /// <summary>
    /// The Entra credential for an Application Insights resource with local auth turned off, as the host reads the
    /// same setting; null (the connection string's key) when the setting does not ask for AAD.
    /// </summary>
    private static TokenCredential? Credential(string? authentication)
    {
        if (string.IsNullOrWhiteSpace(authentication))
            return null;
        var parts = authentication.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1], StringComparer.OrdinalIgnoreCase);
        if (!parts.TryGetValue("Authorization", out var kind) || !kind.Equals("AAD", StringComparison.OrdinalIgnoreCase))
            return null;
        return parts.TryGetValue("ClientId", out var clientId) && clientId.Length > 0
            ? new ManagedIdentityCredential(ManagedIdentityId.FromUserAssignedClientId(clientId))
            : new DefaultAzureCredential();
    }
}
