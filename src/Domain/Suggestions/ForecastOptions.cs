namespace Thoras.Domain.Suggestions;

/// <summary>How the forecast stage runs (section <c>Forecast</c>).</summary>
public sealed class ForecastOptions
{
    public const string SectionName = "Forecast";

    /// <summary>How often a model is retrained. Default: 6 hours.</summary>
    public TimeSpan RetrainEvery { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How much usage history a model is trained on. Default: 14 days (the usage retention).</summary>
    public TimeSpan TrainingWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>The HPA CPU target utilisation assumed when the HPA states none, in percent. Default: 80 (Kubernetes' default).</summary>
    public double DefaultTargetUtilization { get; set; } = 80;
}
