namespace Thoras.Sandbox.Tests.Support;

/// <summary>Where the shared traces and the pinned tools are, found from the test binary's folder.</summary>
public static class TestPaths
{
    public static string Traces => Environment.GetEnvironmentVariable("THORAS_TRACES_DIR") is { Length: > 0 } fromEnv
        ? fromEnv
        : WalkUp(d => Path.Combine(d, "shared", "traces"), Directory.Exists) ?? throw new DirectoryNotFoundException("shared/traces not found");

    public static string Kubectl
    {
        get
        {
            var toolsDir = Environment.GetEnvironmentVariable("THORAS_TOOLS_DIR") is { Length: > 0 } fromEnv
                ? fromEnv
                : WalkUp(d => Path.Combine(d, ".tools"), Directory.Exists) ?? throw new DirectoryNotFoundException(".tools not found");
            var direct = Path.Combine(toolsDir, "kubectl");
            return File.Exists(direct) ? direct : Directory.GetFiles(toolsDir, "kubectl", SearchOption.AllDirectories).First();
        }
    }

    /// <summary>The chart's AIScaleTarget CRD, the one a real cluster gets.</summary>
    public static string ChartCrd => WalkUp(d => Path.Combine(d, "infra", "k8s", "chart", "crds", "aiscaletargets.thoras.ai.yaml"), File.Exists)
        ?? throw new FileNotFoundException("infra/k8s/chart/crds/aiscaletargets.thoras.ai.yaml not found");

    private static string? WalkUp(Func<string, string> candidate, Func<string, bool> exists)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = candidate(dir.FullName);
            if (exists(path))
                return path;
        }

        return null;
    }
}
