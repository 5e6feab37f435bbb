using Thoras.Sandbox;

namespace Thoras.Cli.Serve;

/// <summary>
/// What <c>thoras serve</c> keeps in its state directory from one run to the next: the sandbox's objects and Azurite's
/// data, which belong together (the app's stored state names the sandbox's UIDs), and the clock they were written by.
/// </summary>
public static class ServeState
{
    /// <summary>The sandbox's objects, like a kind cluster's etcd.</summary>
    public static string SandboxFile(string state) => Path.Combine(state, "sandbox.json");

    /// <summary>Azurite's tables, queues and blobs.</summary>
    public static string AzuriteDirectory(string state) => Path.Combine(state, "azurite");

    /// <summary><c>--fresh</c>: forgets the sandbox's objects and the storage together, so neither outlives the other.</summary>
    public static void Reset(string state)
    {
        File.Delete(SandboxFile(state));
        if (Directory.Exists(AzuriteDirectory(state)))
            Directory.Delete(AzuriteDirectory(state), recursive: true);
    }

    /// <summary>
    /// Where the sped-up clock starts: now, or where the last run's clock had got to if that is later, so nothing the
    /// app or the sandbox stored carries a time after the clock. The app may have written for up to one save interval
    /// after the sandbox's last save, so that much (sped up) is added.
    /// </summary>
    public static DateTimeOffset ClockStart(string state, double speedUp, TimeProvider real)
    {
        var now = real.GetUtcNow();
        return SandboxServer.SavedClock(SandboxFile(state)) is { } saved && saved + (SandboxServer.StateSaveInterval * speedUp) > now
            ? saved + (SandboxServer.StateSaveInterval * speedUp)
            : now;
    }
}
