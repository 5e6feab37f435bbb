namespace Thoras.Infrastructure.Tests.Kubernetes;

/// <summary>Where the repository's chart, samples and pinned tools are, found from the test binary's folder.</summary>
public static class RepositoryFiles
{
    public static string Root { get; } = FindRoot();

    public static string Chart => Path.Combine(Root, "infra", "k8s", "chart");

    public static string Crd => Path.Combine(Chart, "crds", "aiscaletargets.thoras.ai.yaml");

    public static string Samples => Path.Combine(Root, "infra", "k8s", "samples");

    public static string Tool(string name)
    {
        var tools = Environment.GetEnvironmentVariable("THORAS_TOOLS_DIR") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Root, ".tools");
        var path = Path.Combine(tools, name);
        return File.Exists(path) ? path : throw new FileNotFoundException($"{name} is not in {tools}; run ./build.sh tools", path);
    }

    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("THORAS_REPO_ROOT") is { Length: > 0 } fromEnvironment)
            return fromEnvironment;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ThorasFunctions.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Cannot find the repository root (ThorasFunctions.sln) above " + AppContext.BaseDirectory);
    }
}
