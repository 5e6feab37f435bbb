using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Thoras.Infrastructure.Storage.Emulator;

/// <summary>
/// A private Azurite on free loopback ports (blob, queue, table), for tests and the local host.
/// Azurite runs under a small shell watchdog that stops it when the watched process dies, so nothing
/// is left running even when the owner is killed; <see cref="DisposeAsync"/> stops it at once.
/// </summary>
/// <example>
/// <code>
/// await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(), ct);
/// var tables = new TableServiceClient(azurite.ConnectionString);
/// </code>
/// </example>
public sealed class AzuriteProcess : IAsyncDisposable
{
    /// <summary>The well-known development account key that Azurite accepts.</summary>
    public const string AccountName = "devstoreaccount1";

    private const string AccountKey = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
    private const int StartAttempts = 3;

    private readonly Process _watchdog;
    private readonly string? _ownedDataDirectory;
    private int _disposed;

    private AzuriteProcess(Process watchdog, int blobPort, int queuePort, int tablePort, string? ownedDataDirectory)
    {
        _watchdog = watchdog;
        BlobPort = blobPort;
        QueuePort = queuePort;
        TablePort = tablePort;
        _ownedDataDirectory = ownedDataDirectory;
    }

    public int BlobPort { get; }

    public int QueuePort { get; }

    public int TablePort { get; }

    /// <summary>The process id of the watchdog shell that owns Azurite.</summary>
    public int WatchdogProcessId => _watchdog.Id;

    /// <summary>The blob, queue and table ports, in that order (for <see cref="AzuriteOptions.Ports"/> on a restart).</summary>
    public IReadOnlyList<int> Ports => [BlobPort, QueuePort, TablePort];

    /// <summary>Completes when Azurite has stopped, whether it was disposed or died (its watchdog ends with it).</summary>
    public Task Exited => _watchdog.WaitForExitAsync();

    public string ConnectionString =>
        string.Create(
            CultureInfo.InvariantCulture,
            $"DefaultEndpointsProtocol=http;AccountName={AccountName};AccountKey={AccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{BlobPort}/{AccountName};" +
            $"QueueEndpoint=http://127.0.0.1:{QueuePort}/{AccountName};" +
            $"TableEndpoint=http://127.0.0.1:{TablePort}/{AccountName};");

    public static async Task<AzuriteProcess> StartAsync(AzuriteOptions options, CancellationToken cancellationToken)
    {
        var executable = options.ExecutablePath ?? Path.Combine(options.RepositoryRoot ?? FindRepositoryRoot(), "node_modules", ".bin", "azurite");
        if (!File.Exists(executable))
        {
            throw new FileNotFoundException(
                $"Azurite was not found at '{executable}'. Run 'npm ci' in the repository root (./build.sh tools does it).", executable);
        }

        Exception? last = null;
        for (var attempt = 0; attempt < (options.Ports is null ? StartAttempts : 1); attempt++)
        {
            // Ports are picked free and then released, so another process may take one first: retry on a new set.
            var ports = options.Ports?.ToArray() ?? FreePorts(3);
            var dataDirectory = options.DataDirectory ?? Directory.CreateTempSubdirectory("azurite-").FullName;
            var owned = options.DataDirectory is null ? dataDirectory : null;
            var watchdog = StartWatchdog(executable, options, dataDirectory, ports);
            var azurite = new AzuriteProcess(watchdog, ports[0], ports[1], ports[2], owned);
            try
            {
                await azurite.WaitUntilListeningAsync(options.StartTimeout, cancellationToken);
                return azurite;
            }
            catch (TimeoutException ex)
            {
                last = ex;
                await azurite.DisposeAsync();
            }
            catch
            {
                await azurite.DisposeAsync();
                throw;
            }
        }

        throw new InvalidOperationException("Azurite did not start.", last);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (!_watchdog.HasExited)
            {
                _watchdog.Kill(entireProcessTree: true);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _watchdog.WaitForExitAsync(cts.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception or OperationCanceledException)
        {
            // Already gone, or not ours to wait for any more.
        }
        finally
        {
            _watchdog.Dispose();
            if (_ownedDataDirectory is not null)
            {
                TryDelete(_ownedDataDirectory);
            }
        }
    }

    /// <summary>The folder holding <c>ThorasFunctions.sln</c>, from <c>THORAS_REPO_ROOT</c> or by walking up from the app's folder.</summary>
    public static string FindRepositoryRoot()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("THORAS_REPO_ROOT");
        if (!string.IsNullOrEmpty(fromEnvironment) && File.Exists(Path.Combine(fromEnvironment, "ThorasFunctions.sln")))
        {
            return fromEnvironment;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThorasFunctions.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("The repository root (the folder with ThorasFunctions.sln) was not found; set THORAS_REPO_ROOT.");
    }

    private static Process StartWatchdog(string executable, AzuriteOptions options, string dataDirectory, int[] ports)
    {
        var watched = options.WatchedProcessId ?? Environment.ProcessId;
        // Azurite refuses --location together with --inMemoryPersistence; the working folder is used otherwise.
        var persistence = options.InMemory ? "--inMemoryPersistence" : "--location=" + dataDirectory;

        // The shell starts Azurite, then polls the watched process; when that goes (or we are killed), Azurite goes too.
        const string script = """
            "$0" --silent --disableTelemetry --skipApiVersionCheck --loose "$5" \
              --blobHost 127.0.0.1 --blobPort "$1" --queueHost 127.0.0.1 --queuePort "$2" --tableHost 127.0.0.1 --tablePort "$3" >/dev/null 2>&1 &
            child=$!
            trap 'kill $child 2>/dev/null; exit 0' TERM INT HUP
            while kill -0 "$4" 2>/dev/null && kill -0 $child 2>/dev/null; do sleep 1; done
            kill $child 2>/dev/null
            wait $child 2>/dev/null
            """;
        var info = new ProcessStartInfo("/bin/sh")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            WorkingDirectory = dataDirectory,
        };
        foreach (var arg in new[]
                 {
                     "-c", script, executable,
                     ports[0].ToString(CultureInfo.InvariantCulture),
                     ports[1].ToString(CultureInfo.InvariantCulture),
                     ports[2].ToString(CultureInfo.InvariantCulture),
                     watched.ToString(CultureInfo.InvariantCulture),
                     persistence,
                 })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("Could not start /bin/sh for Azurite.");
    }

    private async Task WaitUntilListeningAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var port in new[] { BlobPort, QueuePort, TablePort })
        {
            while (!await IsListeningAsync(port, cancellationToken))
            {
                if (_watchdog.HasExited)
                {
                    throw new TimeoutException($"Azurite exited before listening on port {port}.");
                }

                if (DateTime.UtcNow > deadline)
                {
                    throw new TimeoutException($"Azurite did not listen on port {port} within {timeout.TotalSeconds:0} s.");
                }

                await Task.Delay(100, cancellationToken);
            }
        }
    }

    private static async Task<bool> IsListeningAsync(int port, CancellationToken cancellationToken)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(IPAddress.Loopback, port, cancellationToken);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static int[] FreePorts(int count)
    {
        var listeners = Enumerable.Range(0, count).Select(_ => new TcpListener(IPAddress.Loopback, 0)).ToArray();
        try
        {
            foreach (var l in listeners)
            {
                l.Start();
            }

            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var l in listeners)
            {
                l.Stop();
            }
        }
    }

    private static void TryDelete(string directory)
    {
        try
        {
            Directory.Delete(directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // Same.
        }
    }
}
