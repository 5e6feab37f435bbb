namespace Thoras.Domain.Forecasting;

/// <summary>One suggestion of the forecaster for the interval starting at <see cref="For"/>.</summary>
/// <param name="For">Start of the interval the suggestion is for.</param>
/// <param name="HasEnoughDataToScale">False until <c>min_lookback_to_scale</c> of history exists; nothing is applied then.</param>
/// <param name="PredictedPeak">The model's point forecast of the horizon's peak; null without enough data.</param>
/// <param name="Suggestion">The bound the change policy published plus the buffer: what to allocate; null without enough data.</param>
/// <param name="Changed">Whether the change policy changed the bound in force (the first bound counts as a change).</param>
public sealed record Forecast(DateTimeOffset For, bool HasEnoughDataToScale, double? PredictedPeak, double? Suggestion, bool Changed = false)
{
    /// <summary>A forecast that must not be applied because the history is too short.</summary>
    public static Forecast NotEnoughData(DateTimeOffset at) => new(at, false, null, null);
}
