using Thoras.Domain.Recommendation;

namespace Thoras.Domain.Forecasting;

/// <summary>
/// The forecast stage's handle on one series' recommender (<see cref="SeriesRecommender"/>, where the pipeline's
/// steps are composed): observe blocks, suggest, save and load the state.
/// </summary>
public sealed class UsageForecaster
{
    private readonly SeriesRecommender recommender;

    /// <summary>Creates a forecaster with no history.</summary>
    public UsageForecaster(ForecastSettings settings)
        : this(new SeriesRecommender(settings))
    {
    }

    private UsageForecaster(SeriesRecommender recommender) => this.recommender = recommender;

    /// <summary>The point-forecast step behind the forecaster.</summary>
    public PeakPredictor Predictor => recommender.Predictor;

    /// <summary>Records the next usage block.</summary>
    public void Observe(UsageBlock block) => recommender.Observe(block);

    /// <summary>The suggestion for the interval starting at the next, unseen block.</summary>
    public Forecast Suggest() => recommender.Recommend();

    /// <summary>Writes the state (see <see cref="SeriesRecommender.SaveState"/>).</summary>
    public void SaveState(Stream stream) => recommender.SaveState(stream);

    /// <summary>The length of the leading section of a saved state that changes only on retraining (see <see cref="SeriesRecommender.ModelSectionLength"/>).</summary>
    public static int ModelSectionLength(ReadOnlySpan<byte> state) => SeriesRecommender.ModelSectionLength(state);

    /// <summary>Restores a forecaster (see <see cref="SeriesRecommender.LoadState"/>).</summary>
    public static UsageForecaster LoadState(Stream stream, ForecastSettings settings, IEnumerable<UsageBlock> history) =>
        new(SeriesRecommender.LoadState(stream, settings, history));
}
