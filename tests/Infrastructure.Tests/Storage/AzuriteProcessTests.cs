using System.Diagnostics;
using System.Globalization;
using Azure.Data.Tables;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Infrastructure.Tests.Storage;

public sealed class AzuriteProcessTests
{
    [Fact]
    public async Task StartAsync_FreshProcess_ServesTables()
    {
        await using var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(), CancellationToken.None);
        var tables = new TableServiceClient(azurite.ConnectionString);

        await tables.CreateTableIfNotExistsAsync("probe");

        var names = new List<string>();
        await foreach (var t in tables.QueryAsync())
        {
            names.Add(t.Name);
        }

        Assert.Contains("probe", names);
    }

    [Fact]
    public async Task DisposeAsync_Running_LeavesNoAzuriteProcess()
    {
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions(), CancellationToken.None);
        var port = azurite.TablePort;
        Assert.NotEmpty(ProcessesListeningOn(port));

        await azurite.DisposeAsync();

        await WaitUntil(() => ProcessesListeningOn(port).Count == 0, TimeSpan.FromSeconds(10));
        Assert.Empty(ProcessesListeningOn(port));
    }

    [Fact]
    public async Task Watchdog_WatchedProcessDies_StopsAzurite()
    {
        // Stands in for a test host that crashes without disposing anything.
        using var owner = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        var azurite = await AzuriteProcess.StartAsync(new AzuriteOptions { WatchedProcessId = owner.Id }, CancellationToken.None);
        var port = azurite.TablePort;
        Assert.NotEmpty(ProcessesListeningOn(port));

        owner.Kill();

        await WaitUntil(() => ProcessesListeningOn(port).Count == 0, TimeSpan.FromSeconds(15));
        Assert.Empty(ProcessesListeningOn(port));
        await azurite.DisposeAsync();
    }

    [Fact]
    public async Task StartAsync_MissingExecutable_SaysHowToInstall()
    {
        var ex = await Assert.ThrowsAsync<FileNotFoundException>(() =>
            AzuriteProcess.StartAsync(new AzuriteOptions { ExecutablePath = "/nonexistent/azurite" }, CancellationToken.None));

        Assert.Contains("npm ci", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Processes whose command line names the port, i.e. the Azurite started on it.</summary>
    private static List<int> ProcessesListeningOn(int port)
    {
        var needle = "--tablePort\0" + port.ToString(CultureInfo.InvariantCulture) + "\0";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline"));
                if (cmdline.Contains(needle, StringComparison.Ordinal) && !cmdline.StartsWith("/bin/sh", StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
            catch (UnauthorizedAccessException)
            {
                // Not ours.
            }
        }

        return found;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition() && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }
    }
}
