using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Thoras.Infrastructure.Storage.Emulator;

namespace Thoras.Cli.Tests.Serve;

/// <summary>
/// <c>thoras serve</c> started as a real process on free loopback ports with its own state folder, as a user
/// starts it with <c>./build.sh run</c>; stopped with SIGINT, like Ctrl-C.
/// </summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource<Uri> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly bool _ownsState;

    private ServeProcess(Process process, string stateDirectory, bool ownsState, int port)
    {
        _process = process;
        _ownsState = ownsState;
        StateDirectory = stateDirectory;
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
    }

    public string StateDirectory { get; }

    public Uri BaseAddress { get; }

    public string FunctionKey => File.ReadAllText(Path.Combine(StateDirectory, "function-key")).Trim();

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>thoras serve</c>; with <paramref name="stateDirectory"/> on that state (kept at dispose, for a
    /// restart on it), else on a new temporary one deleted at dispose.</summary>
    /// <param name="speedUp">The sped-up clock's factor.</param>
    /// <param name="timeout">How long the start may take.</param>
    /// <param name="environment">Variables set for the process, such as <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>.</param>
    /// <param name="stateDirectory">The state folder to run on; null for a new temporary one.</param>
    /// <param name="sigintIgnored">Start it with SIGINT ignored, as a shell starts <c>cmd &amp;</c>.</param>
    public static async Task<ServeProcess> StartAsync(
        double speedUp, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment = null, string? stateDirectory = null, bool sigintIgnored = false)
    {
        var root = AzuriteProcess.FindRepositoryRoot();
        var thoras = Path.Combine(AppContext.BaseDirectory, "thoras.dll");
        var state = stateDirectory ?? Directory.CreateTempSubdirectory("thoras-serve-").FullName;
        var port = FreePort();
        // Started through env --default-signal=INT: a shell that runs the tests in the background (nohup ... &, as
        // CI may) makes SIGINT ignored, children inherit that, and .NET then never sees the Ctrl-C this test sends.
        var info = new ProcessStartInfo("env")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = root,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        foreach (var arg in new[] { sigintIgnored ? "--ignore-signal=INT" : "--default-signal=INT", "dotnet", thoras, "serve", "--port", port.ToString(CultureInfo.InvariantCulture), "--state-dir", state, "--speed-up", speedUp.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("could not start thoras serve");
        var serve = new ServeProcess(process, state, stateDirectory is null, port);
        process.OutputDataReceived += (_, e) => serve.Record(e.Data);
        process.ErrorDataReceived += (_, e) => serve.Record(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        process.EnableRaisingEvents = true;
        process.Exited += (_, _) => serve._ready.TrySetException(new InvalidOperationException("thoras serve exited early:\n" + serve.Output));

        using var cts = new CancellationTokenSource(timeout);
        await serve._ready.Task.WaitAsync(cts.Token);
        return serve;
    }

    /// <summary>Sends SIGINT (Ctrl-C) and waits for a clean exit; returns the exit code.</summary>
    public async Task<int> StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return _process.ExitCode;
        }

        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill!.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    /// <summary>Processes (other than this one) whose command line names the state folder: Azurite keeps its data there.</summary>
    public List<int> ProcessesUsingState()
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == _process.Id)
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")).Contains(StateDirectory, StringComparison.Ordinal))
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

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        if (!_ownsState)
        {
            return;
        }

        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder is harmless.
        }
    }

    private void Record(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }

        if (line.Contains("Thoras Functions is running at", StringComparison.Ordinal))
        {
            _ready.TrySetResult(BaseAddress);
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }
}
