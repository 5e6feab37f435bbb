using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Thoras.Functions.Dashboard;

namespace Thoras.Functions.Hosting;

/// <summary>
/// Registers the dashboard: its options (section <c>Dashboard</c>, validated on start), the built assets it serves, and
/// the fleet view the fleet table reads. Needs the targets and the enrollment store registered.
/// </summary>
public static class DashboardRegistration
{
    public static IServiceCollection AddThorasDashboard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DashboardOptions>()
            .Bind(configuration.GetSection(DashboardOptions.SectionName))
            .PostConfigure(o => o.ClusterName = string.IsNullOrWhiteSpace(o.ClusterName) ? DefaultClusterName(configuration) : o.ClusterName.Trim())
            .Validate(o => o.CoreHourPrice >= 0 && double.IsFinite(o.CoreHourPrice), "Dashboard__CoreHourPrice must be a number of at least 0.")
            .Validate(o => o.GiBHourPrice >= 0 && double.IsFinite(o.GiBHourPrice), "Dashboard__GiBHourPrice must be a number of at least 0.")
            .Validate(o => o.Currency is { Length: > 0 and <= 8 }, "Dashboard__Currency must be 1 to 8 characters, such as USD or EUR.")
            .Validate(o => o.ClusterName is { Length: <= 100 }, "Dashboard__ClusterName must be at most 100 characters.")
            .ValidateOnStart();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<DashboardOptions>>().Value);
        services.AddSingleton(sp => new DashboardAssets(sp.GetRequiredService<DashboardOptions>().AssetsPath));
        services.AddSingleton<FleetView>();
        return services;
    }

    private static string DefaultClusterName(IConfiguration configuration)
    {
        if (Uri.TryCreate(configuration["Kubernetes:ClusterUrl"], UriKind.Absolute, out var url))
        {
            return url.Host;
        }

        return configuration["Kubernetes:Context"] is { Length: > 0 } context ? context : "kubernetes";
    }
}
