using Thoras.Domain.Forecasting;

namespace Thoras.Domain.Recommendation;

/// <summary>The binary form of a <see cref="RecommenderLane"/> inside a saved recommender state.</summary>
internal static class RecommenderStateFormat
{
    private const long None = long.MinValue;

    public static void WriteLane(BinaryWriter writer, RecommenderLane lane)
    {
        writer.Write(lane.Conformal.AdaptiveRisk);
        writer.Write(lane.Conformal.ScoreCount);
        foreach (var score in lane.Conformal.Scores)
        {
            writer.Write(score);
        }

        var change = lane.Change;
        writer.Write(change.Bound ?? double.NaN);
        writer.Write(change.At?.UtcTicks ?? None);
        writer.Write(change.Tokens);
        writer.Write(change.LowerSince?.UtcTicks ?? None);
        writer.Write(change.LowerPeak);

        writer.Write(lane.InForce is not null);
        if (lane.InForce is { } inForce)
        {
            writer.Write(inForce.Prediction.LogCenter);
            writer.Write(inForce.Prediction.Scale);
            writer.Write(inForce.Prediction.Epsilon);
            writer.Write(inForce.Bound);
            writer.Write(inForce.From.UtcTicks);
            writer.Write(inForce.Until.UtcTicks);
        }
    }

    public static RecommenderLane ReadLane(BinaryReader reader, double riskTarget, int capacity)
    {
        var adaptiveRisk = reader.ReadDouble();
        var scores = new float[reader.ReadInt32()];
        for (var i = 0; i < scores.Length; i++)
        {
            scores[i] = reader.ReadSingle();
        }

        var bound = reader.ReadDouble();
        var at = Time(reader.ReadInt64());
        var tokens = reader.ReadDouble();
        var lowerSince = Time(reader.ReadInt64());
        var lowerPeak = reader.ReadDouble();
        var change = new ChangeState(double.IsNaN(bound) ? null : bound, at, tokens, lowerSince, lowerPeak);

        BoundInForce? inForce = null;
        if (reader.ReadBoolean())
        {
            var prediction = new PeakPrediction(reader.ReadDouble(), reader.ReadDouble(), reader.ReadDouble());
            inForce = new BoundInForce(prediction, reader.ReadDouble(), Time(reader.ReadInt64())!.Value, Time(reader.ReadInt64())!.Value);
        }

        return new RecommenderLane(ConformalState.Restore(riskTarget, capacity, adaptiveRisk, scores), change, inForce);
    }

    private static DateTimeOffset? Time(long ticks) => ticks == None ? null : new DateTimeOffset(ticks, TimeSpan.Zero);
}
