using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Thoras.Sandbox.Storage;
using Thoras.Sandbox.Usage;

namespace Thoras.Sandbox.Persistence;

/// <summary>
/// The sandbox's objects in a file, like a kind cluster's etcd on disk: loaded at start, written every
/// <see cref="SaveInterval"/> and when the sandbox stops, each time whole and atomically (a new file renamed over the
/// old), with the clock's time and the simulated time so both go on from where they were.
/// </summary>
internal sealed class SandboxState : IAsyncDisposable
{
    /// <summary>How often (real time) the state is written while the sandbox runs.</summary>
    public static readonly TimeSpan SaveInterval = TimeSpan.FromSeconds(2);

    private readonly string path;
    private readonly ObjectStore store;
    private readonly Simulation simulation;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly CancellationTokenSource stop = new();
    private readonly object writing = new();
    private Task? loop;

    public SandboxState(string path, ObjectStore store, Simulation simulation, TimeProvider time, ILogger logger)
    {
        this.path = path;
        this.store = store;
        this.simulation = simulation;
        this.time = time;
        this.logger = logger;
    }

    /// <summary>The clock's time when the state in <paramref name="file"/> was written, or null without one.</summary>
    public static DateTimeOffset? SavedAt(string file)
    {
        try
        {
            return File.Exists(file) && JsonNode.Parse(File.ReadAllText(file))?["savedAt"]?.ToString() is { } text
                ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)
                : null;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or FormatException or IOException)
        {
            return null;
        }
    }

    /// <summary>Loads the state file into the (empty) store, if there is one; false when the sandbox starts empty.</summary>
    public bool Load()
    {
        if (!File.Exists(path))
            return false;
        try
        {
            var saved = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
            store.Restore(saved["store"]!.AsObject());
            simulation.Resume(TimeSpan.FromSeconds(saved["simulatedElapsedSeconds"]?.GetValue<double>() ?? 0));
            logger.LogInformation("Sandbox state restored from {StateFile} at resourceVersion {ResourceVersion}", path, store.CurrentResourceVersion);
            return true;
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException or NullReferenceException)
        {
            // A damaged file must not stop the sandbox; it starts empty and the next save replaces the file.
            logger.LogWarning(e, "Sandbox state {StateFile} could not be read; starting empty", path);
            return false;
        }
    }

    public void Start() => loop = Task.Run(async () =>
    {
        using var timer = new PeriodicTimer(SaveInterval);
        while (await timer.WaitForNextTickAsync(stop.Token).ConfigureAwait(false))
            Save();
    });

    public void Save()
    {
        lock (writing)
        {
            var state = new JsonObject
            {
                ["savedAt"] = time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture),
                ["simulatedElapsedSeconds"] = simulation.Elapsed.TotalSeconds,
                ["store"] = store.Snapshot(),
            };
            var temporary = path + ".tmp";
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            File.WriteAllText(temporary, state.ToJsonString());
            File.Move(temporary, path, overwrite: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        try
        {
            if (loop is not null)
                await loop;
        }
        catch (OperationCanceledException)
        {
            // The loop ends by cancellation.
        }

        Save();
        stop.Dispose();
    }
}
