using Microsoft.ML.Trainers.FastTree;

namespace Thoras.Domain.Forecasting;

/// <summary>
/// A trained ensemble of regression trees as plain arrays: what ML.NET's LightGbm and FastTree trainers learn, read out
/// of their model parameters once after training. It predicts exactly as ML.NET's own prediction engine does (the same
/// splits, the same summation order, the same rounding to <see cref="float"/>) without an <c>MLContext</c> or a
/// prediction engine, and it is saved in a few kilobytes instead of ML.NET's zip, so loading a stored model costs
/// microseconds, not milliseconds: the forecast stage loads every target's models on every tick.
/// </summary>
/// <remarks>
/// Node <c>i</c> of a tree sends a row left when <c>features[Feature[i]] &lt;= Threshold[i]</c> and right otherwise; a
/// negative child <c>c</c> is the leaf <c>~c</c>. A tree without a split is one leaf. The score is the bias plus the
/// sum over trees of weight × leaf value, in tree order.
/// </remarks>
public sealed class TreeEnsemble
{
    /// <summary>The first bytes of a saved ensemble (<see cref="Write"/>): a format name and its version.</summary>
    private static ReadOnlySpan<byte> Magic => "TPE1"u8;

    private readonly Tree[] trees;
    private readonly double bias;

    private TreeEnsemble(Tree[] trees, double bias)
    {
        this.trees = trees;
        this.bias = bias;
    }

    /// <summary>How many trees it holds.</summary>
    public int Count => trees.Length;

    /// <summary>Reads the trees out of ML.NET's trained <paramref name="ensemble"/>.</summary>
    /// <exception cref="NotSupportedException">A tree splits on a categorical feature; the forecaster's features are all numeric.</exception>
    public static TreeEnsemble From(RegressionTreeEnsemble ensemble)
    {
        ArgumentNullException.ThrowIfNull(ensemble);
        var trees = new Tree[ensemble.Trees.Count];
        for (var t = 0; t < trees.Length; t++)
        {
            var tree = ensemble.Trees[t];
            if (tree.CategoricalSplitFlags.Any(c => c))
            {
                throw new NotSupportedException("A tree with a categorical split cannot be read out; the forecaster's features are numeric.");
            }

            trees[t] = new Tree(
                ensemble.TreeWeights[t],
                [.. tree.NumericalSplitFeatureIndexes],
                [.. tree.NumericalSplitThresholds],
                [.. tree.LeftChild],
                [.. tree.RightChild],
                [.. tree.LeafValues]);
        }

        return new TreeEnsemble(trees, ensemble.Bias);
    }

    /// <summary>The score of one row of features.</summary>
    public float Predict(ReadOnlySpan<float> features)
    {
        var output = bias;
        foreach (var tree in trees)
        {
            output += tree.Weight * tree.Leaves[tree.LeafOf(features)];
        }

        return (float)output;
    }

    /// <summary>Whether <paramref name="bytes"/> begin like a saved ensemble.</summary>
    public static bool IsSaved(ReadOnlySpan<byte> bytes) => bytes.StartsWith(Magic);

    /// <summary>Writes the ensemble: the magic, the bias, then per tree its weight, splits and leaves (little-endian).</summary>
    public void Write(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        writer.Write(Magic);
        writer.Write(bias);
        writer.Write(trees.Length);
        foreach (var tree in trees)
        {
            writer.Write(tree.Weight);
            writer.Write(tree.Features.Length);
            for (var i = 0; i < tree.Features.Length; i++)
            {
                writer.Write(tree.Features[i]);
                writer.Write(tree.Thresholds[i]);
                writer.Write(tree.Left[i]);
                writer.Write(tree.Right[i]);
            }

            writer.Write(tree.Leaves.Length);
            foreach (var leaf in tree.Leaves)
            {
                writer.Write(leaf);
            }
        }
    }

    /// <summary>Reads an ensemble written by <see cref="Write"/>.</summary>
    /// <exception cref="InvalidDataException">The bytes are not a whole, consistent ensemble.</exception>
    public static TreeEnsemble Read(ReadOnlySpan<byte> bytes)
    {
        if (!IsSaved(bytes))
        {
            throw new InvalidDataException("The model is not a saved tree ensemble.");
        }

        using var reader = new BinaryReader(new MemoryStream(bytes[Magic.Length..].ToArray(), writable: false));
        try
        {
            var bias = reader.ReadDouble();
            var trees = new Tree[CountAt(reader, 100_000)];
            for (var t = 0; t < trees.Length; t++)
            {
                var weight = reader.ReadDouble();
                var nodes = CountAt(reader, 1_000_000);
                var features = new int[nodes];
                var thresholds = new float[nodes];
                var left = new int[nodes];
                var right = new int[nodes];
                for (var i = 0; i < nodes; i++)
                {
                    features[i] = reader.ReadInt32();
                    thresholds[i] = reader.ReadSingle();
                    left[i] = reader.ReadInt32();
                    right[i] = reader.ReadInt32();
                }

                var leaves = new double[CountAt(reader, 1_000_001)];
                for (var i = 0; i < leaves.Length; i++)
                {
                    leaves[i] = reader.ReadDouble();
                }

                trees[t] = new Tree(weight, features, thresholds, left, right, leaves);
                trees[t].Check();
            }

            if (reader.BaseStream.Position != reader.BaseStream.Length)
            {
                throw new InvalidDataException("The saved tree ensemble has bytes after its last tree.");
            }

            return new TreeEnsemble(trees, bias);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException("The saved tree ensemble is cut short.", e);
        }
    }

    private static int CountAt(BinaryReader reader, int max)
    {
        var count = reader.ReadInt32();
        return count >= 0 && count <= max ? count : throw new InvalidDataException($"A count in the saved tree ensemble is out of range ({count}).");
    }

    private sealed record Tree(double Weight, int[] Features, float[] Thresholds, int[] Left, int[] Right, double[] Leaves)
    {
        public int LeafOf(ReadOnlySpan<float> features)
        {
            if (Features.Length == 0)
            {
                return 0;
            }

            var node = 0;
            while (node >= 0)
            {
                node = features[Features[node]] <= Thresholds[node] ? Left[node] : Right[node];
            }

            return ~node;
        }

        /// <summary>Every child is a node or a leaf of this tree, and every split a feature index, so <see cref="LeafOf"/> cannot run out of range.</summary>
        public void Check()
        {
            if (Leaves.Length != Features.Length + 1 || Features.Any(f => f < 0 || f >= FeatureBuilder.Count)
                || Left.Concat(Right).Any(c => c >= Features.Length || (c < 0 && ~c >= Leaves.Length)))
            {
                throw new InvalidDataException("A saved tree's splits or leaves are inconsistent.");
            }

            // Children point forward (ML.NET numbers a node's children after it), so the walk always ends at a leaf.
            for (var i = 0; i < Features.Length; i++)
            {
                if ((Left[i] >= 0 && Left[i] <= i) || (Right[i] >= 0 && Right[i] <= i))
                {
                    throw new InvalidDataException("A saved tree has a cycle.");
                }
            }
        }
    }
}
