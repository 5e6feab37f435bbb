namespace Thoras.Sandbox.Usage;

/// <summary>Annotations on a workload (or its pod template) that choose where its pods' usage comes from.</summary>
public static class UsageAnnotations
{
    /// <summary>Usage source for both CPU and memory, e.g. <c>trace:nab/ec2_cpu_utilization_24ae8d.csv</c> or <c>ratio:0.5</c>.</summary>
    public const string Usage = "sandbox.thoras.ai/usage";

    /// <summary>Usage source for CPU only; wins over <see cref="Usage"/>.</summary>
    public const string CpuUsage = "sandbox.thoras.ai/cpu-usage";

    /// <summary>Usage source for memory only; wins over <see cref="Usage"/>.</summary>
    public const string MemoryUsage = "sandbox.thoras.ai/memory-usage";

    /// <summary>
    /// What the usage sources are relative to, per container, as JSON: <c>{"app":{"cpu":"250m","memory":"256Mi"}}</c>.
    /// Set at creation from the workload's (or pod's) requests when absent, and kept, so demand does not follow later
    /// resizes; set it in a seed file to choose the scale.
    /// </summary>
    public const string Scale = "sandbox.thoras.ai/usage-scale";

    internal static readonly string[] All = [Usage, CpuUsage, MemoryUsage, Scale];
}
