using System.Text.Json;
using Thoras.Domain.Fanout;
using Xunit;

namespace Thoras.Domain.Tests.Fanout;

public sealed class TargetBatchesTests
{
    private static readonly DateTimeOffset Tick = new(2026, 5, 1, 10, 5, 0, TimeSpan.Zero);

    [Fact]
    public void Split_SmallNamespaces_PacksWholeNamespacesIntoOneBatch()
    {
        var targets = Targets("a", 3).Concat(Targets("b", 4));

        var batches = TargetBatches.Split(BatchStage.Forecast, Tick, targets, batchSize: 10);

        var batch = Assert.Single(batches);
        Assert.Equal(["a", "a", "a", "b", "b", "b", "b"], batch.Targets.Select(t => t.Namespace));
    }

    [Fact]
    public void Split_NamespaceLargerThanTheBatchSize_SplitsItIntoChunks()
    {
        var batches = TargetBatches.Split(BatchStage.Apply, Tick, Targets("big", 25), batchSize: 10);

        Assert.Equal([10, 10, 5], batches.Select(b => b.Targets.Count));
    }

    [Fact]
    public void Split_NamespaceThatDoesNotFitInWhatIsLeft_StartsANewBatch()
    {
        var targets = Targets("a", 6).Concat(Targets("b", 6));

        var batches = TargetBatches.Split(BatchStage.Collect, Tick, targets, batchSize: 10);

        Assert.Equal(["a", "b"], batches.Select(b => Assert.Single(b.Targets.Select(t => t.Namespace).Distinct())));
    }

    [Fact]
    public void Split_ManyBatches_NumbersThemOneToPartsAndKeepsEveryTargetOnce()
    {
        var targets = Targets("a", 7).Concat(Targets("b", 9)).Concat(Targets("c", 2)).ToList();

        var batches = TargetBatches.Split(BatchStage.Forecast, Tick, targets, batchSize: 4);

        Assert.Equal(Enumerable.Range(1, batches.Count), batches.Select(b => b.Part));
        Assert.All(batches, b => Assert.Equal(batches.Count, b.Parts));
        Assert.Equal(targets.Select(t => t.Uid).Order(), batches.SelectMany(b => b.Targets).Select(t => t.Uid).Order());
    }

    [Fact]
    public void Split_LongNames_KeepsEveryMessageUnderTheQueueLimit()
    {
        var longNs = new string('n', 63);
        var targets = Enumerable.Range(0, 250).Select(i => new BatchTarget(longNs, new string('w', 240) + i, Guid.NewGuid().ToString(), Guid.NewGuid().ToString()));

        var batches = TargetBatches.Split(BatchStage.Apply, Tick, targets, batchSize: 250);

        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.True(TargetBatches.Serialize(b).Length <= TargetBatches.MaxMessageBytes));
    }

    [Fact]
    public void Serialize_Batch_WritesTheMessageContract()
    {
        var batch = new TargetBatch { Stage = BatchStage.Apply, Tick = Tick, Part = 2, Parts = 3, Targets = [new BatchTarget("shop", "cart", "u-1", "s-9")] };

        var json = JsonDocument.Parse(TargetBatches.Serialize(batch)).RootElement;

        Assert.Equal("apply", json.GetProperty("stage").GetString());
        Assert.Equal(Tick, json.GetProperty("tick").GetDateTimeOffset());
        Assert.Equal(2, json.GetProperty("part").GetInt32());
        var target = Assert.Single(json.GetProperty("targets").EnumerateArray().ToList());
        Assert.Equal(["namespace", "name", "uid", "suggestionUid"], target.EnumerateObject().Select(p => p.Name));
    }

    [Fact]
    public void Serialize_ForecastTarget_LeavesOutTheSuggestionUid()
    {
        var batch = new TargetBatch { Stage = BatchStage.Forecast, Tick = Tick, Targets = [new BatchTarget("shop", "cart", "u-1")] };

        var json = JsonDocument.Parse(TargetBatches.Serialize(batch)).RootElement;

        Assert.False(json.GetProperty("targets")[0].TryGetProperty("suggestionUid", out _));
    }

    private static IEnumerable<BatchTarget> Targets(string ns, int count) =>
        Enumerable.Range(0, count).Select(i => new BatchTarget(ns, $"w{i:000}", $"{ns}-uid-{i}"));
}
