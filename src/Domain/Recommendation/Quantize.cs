using Thoras.Domain.Forecasting;
using Thoras.Domain.Targets;

namespace Thoras.Domain.Recommendation;

/// <summary>
/// The quantize step: a bound in cores or bytes becomes a Kubernetes quantity, rounded up (never below the bound):
/// CPU to whole millicores, memory to whole mebibytes, the units people write and the API server keeps.
/// </summary>
public static class Quantize
{
    private const decimal Mebibyte = 1024 * 1024;

    /// <summary>CPU cores rounded up to whole millicores (at least 1m).</summary>
    public static Quantity Cpu(double cores) =>
        Quantity.FromAmount(Math.Ceiling((decimal)Math.Max(cores, 0.001) * 1000) / 1000, QuantityFormat.DecimalSI);

    /// <summary>Memory bytes rounded up to whole mebibytes (at least 1Mi).</summary>
    public static Quantity Memory(double bytes) =>
        Quantity.FromAmount(Math.Ceiling((decimal)Math.Max(bytes, 1) / Mebibyte) * Mebibyte, QuantityFormat.BinarySI);

    /// <summary>The quantity of <paramref name="amount"/> of <paramref name="resource"/> (<c>cpu</c> or <c>memory</c>).</summary>
    public static Quantity Resource(string resource, double amount) => resource switch
    {
        UsageSeries.Cpu => Cpu(amount),
        UsageSeries.Memory => Memory(amount),
        _ => throw new ArgumentOutOfRangeException(nameof(resource), resource, "Only cpu and memory are quantized."),
    };
}
