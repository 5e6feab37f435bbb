namespace Thoras.Domain.Fleet;

/// <summary>
/// What requested capacity costs: a price per CPU core-hour and per GiB-hour of memory, in one currency. The defaults
/// are the on-demand figures OpenCost and Kubecost price a node with when no cloud bill is connected
/// (0.031611 per core-hour, 0.004237 per GiB-hour, USD); set the real ones for your nodes.
/// </summary>
/// <param name="CoreHour">The price of one requested CPU core for one hour. Default: <see cref="DefaultCoreHour"/>.</param>
/// <param name="GiBHour">The price of one requested GiB of memory for one hour. Default: <see cref="DefaultGiBHour"/>.</param>
/// <param name="Currency">The currency the prices are in (a label only). Default: <c>USD</c>.</param>
public sealed record NodePrices(double CoreHour, double GiBHour, string Currency)
{
    public const double DefaultCoreHour = 0.031611;

    public const double DefaultGiBHour = 0.004237;

    public const string DefaultCurrency = "USD";

    /// <summary>The hours in an average month (8,760 / 12), the figure monthly cloud prices use.</summary>
    public const double HoursPerMonth = 730;

    /// <summary>The default prices.</summary>
    public static NodePrices Default { get; } = new(DefaultCoreHour, DefaultGiBHour, DefaultCurrency);

    /// <summary>What <paramref name="capacity"/> costs per hour.</summary>
    public double PerHour(Capacity capacity) => (capacity.Cores * CoreHour) + (capacity.GiB * GiBHour);
}
