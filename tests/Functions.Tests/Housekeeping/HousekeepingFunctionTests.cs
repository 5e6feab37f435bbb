using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Thoras.Domain.Forecasting;
using Thoras.Domain.Housekeeping;
using Thoras.Domain.Suggestions;
using Thoras.Domain.Targets;
using Thoras.Functions.Housekeeping;
using Thoras.Functions.Tests.Forecasting;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Functions.Tests.Housekeeping;

/// <summary>The housekeeping timer against the sandbox (real HTTP) and Azurite, with the app's default retention.</summary>
public sealed class HousekeepingFunctionTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly string CpuSeries = UsageSeries.Container("app", UsageSeries.Cpu);

    [Fact]
    public async Task Run_UsageOlderThanRetention_DeletedAndRecentUsageKept()
    {
        await using var world = await StartAsync();
        var target = await world.CreateVerticalTargetAsync("recommendation");
        var now = world.Time.GetUtcNow();
        var old = new[] { now.AddDays(-20), now.AddDays(-14).AddMinutes(-5) };
        var recent = new[] { now.AddDays(-14), now.AddDays(-13), now.AddHours(-1) };
        await world.Usage.AppendAsync(target.Metadata.Uid, CpuSeries, [.. old.Concat(recent).Select(Block)], CancellationToken.None);

        await Function(world, new ListLogger()).Run(new TimerInfo(), CancellationToken.None);

        var kept = await world.Usage.ListAsync(target.Metadata.Uid, CpuSeries, now.AddDays(-30), CancellationToken.None);
        Assert.Equal(recent, kept.Select(b => b.Start));
    }

    [Fact]
    public async Task Run_SuggestionsOlderThanRetention_DeletedAndModelsKept()
    {
        await using var world = await StartAsync();
        var target = await world.CreateVerticalTargetAsync("recommendation");
        var now = world.Time.GetUtcNow();
        await world.History.AppendAsync(target.Metadata.Uid, Record("old", now.AddDays(-31)), CancellationToken.None);
        await world.History.AppendAsync(target.Metadata.Uid, Record("recent", now.AddDays(-29)), CancellationToken.None);
        using (var state = new MemoryStream([1, 2, 3]))
        {
            await world.Models.SaveAsync(target.Metadata.Uid, CpuSeries, state, CancellationToken.None);
        }

        await Function(world, new ListLogger()).Run(new TimerInfo(), CancellationToken.None);

        Assert.Equal(["recent"], (await world.History.ListAsync(target.Metadata.Uid, 10, CancellationToken.None)).Select(r => r.Suggestion.SuggestionUID));
        await using var model = await world.Models.LoadAsync(target.Metadata.Uid, CpuSeries, CancellationToken.None);
        Assert.NotNull(model);
    }

    [Fact]
    public async Task Run_RowsDeleted_LogsTheCountsPerTarget()
    {
        await using var world = await StartAsync();
        var target = await world.CreateVerticalTargetAsync("recommendation");
        var now = world.Time.GetUtcNow();
        await world.Usage.AppendAsync(target.Metadata.Uid, CpuSeries, [Block(now.AddDays(-15)), Block(now.AddDays(-16)), Block(now)], CancellationToken.None);
        await world.History.AppendAsync(target.Metadata.Uid, Record("old", now.AddDays(-40)), CancellationToken.None);
        var logger = new ListLogger();

        await Function(world, logger).Run(new TimerInfo(), CancellationToken.None);

        Assert.Contains($"Pruned 2 usage rows and 1 suggestion records of shop/web ({target.Metadata.Uid})", logger.Messages);
    }

    private async Task<PipelineWorld> StartAsync()
    {
        var world = await PipelineWorld.StartAsync(azurite);
        await world.DeployAsync(replicas: 1);
        return world;
    }

    private static HousekeepingFunction Function(PipelineWorld world, ILogger<HousekeepingFunction> logger) =>
        new(world.Services.GetRequiredService<HousekeepingStage>(), logger);

    private static UsageBlock Block(DateTimeOffset start) => new(start, 0.5, 0.4, 5);

    private static SuggestionRecord Record(string uid, DateTimeOffset at) =>
        new(at, new Suggestion { SuggestionUID = uid, Start = at, End = at.AddMinutes(15), HasEnoughDataToScale = false }, false, "not enough data");

    /// <summary>Keeps every rendered log message.</summary>
    private sealed class ListLogger : ILogger<HousekeepingFunction>
    {
        private readonly List<string> messages = [];

        public IReadOnlyList<string> Messages
        {
            get { lock (messages) return [.. messages]; }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (messages) messages.Add(formatter(state, exception));
        }
    }
}
