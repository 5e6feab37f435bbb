using System.Globalization;

namespace Thoras.Sandbox.Usage;

/// <summary>
/// Where a container's usage comes from, as a fraction of its requests at a simulated moment:
/// <c>ratio:0.5</c> (constant), or <c>trace:&lt;path&gt;[#column][*factor]</c> (a trace's values read as percent of requests).
/// </summary>
internal abstract record UsageSource
{
    public abstract TimeSpan SampleInterval { get; }

    public abstract double FractionAt(TimeSpan elapsed);

    public static UsageSource Parse(string text, TraceLibrary traces, TimeSpan defaultInterval)
    {
        var spec = text.Trim();
        if (spec.StartsWith("ratio:", StringComparison.Ordinal)
            && double.TryParse(spec["ratio:".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var ratio))
            return new ConstantUsage(ratio, defaultInterval);
        if (spec.StartsWith("trace:", StringComparison.Ordinal))
        {
            var body = spec["trace:".Length..];
            var factor = 1.0;
            var star = body.LastIndexOf('*');
            if (star >= 0)
            {
                if (!double.TryParse(body[(star + 1)..], NumberStyles.Float, CultureInfo.InvariantCulture, out factor))
                    throw new FormatException($"Bad factor in usage source '{text}'.");
                body = body[..star];
            }

            var hash = body.IndexOf('#', StringComparison.Ordinal);
            var column = hash >= 0 ? body[(hash + 1)..] : null;
            var path = hash >= 0 ? body[..hash] : body;
            return new TraceUsage(traces.Load(path, column), factor);
        }

        throw new FormatException($"Unknown usage source '{text}': use 'ratio:<fraction>' or 'trace:<path>[#column][*factor]'.");
    }
}

/// <summary>A constant fraction of requests.</summary>
internal sealed record ConstantUsage(double Ratio, TimeSpan Interval) : UsageSource
{
    public override TimeSpan SampleInterval => Interval;

    public override double FractionAt(TimeSpan elapsed) => Ratio;
}

/// <summary>A replayed trace whose values are percent of requests, times a factor.</summary>
internal sealed record TraceUsage(Trace Trace, double Factor) : UsageSource
{
    public override TimeSpan SampleInterval => Trace.Interval;

    public override double FractionAt(TimeSpan elapsed) => Math.Max(0, Trace.At(elapsed) / 100.0 * Factor);
}
