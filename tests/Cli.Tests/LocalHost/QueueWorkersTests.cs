using Azure.Storage.Queues;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Thoras.Cli.LocalHost;
using Thoras.Infrastructure.Storage.Emulator;
using Thoras.TestSupport.Storage;
using Xunit;

namespace Thoras.Cli.Tests.LocalHost;

/// <summary>The local host's queue workers against the real Azurite, with the sample queue functions.</summary>
public sealed class QueueWorkersTests(AzuriteFixture azurite) : IClassFixture<AzuriteFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);
    private readonly string sampleQueue = "sample-" + Guid.NewGuid().ToString("N")[..12];
    private readonly string failingQueue = "failing-" + Guid.NewGuid().ToString("N")[..12];
    private readonly QueueCalls calls = new();

    [Fact]
    public async Task Message_FunctionSucceeds_IsBoundFromJsonAndDeleted()
    {
        calls.Release.SetResult();
        await using var host = await StartAsync(new QueueHostOptions { MaxPollingInterval = TimeSpan.FromMilliseconds(200) }, workers: 1);

        await Queue(sampleQueue).SendMessageAsync(new BinaryData("""{"text":"hello"}"""));

        await Until(() => calls.Texts.Contains("hello"));
        await Until(async () => (await Queue(sampleQueue).PeekMessagesAsync()).Value.Length == 0);
    }

    [Fact]
    public async Task Message_FunctionAlwaysFails_IsMovedToThePoisonQueueAfterMaxDequeueCount()
    {
        var options = new QueueHostOptions { MaxDequeueCount = 3, VisibilityTimeout = TimeSpan.Zero, MaxPollingInterval = TimeSpan.FromMilliseconds(200) };
        await using var host = await StartAsync(options, workers: 1);

        await Queue(failingQueue).SendMessageAsync(new BinaryData("doomed"));

        await Until(async () => (await Queue(failingQueue + "-poison").PeekMessagesAsync()).Value.Length == 1);
        var poisoned = Assert.Single((await Queue(failingQueue + "-poison").PeekMessagesAsync()).Value);
        Assert.Equal("doomed", poisoned.Body.ToString());
        Assert.Empty((await Queue(failingQueue).PeekMessagesAsync()).Value);
    }

    [Fact]
    public async Task Messages_BatchSizeTwoAndTwoWorkers_AtMostFourRunAtOnce()
    {
        var options = new QueueHostOptions { BatchSize = 2, NewBatchThreshold = 0, MaxPollingInterval = TimeSpan.FromMilliseconds(200) };
        // All on the queue before the workers start, so every fetch finds a full batch.
        for (var i = 0; i < 8; i++)
            await Queue(sampleQueue).SendMessageAsync(new BinaryData($$"""{"text":"m{{i}}"}"""));
        await using var host = await StartAsync(options, workers: 2);

        await Until(() => calls.Running == 4);
        await Task.Delay(TimeSpan.FromSeconds(1));
        var heldAtOnce = calls.MaxRunning;
        calls.Release.SetResult();

        await Until(() => calls.Texts.Count == 8);
        Assert.Equal(4, heldAtOnce);
    }

    [Fact]
    public void Load_RepositoryHostJson_ReadsEveryQueueOption()
    {
        var options = QueueHostOptions.Load(Path.Combine(AzuriteProcess.FindRepositoryRoot(), "host.json"));

        Assert.Equal(
            new QueueHostOptions { BatchSize = 4, NewBatchThreshold = 2, MaxDequeueCount = 5, VisibilityTimeout = TimeSpan.FromSeconds(10), MaxPollingInterval = TimeSpan.FromSeconds(5) },
            options);
    }

    private QueueClient Queue(string name)
    {
        var queue = azurite.Queues.GetQueueClient(name);
        queue.CreateIfNotExists();
        return queue;
    }

    private async Task<Host> StartAsync(QueueHostOptions queues, int workers)
    {
        var keyPath = Path.Combine(Path.GetTempPath(), "thoras-key-" + Guid.NewGuid().ToString("N"));
        var options = new LocalHostOptions
        {
            Port = 0, FunctionKeyPath = keyPath, FunctionsAssembly = typeof(SampleFunctions).Assembly, RunTimers = false, Queues = queues, QueueWorkers = workers,
        };
        var app = LocalFunctionHost.Build(options, [], builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Storage:ConnectionString"] = azurite.ConnectionString,
                ["SampleQueue"] = sampleQueue,
                ["FailingQueue"] = failingQueue,
                ["Kubernetes:Mode"] = "url",
                ["Kubernetes:ClusterUrl"] = "http://127.0.0.1:9",
            });
            builder.Services.AddSingleton(calls);
            builder.Services.AddSingleton(new TimerCalls());
        });
        await app.StartAsync();
        return new Host(app, keyPath, calls);
    }

    private static async Task Until(Func<bool> condition) => await Until(() => Task.FromResult(condition()));

    private static async Task Until(Func<Task<bool>> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"not reached within {Patience.TotalSeconds} s");
            await Task.Delay(100);
        }
    }

    private sealed class Host(WebApplication app, string keyPath, QueueCalls calls) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            calls.Release.TrySetResult();
            await app.StopAsync();
            await app.DisposeAsync();
            File.Delete(keyPath);
        }
    }
}
