using Microsoft.ML;
using Microsoft.ML.Data;
using Microsoft.ML.Trainers.FastTree;
using Microsoft.ML.Trainers.LightGbm;
using Thoras.Domain.Forecasting;
using Xunit;

namespace Thoras.Domain.Tests.Forecasting;

public sealed class PeakModelTests
{
    [Theory]
    [InlineData("lightgbm")]
    [InlineData("fasttree")]
    public void Load_MlNetZip_PredictsExactlyAsMlNetsEngine(string trainer)
    {
        // ML.NET is the reference: a model it trained and saved in its own format (how states were saved before the
        // ensemble format) must score every row exactly as its prediction engine does, also rows unlike the training rows.
        var (features, labels) = Rows(seed: 1, count: 600);
        var context = new MLContext(seed: 0);
        var data = context.Data.LoadFromEnumerable(features.Zip(labels, (f, l) => new Row { Features = f, Label = l }));
        ITransformer transformer = trainer == "lightgbm"
            ? context.Regression.Trainers.LightGbm(new LightGbmRegressionTrainer.Options { NumberOfLeaves = 12, NumberOfIterations = 40, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 1, Seed = 0, Silent = true }).Fit(data)
            : context.Regression.Trainers.FastTree(new FastTreeRegressionTrainer.Options { NumberOfLeaves = 12, NumberOfTrees = 40, MinimumExampleCountPerLeaf = 20, NumberOfThreads = 1 }).Fit(data);
        using var zip = new MemoryStream();
        context.Model.Save(transformer, data.Schema, zip);
        zip.Position = 0;
        var engine = context.Model.CreatePredictionEngine<Row, Score>(transformer);

        var model = PeakModel.Load(zip);

        var (probe, _) = Rows(seed: 2, count: 400, spread: 3);
        Assert.All(probe.Concat(features), row => Assert.Equal(engine.Predict(new Row { Features = row }).Value, model.Predict(row)));
    }

    [Fact]
    public void SaveThenLoad_SamePredictions_InAFewKilobytes()
    {
        var (features, labels) = Rows(seed: 3, count: 800);
        var model = PeakModel.Train(features, labels);
        using var saved = new MemoryStream();

        model.Save(saved);
        var bytes = saved.ToArray();
        var loaded = PeakModel.Load(new MemoryStream(bytes));

        Assert.True(TreeEnsemble.IsSaved(bytes));
        Assert.InRange(bytes.Length, 100, 32 * 1024);
        var (probe, _) = Rows(seed: 4, count: 300, spread: 2);
        Assert.All(probe, row => Assert.Equal(model.Predict(row), loaded.Predict(row)));
    }

    [Theory]
    [InlineData(0.5f, 0.25 - 1.0 + 2 * 0.5)]  // <= 0.5 at node 0: left, leaf 0
    [InlineData(0.6f, 0.25 + 1.5 + 2 * 0.5)]  // > 0.5: node 1, where <= 0.7: leaf 1
    [InlineData(0.9f, 0.25 + 4.0 + 2 * 0.5)]  // > both: leaf 2
    public void Predict_HandBuiltEnsemble_BiasPlusWeightedLeaves(float feature2, double expected)
    {
        // Bias 0.25; tree A (weight 1): node 0 splits feature 2 at 0.5 (left: leaf 0 = -1, right: node 1), node 1 splits
        // it at 0.7 (left: leaf 1 = 1.5, right: leaf 2 = 4); tree B (weight 2): no split, one leaf 0.5.
        var bytes = Ensemble(0.25, (1.0, [(2, 0.5f, ~0, 1), (2, 0.7f, ~1, ~2)], [-1.0, 1.5, 4.0]), (2.0, [], [0.5]));
        var features = new float[FeatureBuilder.Count];
        features[2] = feature2;

        Assert.Equal((float)expected, TreeEnsemble.Read(bytes).Predict(features));
    }

    [Fact]
    public void Predict_TreeWithoutSplit_IsItsOnlyLeaf()
    {
        var bytes = Ensemble(1.0, (0.5, [], [3.0]));

        Assert.Equal(2.5f, TreeEnsemble.Read(bytes).Predict(new float[FeatureBuilder.Count]));
    }

    [Fact]
    public void Read_CutShort_InvalidData()
    {
        var bytes = Ensemble(0, (1.0, [(2, 0.5f, ~0, ~1)], [1.0, 2.0]));

        Assert.Throws<InvalidDataException>(() => TreeEnsemble.Read(bytes.AsSpan(0, bytes.Length - 3)));
    }

    [Theory]
    [InlineData(0, ~1)]   // a child pointing back at its own node: the walk would never end
    [InlineData(~5, ~1)]  // a leaf the tree does not have
    [InlineData(~0, 7)]   // a node the tree does not have
    public void Read_InconsistentTree_InvalidData(int left, int right)
    {
        var bytes = Ensemble(0, (1.0, [(2, 0.5f, left, right)], [1.0, 2.0]));

        Assert.Throws<InvalidDataException>(() => TreeEnsemble.Read(bytes));
    }

    [Fact]
    public void Read_SplitOnAFeatureTheRowsDoNotHave_InvalidData()
    {
        var bytes = Ensemble(0, (1.0, [(FeatureBuilder.Count, 0.5f, ~0, ~1)], [1.0, 2.0]));

        Assert.Throws<InvalidDataException>(() => TreeEnsemble.Read(bytes));
    }

    [Fact]
    public void Load_NeitherFormat_InvalidData()
    {
        Assert.ThrowsAny<Exception>(() => PeakModel.Load(new MemoryStream("not a model"u8.ToArray())));
    }

    /// <summary>The saved form, written out field by field as <see cref="TreeEnsemble.Write"/> documents it.</summary>
    private static byte[] Ensemble(double bias, params (double Weight, (int Feature, float Threshold, int Left, int Right)[] Nodes, double[] Leaves)[] trees)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream))
        {
            writer.Write("TPE1"u8);
            writer.Write(bias);
            writer.Write(trees.Length);
            foreach (var (weight, nodes, leaves) in trees)
            {
                writer.Write(weight);
                writer.Write(nodes.Length);
                foreach (var (feature, threshold, left, right) in nodes)
                {
                    writer.Write(feature);
                    writer.Write(threshold);
                    writer.Write(left);
                    writer.Write(right);
                }

                writer.Write(leaves.Length);
                foreach (var leaf in leaves)
                {
                    writer.Write(leaf);
                }
            }
        }

        return stream.ToArray();
    }

    /// <summary>Rows with a nonlinear, noisy label, as the forecaster's features vary (log ratios, hours, flags).</summary>
    private static (List<float[]> Features, List<float> Labels) Rows(int seed, int count, double spread = 1)
    {
        var random = new Random(seed);
        var features = new List<float[]>();
        var labels = new List<float>();
        for (var i = 0; i < count; i++)
        {
            var row = new float[FeatureBuilder.Count];
            for (var f = 0; f < row.Length; f++)
            {
                row[f] = (float)((random.NextDouble() - 0.5) * spread);
            }

            row[13] = random.Next(2);
            features.Add(row);
            labels.Add((float)(Math.Max(row[0], row[1]) + 0.3 * Math.Sin(6 * row[2]) + row[13] * row[3] + 0.05 * (random.NextDouble() - 0.5)));
        }

        return (features, labels);
    }

    private sealed class Row
    {
        [VectorType(FeatureBuilder.Count)]
        public float[] Features { get; set; } = [];

        public float Label { get; set; }
    }

    private sealed class Score
    {
        [ColumnName("Score")]
        public float Value { get; set; }
    }
}
