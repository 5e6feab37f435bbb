namespace Thoras.Cli.Serve;

/// <summary>The end of the start-up banner of <c>thoras serve</c>: the installed kubectl and the operator CLI (the dashboard's URL is in the summary before it).</summary>
public static class ServeBanner
{
    /// <summary>Prints how to reach kubectl and the CLI from <c>.tools/</c>, and how to stop.</summary>
    public static void PrintTools(TextWriter stdout, string repositoryRoot, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(stdout);
        var tools = Environment.GetEnvironmentVariable("THORAS_TOOLS_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(repositoryRoot, ".tools");
        stdout.WriteLine($"kubectl (real, v1.35) and the operator CLI are in {tools}; add it to your PATH:");
        stdout.WriteLine($"  export PATH=\"{tools}:$PATH\"");
        stdout.WriteLine("  thoras status          # or: kubectl thoras status (kubectl-thoras, a kubectl plugin)");
        stdout.WriteLine("  kubectl thoras pause --reason \"deploy freeze\"; kubectl thoras resume; kubectl thoras audit");
        stdout.WriteLine("  kubectl get events -n demo");
        stdout.WriteLine(verbose
            ? "Logging every step, target and request (--verbose)."
            : "Logging one summary line per tick, warnings and errors; --verbose shows every step, target and request.");
        stdout.WriteLine("Press Ctrl-C to stop; Azurite and the sandbox stop with the app.");
        stdout.WriteLine();
        stdout.Flush();
    }
}
