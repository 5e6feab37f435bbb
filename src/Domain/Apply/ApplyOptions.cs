namespace Thoras.Domain.Apply;

/// <summary>How the apply stage runs (app settings under <c>Apply__</c>).</summary>
public sealed class ApplyOptions
{
    public const string SectionName = "Apply";

    /// <summary>How many targets are worked on at once. Default 8: enough to hide API latency, few enough not to flood the API server.</summary>
    public int MaxParallelTargets { get; set; } = 8;

    /// <summary>The most time one target may take in a tick before it is abandoned until the next. Default 20 seconds.</summary>
    public TimeSpan TargetTimeBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Namespaces whose targets are applied; empty means every namespace. Default empty.</summary>
    public IList<string> Namespaces { get; } = [];
}
