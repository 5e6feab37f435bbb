using Microsoft.Extensions.Logging;
using Thoras.Infrastructure.Storage.Emulator;

namespace Thoras.Cli.Serve;

/// <summary>
/// Keeps the local host's Azurite alive: when it dies, it is started again on the same ports and data folder (the
/// app's connection string stays valid and no data is lost), at most <see cref="MaxRestarts"/> times in
/// <see cref="RestartWindow"/>; past that, or when it cannot start, <see cref="SuperviseAsync"/> returns why, and
/// <c>thoras serve</c> stops and exits non-zero saying so, instead of staying up unhealthy.
/// </summary>
public sealed class AzuriteSupervisor(AzuriteProcess initial, AzuriteOptions options, ILogger logger) : IAsyncDisposable
{
    /// <summary>How many restarts are allowed within <see cref="RestartWindow"/>.</summary>
    public const int MaxRestarts = 3;

    /// <summary>The window over which restarts are counted.</summary>
    public static readonly TimeSpan RestartWindow = TimeSpan.FromMinutes(5);

    private readonly Queue<DateTime> _restarts = new();

    /// <summary>The Azurite running now.</summary>
    public AzuriteProcess Current { get; private set; } = initial;

    /// <summary>
    /// Watches Azurite until <paramref name="cancellationToken"/> fires (returns null) or it died and could not be
    /// brought back (returns why).
    /// </summary>
    public async Task<string?> SuperviseAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            try
            {
                await Current.Exited.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return null;
            }

            var now = DateTime.UtcNow;
            while (_restarts.Count > 0 && now - _restarts.Peek() > RestartWindow)
                _restarts.Dequeue();
            if (_restarts.Count >= MaxRestarts)
                return $"Azurite died {MaxRestarts + 1} times within {RestartWindow.TotalMinutes:0} minutes; giving up (see {options.DataDirectory ?? "its data folder"}).";

            _restarts.Enqueue(now);
            logger.LogError("Azurite (table port {Port}) exited unexpectedly; starting it again on the same ports", Current.TablePort);
            var ports = Current.Ports;
            await Current.DisposeAsync();
            try
            {
                options.Ports = ports;
                Current = await AzuriteProcess.StartAsync(options, cancellationToken);
                logger.LogWarning("Azurite is running again on table port {Port}", Current.TablePort);
            }
            catch (OperationCanceledException)
            {
                return null;
            }
            catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
            {
                return $"Azurite died and could not be started again on ports {string.Join(", ", ports)}: {ex.Message}";
            }
        }
    }

    public ValueTask DisposeAsync() => Current.DisposeAsync();
}
