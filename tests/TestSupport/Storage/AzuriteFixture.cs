using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Thoras.Infrastructure.Storage;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.TestSupport.Storage;

/// <summary>
/// Gives a test class the test run's private Azurite. One Azurite serves the whole test process
/// (started on first use, stopped when the process exits, or by its watchdog if the process dies);
/// each test isolates itself with <see cref="NewNames"/>, a fresh table and container prefix.
/// </summary>
/// <example>
/// <code>
/// public sealed class MyTests(AzuriteFixture azurite) : IClassFixture&lt;AzuriteFixture&gt;
/// {
///     [Fact] public async Task X() { var names = azurite.NewNames(); var tables = azurite.Tables; ... }
/// }
/// </code>
/// </example>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private static readonly SemaphoreSlim StartLock = new(1, 1);
    private static AzuriteProcess? _shared;

    public AzuriteProcess Azurite => _shared ?? throw new InvalidOperationException("Azurite has not started.");

    public string ConnectionString => Azurite.ConnectionString;

    public TableServiceClient Tables => new(ConnectionString);

    public BlobServiceClient Blobs => new(ConnectionString);

    /// <summary>The queue service, with base64 messages as the Functions queue trigger reads them.</summary>
    public QueueServiceClient Queues => StorageClientFactory.CreateQueueService(new StorageOptions { ConnectionString = ConnectionString });

    /// <summary>Storage options pointing at this Azurite with a fresh prefix.</summary>
    public StorageOptions NewOptions() => new() { ConnectionString = ConnectionString, TablePrefix = NewNames().Prefix };

    /// <summary>A fresh prefix so a test's tables and containers are its own.</summary>
    public StorageNames NewNames() => new("t" + Guid.NewGuid().ToString("N")[..16]);

    public async Task InitializeAsync()
    {
        await StartLock.WaitAsync();
        try
        {
            if (_shared is null)
            {
                _shared = await AzuriteProcess.StartAsync(new AzuriteOptions(), CancellationToken.None);
                AppDomain.CurrentDomain.ProcessExit += (_, _) => _shared.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        finally
        {
            StartLock.Release();
        }
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
