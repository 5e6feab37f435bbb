using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;

namespace Thoras.Domain.Forecasting;

/// <summary>
/// The trained regression (ML.NET LightGbm, FastTree where LightGbm cannot) from <see cref="FeatureBuilder"/> rows to
/// the log ratio of the coming horizon's peak to the recent level. ML.NET trains it; the trees it learns are then read
/// out into a <see cref="TreeEnsemble"/>, which predicts as ML.NET does and is what is saved and loaded.
/// </summary>
/// <remarks>
/// A state saved before the ensemble format (ML.NET's own zip) still loads: its trees are read out the same way, and
/// the next save writes the ensemble.
/// </remarks>
public sealed class PeakModel
{
    private readonly TreeEnsemble trees;

    private PeakModel(TreeEnsemble trees)
    {
        this.trees = trees;
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

        return new PeakModel(Trees(transformer));
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

    /// <summary>Loads a model written by <see cref="Save"/> (or, from before the ensemble format, ML.NET's zip).</summary>
    /// <exception cref="InvalidDataException">The bytes are neither.</exception>
    public static PeakModel Load(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (TreeEnsemble.IsSaved(bytes))
        {
            return new PeakModel(TreeEnsemble.Read(bytes));
        }

        buffer.Position = 0;
        var context = new MLContext(seed: 0);
        return new PeakModel(Trees(context.Model.Load(buffer, out _)));
    }

    /// <summary>Writes the model as its <see cref="TreeEnsemble"/>.</summary>
    public void Save(Stream stream) => trees.Write(stream);

    /// <summary>Predicts one row. Thread-safe: the ensemble is immutable.</summary>
    public float Predict(float[] features) => trees.Predict(features);

    private static TreeEnsemble Trees(ITransformer transformer) => transformer switch
    {
        ISingleFeaturePredictionTransformer<TreeEnsembleModelParametersBasedOnRegressionTree> tree => TreeEnsemble.From(tree.Model.TrainedTreeEnsemble),
        _ => throw new InvalidDataException("The stored model is not a regression tree ensemble."),
    };

    /// <summary>ML.NET's input row.</summary>
    internal sealed class FeatureRow
    {
        [VectorType(FeatureBuilder.Count)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }
}
