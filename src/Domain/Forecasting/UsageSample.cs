namespace Thoras.Domain.Forecasting;

/// <summary>One raw usage reading of one resource (cores, bytes, requests per second...).</summary>
public readonly record struct UsageSample(DateTimeOffset Timestamp, double Value);
