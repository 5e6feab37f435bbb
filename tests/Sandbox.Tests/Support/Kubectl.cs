using System.Diagnostics;

namespace Thoras.Sandbox.Tests.Support;

/// <summary>Runs the pinned real kubectl against a sandbox through a kubeconfig, with its own cache and home.</summary>
public sealed class Kubectl : IDisposable
{
    private readonly string home;
    private readonly string kubeconfig;

    public Kubectl(SandboxServer sandbox)
    {
        home = Directory.CreateTempSubdirectory("kubectl-").FullName;
        kubeconfig = Path.Combine(home, "config");
        sandbox.WriteKubeconfig(kubeconfig);
    }

    public string Home => home;

    public sealed record Result(int ExitCode, string Output, string Error)
    {
        public override string ToString() => $"exit {ExitCode}\nstdout:\n{Output}\nstderr:\n{Error}";
    }

    public async Task<Result> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, string? stdin = null)
    {
        var start = new ProcessStartInfo(TestPaths.Kubectl)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment["KUBECONFIG"] = kubeconfig;
        start.Environment["HOME"] = home;
        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
            start.Environment[key] = value;
        using var process = Process.Start(start)!;
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
        return new Result(process.ExitCode, await output, await error);
    }

    /// <summary>Runs kubectl and fails the test, showing its output, unless it exits 0.</summary>
    public async Task<string> OkAsync(params string[] args)
    {
        var result = await RunAsync(args);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} failed:\n{result}");
        return result.Output;
    }

    public void Dispose() => Directory.Delete(home, recursive: true);
}
