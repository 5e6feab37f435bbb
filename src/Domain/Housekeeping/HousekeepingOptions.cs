namespace Thoras.Domain.Housekeeping;

/// <summary>How long stored per-target data is kept (section <c>Housekeeping</c>).</summary>
public sealed class HousekeepingOptions
{
    public const string SectionName = "Housekeeping";

    /// <summary>
    /// How long usage blocks are kept. Default: 14 days. A shorter value than <c>Forecast__TrainingWindow</c> is
    /// raised to it: the forecaster never loses history it trains on.
    /// </summary>
    public TimeSpan UsageRetention { get; set; } = TimeSpan.FromDays(14);

    /// <summary>How long published suggestions stay in the history. Default: 30 days.</summary>
    public TimeSpan SuggestionRetention { get; set; } = TimeSpan.FromDays(30);
}
