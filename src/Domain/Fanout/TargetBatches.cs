using System.Text.Json;

namespace Thoras.Domain.Fanout;

/// <summary>
/// Splits a tick's targets into <see cref="TargetBatch"/> messages: whole namespaces packed together up to the batch
/// size (the worker lists pods, HPAs and PDBs once per namespace, so keeping a namespace in one message saves lists), a
/// namespace larger than the batch size split into chunks, and every message well under the queue's 64 KiB limit.
/// </summary>
public static class TargetBatches
{
    /// <summary>
    /// The largest message body before base64 (which adds a third): 48 KiB encodes to 64 KiB, the Storage queue limit.
    /// A batch over it is split in two until it fits.
    /// </summary>
    public const int MaxMessageBytes = 48 * 1024;

    /// <summary>
    /// The batches of <paramref name="targets"/> for <paramref name="stage"/> at <paramref name="tick"/>, at most
    /// <paramref name="batchSize"/> targets each, in namespace and name order, numbered <c>1..Parts</c>.
    /// </summary>
    /// <example><code>TargetBatches.Split(BatchStage.Apply, now, targets, batchSize: 100)</code></example>
    public static IReadOnlyList<TargetBatch> Split(BatchStage stage, DateTimeOffset tick, IEnumerable<BatchTarget> targets, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        var groups = new List<List<BatchTarget>>();
        var current = new List<BatchTarget>();
        foreach (var ns in targets.GroupBy(t => t.Namespace, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var members = ns.OrderBy(t => t.Name, StringComparer.Ordinal).ToList();
            // A namespace that does not fit in what is left starts a new batch, so it is split only when it must be.
            if (current.Count > 0 && current.Count + members.Count > batchSize)
            {
                groups.Add(current);
                current = [];
            }

            foreach (var member in members)
            {
                current.Add(member);
                if (current.Count == batchSize)
                {
                    groups.Add(current);
                    current = [];
                }
            }
        }

        if (current.Count > 0)
            groups.Add(current);

        var fitting = groups.SelectMany(g => Fit(stage, tick, g)).ToList();
        return [.. fitting.Select((g, i) => new TargetBatch { Stage = stage, Tick = tick, Part = i + 1, Parts = fitting.Count, Targets = g })];
    }

    /// <summary>The message body as the queue carries it (before base64): JSON with the contract's property names.</summary>
    public static byte[] Serialize(TargetBatch batch) => JsonSerializer.SerializeToUtf8Bytes(batch);

    private static IEnumerable<List<BatchTarget>> Fit(BatchStage stage, DateTimeOffset tick, List<BatchTarget> group)
    {
        // Part numbers are at most ten digits; measuring with the largest keeps the estimate on the safe side.
        var probe = new TargetBatch { Stage = stage, Tick = tick, Part = int.MaxValue, Parts = int.MaxValue, Targets = group };
        if (group.Count == 1 || Serialize(probe).Length <= MaxMessageBytes)
            return [group];
        var half = group.Count / 2;
        return Fit(stage, tick, [.. group.Take(half)]).Concat(Fit(stage, tick, [.. group.Skip(half)]));
    }
}
