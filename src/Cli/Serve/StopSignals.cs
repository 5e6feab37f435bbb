using System.Runtime.InteropServices;

namespace Thoras.Cli.Serve;

/// <summary>
/// Turns the signals that ask a process to stop (SIGINT from Ctrl-C or <c>kill -INT</c>, SIGTERM, SIGHUP when the
/// terminal closes, SIGQUIT) into one cancellation. Registered with <see cref="PosixSignalRegistration"/>, which
/// installs the handler itself: a process started in the background by a shell (<c>cmd &amp;</c>) inherits SIGINT
/// as ignored, and <c>Console.CancelKeyPress</c> alone would then never hear Ctrl-C.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private static readonly PosixSignal[] Stopping = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    private readonly List<PosixSignalRegistration> _registrations;

    private StopSignals(List<PosixSignalRegistration> registrations) => _registrations = registrations;

    /// <summary>Cancels <paramref name="stop"/> on any stopping signal, instead of the default of ending the process at once.</summary>
    public static StopSignals Register(CancellationTokenSource stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        return new StopSignals([.. Stopping.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        }))]);
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
            registration.Dispose();
    }
}
