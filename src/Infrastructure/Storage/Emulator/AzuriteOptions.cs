namespace Thoras.Infrastructure.Storage.Emulator;

/// <summary>How to start a private Azurite (local Azure Storage emulator) process.</summary>
public sealed class AzuriteOptions
{
    /// <summary>The Azurite launcher. Default: <c>node_modules/.bin/azurite</c> under <see cref="RepositoryRoot"/>.</summary>
    public string? ExecutablePath { get; set; }

    /// <summary>The folder holding <c>package.json</c> and <c>node_modules</c>. Default: found by walking up from the app's folder.</summary>
    public string? RepositoryRoot { get; set; }

    /// <summary>Keep data in memory only (tests). When false, data lives under <see cref="DataDirectory"/>. Default: true.</summary>
    public bool InMemory { get; set; } = true;

    /// <summary>Where Azurite keeps its files when <see cref="InMemory"/> is false. Default: a new temporary folder.</summary>
    public string? DataDirectory { get; set; }

    /// <summary>
    /// The process whose death stops Azurite, so a crashed test run or host never leaves it behind.
    /// Default: the current process.
    /// </summary>
    public int? WatchedProcessId { get; set; }

    /// <summary>
    /// The blob, queue and table ports, to start Azurite again where clients already point (a restart). Default: null,
    /// three free ports (tried again on a new set if one is taken meanwhile).
    /// </summary>
    public IReadOnlyList<int>? Ports { get; set; }

    /// <summary>How long to wait for Azurite to listen. Default: 60 seconds.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(60);
}
