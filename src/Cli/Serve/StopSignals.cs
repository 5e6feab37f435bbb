using System.Runtime.InteropServices;

namespace Thoras.Cli.Serve;

/// <summary>
/// Turns the signals that ask a process to stop (SIGINT from Ctrl-C or <c>kill -INT</c>, SIGTERM, SIGHUP when the
/// terminal closes, SIGQUIT) into one cancellation, registered with <see cref="PosixSignalRegistration"/>.
/// A process started in the background by a shell (<c>cmd &amp;</c>) inherits SIGINT as ignored, and the .NET
/// runtime leaves an inherited-ignored SIGINT ignored (registration included), so SIGINT is first reset to its
/// default disposition: then the registration's handler is installed and <c>kill -INT</c> stops the host cleanly.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private static readonly PosixSignal[] Stopping = [PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGHUP, PosixSignal.SIGQUIT];

    private const int SigInt = 2;

    private const nint SigDefault = 0;

    private readonly List<PosixSignalRegistration> _registrations;

    private StopSignals(List<PosixSignalRegistration> registrations) => _registrations = registrations;

    /// <summary>Cancels <paramref name="stop"/> on any stopping signal, instead of the default of ending the process at once.</summary>
    public static StopSignals Register(CancellationTokenSource stop)
    {
        ArgumentNullException.ThrowIfNull(stop);
        if (OperatingSystem.IsLinux() || OperatingSystem.IsMacOS())
            _ = Native.Signal(SigInt, SigDefault);
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

    private static class Native
    {
        [DllImport("libc", EntryPoint = "signal")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern nint Signal(int signum, nint handler);
    }
}
