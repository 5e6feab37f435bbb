namespace Thoras.Domain.Forecasting;

/// <summary>
/// A point forecast of the peak over the coming horizon, kept in log space so calibration can add a margin.
/// </summary>
/// <param name="LogCenter">log(peak + Epsilon) as the model predicts it.</param>
/// <param name="Scale">The recent volatility that conformal scores are divided by (positive).</param>
/// <param name="Epsilon">The series' offset that keeps logarithms of zero finite.</param>
public readonly record struct PeakPrediction(double LogCenter, double Scale, double Epsilon)
{
    /// <summary>The predicted peak in usage units.</summary>
    public double Peak => Math.Max(0, Math.Exp(LogCenter) - Epsilon);

    /// <summary>The conformal score of an observed usage: how many scales it lies above the prediction.</summary>
    public double Score(double used) => (Math.Log(Math.Max(0, used) + Epsilon) - LogCenter) / Scale;

    /// <summary>The usage level that lies <paramref name="score"/> scales above the prediction.</summary>
    public double At(double score) => Math.Max(0, Math.Exp(LogCenter + (score * Scale)) - Epsilon);
}
