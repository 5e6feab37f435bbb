using System.Diagnostics;
using Thoras.Cli.Tests.Serve;
using Thoras.Infrastructure.Storage.Emulator;
using Xunit;

namespace Thoras.Cli.Tests.Operator;

/// <summary>
/// <c>thoras serve</c> running as a user starts it, and the real kubectl with a <c>kubectl-thoras</c> launcher on its
/// PATH (as <c>./build.sh</c> installs it in <c>.tools/</c>), so <c>kubectl thoras ...</c> runs the CLI as a plugin.
/// </summary>
public sealed class KubectlPluginFixture : IAsyncLifetime
{
    /// <summary>How much faster than real time the host's clock runs: a one-minute tick takes 3 s.</summary>
    public const int SpeedUp = 20;

    private readonly string _bin = Directory.CreateTempSubdirectory("thoras-plugin-").FullName;

    public ServeProcess Serve { get; private set; } = null!;

    public string Kubeconfig => Path.Combine(Serve.StateDirectory, "sandbox.kubeconfig");

    public async Task InitializeAsync()
    {
        var launcher = Path.Combine(_bin, "kubectl-thoras");
        await File.WriteAllTextAsync(launcher, $"#!/bin/sh\nexec dotnet \"{Path.Combine(AppContext.BaseDirectory, "thoras.dll")}\" \"$@\"\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Serve = await ServeProcess.StartAsync(speedUp: SpeedUp, TimeSpan.FromMinutes(5));
    }

    public async Task DisposeAsync()
    {
        await Serve.DisposeAsync();
        Directory.Delete(_bin, recursive: true);
    }

    /// <summary>Runs the real kubectl from a folder outside the repository, pointed at the sandbox, with the plugin on PATH.</summary>
    public async Task<(int ExitCode, string Output, string Error)> KubectlAsync(params string[] args)
    {
        var info = new ProcessStartInfo(KubectlPath())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = _bin,
        };
        foreach (var arg in args)
            info.ArgumentList.Add(arg);
        info.Environment["PATH"] = _bin + ":" + Environment.GetEnvironmentVariable("PATH");
        info.Environment["KUBECONFIG"] = Kubeconfig;
        info.Environment["HOME"] = _bin;
        info.Environment["THORAS_STATE_DIR"] = Serve.StateDirectory;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    private static string KubectlPath()
    {
        var tools = Environment.GetEnvironmentVariable("THORAS_TOOLS_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(AzuriteProcess.FindRepositoryRoot(), ".tools");
        return Path.Combine(tools, "kubectl");
    }
}
