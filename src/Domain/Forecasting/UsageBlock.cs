namespace Thoras.Domain.Forecasting;

/// <summary>The aggregate of the raw samples of one block (5 minutes by default): its peak and its mean.</summary>
/// <param name="Start">Start of the block (inclusive); the block covers [Start, Start + block length).</param>
/// <param name="Max">The highest sample in the block: what an allocation must cover.</param>
/// <param name="Mean">The average of the samples in the block.</param>
/// <param name="Count">How many raw samples the block holds; 0 for a gap carried forward from the previous block.</param>
public readonly record struct UsageBlock(DateTimeOffset Start, double Max, double Mean, int Count);
