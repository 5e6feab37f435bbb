using Thoras.Domain.Fleet;

namespace Thoras.Functions.Dashboard;

/// <summary>
/// The dashboard's settings, bound from the <c>Dashboard</c> section (app settings <c>Dashboard__*</c>).
/// </summary>
/// <example>
/// <c>Dashboard__ClusterName=prod-westeurope</c>, <c>Dashboard__CoreHourPrice=0.0456</c>,
/// <c>Dashboard__GiBHourPrice=0.0061</c>, <c>Dashboard__Currency=EUR</c>.
/// </example>
public sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>
    /// The cluster's name in the dashboard header. Default: the host of <c>Kubernetes__ClusterUrl</c>, else the
    /// kubeconfig context (<c>Kubernetes__Context</c>), else <c>kubernetes</c>. <c>infra/bicep</c> sets the AKS cluster's name.
    /// </summary>
    public string? ClusterName { get; set; }

    /// <summary>The price of one requested CPU core for an hour. Default: <see cref="NodePrices.DefaultCoreHour"/> (0.031611).</summary>
    public double CoreHourPrice { get; set; } = NodePrices.DefaultCoreHour;

    /// <summary>The price of one requested GiB of memory for an hour. Default: <see cref="NodePrices.DefaultGiBHour"/> (0.004237).</summary>
    public double GiBHourPrice { get; set; } = NodePrices.DefaultGiBHour;

    /// <summary>The currency of the prices, shown beside every figure. Default: <c>USD</c>.</summary>
    public string Currency { get; set; } = NodePrices.DefaultCurrency;

    /// <summary>The folder holding the built dashboard (<c>index.html</c> and its assets). Default: <c>dashboard</c> beside the app.</summary>
    public string AssetsPath { get; set; } = Path.Combine(AppContext.BaseDirectory, "dashboard");

    /// <summary>The prices as the estimate uses them.</summary>
    public NodePrices Prices => new(CoreHourPrice, GiBHourPrice, Currency);
}
