namespace Thoras.Domain.Forecasting;

/// <summary>How usage is collected (section <c>Collect</c>).</summary>
public sealed class CollectOptions
{
    public const string SectionName = "Collect";

    /// <summary>Pods younger than this are left out: start-up usage is not representative. Default: 2 minutes.</summary>
    public TimeSpan Warmup { get; set; } = TimeSpan.FromMinutes(2);
}
