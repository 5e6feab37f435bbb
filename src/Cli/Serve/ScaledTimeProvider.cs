namespace Thoras.Cli.Serve;

/// <summary>
/// A clock that runs <see cref="Factor"/> times faster than real time from the moment it is created, so the
/// local host can let a day of collection, forecasting and applying pass in minutes. The app and the sandbox
/// share one instance, so usage, timestamps and schedules agree. Timers fire after their due time divided by
/// the factor.
/// </summary>
public sealed class ScaledTimeProvider : TimeProvider
{
    private readonly TimeProvider _real;
    private readonly DateTimeOffset _start;
    private readonly DateTimeOffset _realStart;
    private readonly long _startTimestamp;

    /// <param name="factor">Simulated seconds per real second.</param>
    /// <param name="real">The real clock. Default: the system's.</param>
    /// <param name="start">The simulated time to start at. Default: the real time now.</param>
    public ScaledTimeProvider(double factor, TimeProvider? real = null, DateTimeOffset? start = null)
    {
        if (!double.IsFinite(factor) || factor <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(factor), factor, "The speed-up must be a positive number.");
        }

        Factor = factor;
        _real = real ?? System;
        _realStart = _real.GetUtcNow();
        _start = start ?? _realStart;
        _startTimestamp = _real.GetTimestamp();
    }

    /// <summary>Simulated seconds per real second.</summary>
    public double Factor { get; }

    public override TimeZoneInfo LocalTimeZone => _real.LocalTimeZone;

    public override long TimestampFrequency => _real.TimestampFrequency;

    public override DateTimeOffset GetUtcNow() =>
        _start + TimeSpan.FromTicks((long)((_real.GetUtcNow() - _realStart).Ticks * Factor));

    public override long GetTimestamp() =>
        _startTimestamp + (long)((_real.GetTimestamp() - _startTimestamp) * Factor);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        new ScaledTimer(_real.CreateTimer(callback, state, ToReal(dueTime), ToReal(period)), this);

    private TimeSpan ToReal(TimeSpan simulated) =>
        simulated == Timeout.InfiniteTimeSpan || simulated <= TimeSpan.Zero ? simulated : TimeSpan.FromTicks(Math.Max(1, (long)(simulated.Ticks / Factor)));

    private sealed class ScaledTimer(ITimer inner, ScaledTimeProvider clock) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => inner.Change(clock.ToReal(dueTime), clock.ToReal(period));

        public void Dispose() => inner.Dispose();

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
