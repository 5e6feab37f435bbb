namespace Thoras.Domain.Recommendation;

/// <summary>How the forecast stage runs (section <c>Forecast</c>).</summary>
public sealed class ForecastOptions
{
    public const string SectionName = "Forecast";

    /// <summary>How often a model is retrained. Default: 6 hours.</summary>
    public TimeSpan RetrainEvery { get; set; } = TimeSpan.FromHours(6);

    /// <summary>How much usage history a model is trained on. Default: 14 days (the usage retention).</summary>
    public TimeSpan TrainingWindow { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How many targets are forecast at once. Default 8, like the apply stage: enough to hide storage and API latency.</summary>
    public int MaxParallelTargets { get; set; } = 8;

    /// <summary>
    /// The most time one target may take in a tick before it is abandoned (and reported as failed) until the next.
    /// Default 20 seconds. A model retraining that is under way is not interrupted; the budget is checked when it ends.
    /// </summary>
    public TimeSpan TargetTimeBudget { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The default of <see cref="SuggestionRefresh"/>: 1 hour.</summary>
    public static readonly TimeSpan DefaultSuggestionRefresh = TimeSpan.FromHours(1);

    /// <summary>
    /// How old (by its <c>start</c>) a held suggestion may get before a forecast that would publish the same values
    /// refreshes its <c>start</c> and <c>end</c> (same UID, one status write). Default: 1 hour. It bounds how stale
    /// a held suggestion's times are; the values are never stale, as every forecast compares them.
    /// </summary>
    public TimeSpan SuggestionRefresh { get; set; } = DefaultSuggestionRefresh;

    /// <summary>The HPA CPU target utilisation assumed when the HPA states none, in percent. Default: 80 (Kubernetes' default).</summary>
    public double DefaultTargetUtilization { get; set; } = 80;
}
