using Thoras.Domain.Targets;

namespace Thoras.Domain.Fleet;

/// <summary>An amount of requested CPU (cores) and memory (GiB).</summary>
public readonly record struct Capacity(double Cores, double GiB)
{
    private const double BytesPerGiB = 1024d * 1024 * 1024;

    public static Capacity Zero => default;

    /// <summary>The CPU and memory of <paramref name="amounts"/>; an unset amount counts as zero.</summary>
    public static Capacity Of(ResourceAmounts? amounts) =>
        new(amounts?.Cpu?.ToDouble() ?? 0, (amounts?.Memory?.ToDouble() ?? 0) / BytesPerGiB);

    /// <summary>
    /// How much <paramref name="held"/> exceeds <paramref name="needed"/>, per resource and never negative. A resource
    /// <paramref name="needed"/> does not name counts as no excess: without a figure there is nothing to compare.
    /// </summary>
    public static Capacity Excess(ResourceAmounts? held, ResourceAmounts? needed)
    {
        var cores = needed?.Cpu is { } cpu && held?.Cpu is { } heldCpu ? Math.Max(0, heldCpu.ToDouble() - cpu.ToDouble()) : 0;
        var gib = needed?.Memory is { } memory && held?.Memory is { } heldMemory ? Math.Max(0, heldMemory.ToDouble() - memory.ToDouble()) / BytesPerGiB : 0;
        return new Capacity(cores, gib);
    }

    public static Capacity operator +(Capacity left, Capacity right) => new(left.Cores + right.Cores, left.GiB + right.GiB);

    public static Capacity operator *(Capacity capacity, double factor) => new(capacity.Cores * factor, capacity.GiB * factor);

    public static Capacity Add(Capacity left, Capacity right) => left + right;

    public static Capacity Multiply(Capacity capacity, double factor) => capacity * factor;
}
