using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Thoras.Domain.Forecasting;

/// <summary>
/// The trained regression (ML.NET LightGbm) from <see cref="FeatureBuilder"/> rows to the log ratio of the coming
/// horizon's peak to the recent level. Saved and loaded as ML.NET's own model format.
/// </summary>
public sealed class PeakModel
{
    private readonly MLContext context;
    private readonly ITransformer transformer;
    private readonly PredictionEngine<FeatureRow, ScoreRow> engine;

    private PeakModel(MLContext context, ITransformer transformer)
    {
        this.context = context;
        this.transformer = transformer;
        engine = context.Model.CreatePredictionEngine<FeatureRow, ScoreRow>(transformer);
    }

    /// <summary>Trains on <paramref name="features"/> (rows of <see cref="FeatureBuilder.Count"/>) and their labels.</summary>
    public static PeakModel Train(IReadOnlyList<float[]> features, IReadOnlyList<float> labels)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(labels);
        if (features.Count != labels.Count || features.Count == 0)
        {
            throw new ArgumentException("Training needs at least one row and one label per row.", nameof(features));
        }

        var context = new MLContext(seed: 0);
        var rows = new FeatureRow[features.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            rows[i] = new FeatureRow { Features = features[i], Label = labels[i] };
        }

        var data = context.Data.LoadFromEnumerable(rows);
        ITransformer transformer;
        try
        {
            transformer = context.Regression.Trainers.LightGbm(LightGbmOptions()).Fit(data);
        }
        catch (ArgumentNullException)
        {
            // ML.NET cannot convert a LightGbm tree without a split (flat or perfectly fitted labels);
            // FastTree, slower but managed, handles those series.
            transformer = context.Regression.Trainers.FastTree(FastTreeOptions()).Fit(data);
        }

        return new PeakModel(context, transformer);
    }

    private static LightGbmRegressionTrainer.Options LightGbmOptions() => new()
    {
        NumberOfLeaves = 12,
        NumberOfIterations = 40,
        MinimumExampleCountPerLeaf = 20,
        LearningRate = 0.15,
        NumberOfThreads = 1,
        Seed = 0,
        Silent = true,
    };

    private static FastTreeRegressionTrainer.Options FastTreeOptions() => new()
    {
        NumberOfLeaves = 12,
        NumberOfTrees = 40,
        MinimumExampleCountPerLeaf = 20,
        LearningRate = 0.15,
        NumberOfThreads = 1,
    };

    /// <summary>Loads a model written by <see cref="Save"/>.</summary>
    public static PeakModel Load(Stream stream)
    {
        var context = new MLContext(seed: 0);
        var transformer = context.Model.Load(stream, out _);
        return new PeakModel(context, transformer);
    }

    /// <summary>Writes the model in ML.NET's format.</summary>
    public void Save(Stream stream)
    {
        var schema = SchemaDefinition.Create(typeof(FeatureRow));
        var empty = context.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), schema);
        context.Model.Save(transformer, empty.Schema, stream);
    }

    /// <summary>Predicts one row. Not thread-safe: one model serves one forecaster.</summary>
    public float Predict(float[] features) => engine.Predict(new FeatureRow { Features = features }).Score;

    /// <summary>ML.NET's input row.</summary>
    internal sealed class FeatureRow
    {
        [VectorType(FeatureBuilder.Count)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    /// <summary>ML.NET's output row.</summary>
    internal sealed class ScoreRow
    {
        public float Score { get; set; }
    }
}
