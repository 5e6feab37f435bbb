using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using Thoras.Domain.Audit;
using Thoras.Domain.Pause;
using Thoras.Functions.Http;
using Thoras.Functions.Pause;
using Thoras.Infrastructure.Storage;
using Thoras.TestSupport.Storage;

namespace Thoras.Functions.Tests.Pause;

/// <summary>
/// The pause functions over real Table Storage (the test run's Azurite, fresh tables per harness). The cluster
/// side (autonomous targets, reconcile, and the mirror unless a real one is passed) is behind our own ports and
/// mocked here; the end-to-end tests pass the real ConfigMap mirror over the sandbox API server.
/// </summary>
internal sealed class PauseHarness
{
    public static readonly DateTimeOffset Now = new(2026, 6, 2, 12, 0, 0, TimeSpan.Zero);

    public PauseHarness(AzuriteFixture azurite, bool appSettingPaused = false, DateTimeOffset? start = null, IPauseMirror? mirror = null)
    {
        Time = new FakeTimeProvider(start ?? Now);
        var names = azurite.NewNames();
        Audit = new AuditLogTable(azurite.Tables, names, Time);
        Table = new SystemStateTable(azurite.Tables, names, Audit, Time);
        Options = new PauseOptions { ScalingPaused = appSettingPaused };
        Targets.Setup(t => t.ListAsync(It.IsAny<CancellationToken>()))
            .ReturnsAsync([new AutonomousTarget("shop", "api", "uid-1"), new AutonomousTarget("shop", "web", "uid-2")]);
        // The mocked mirror reads as missing (not paused), as a cluster where the app has not written it yet.
        Mirror.Setup(m => m.ReadAsync(It.IsAny<CancellationToken>())).ReturnsAsync(MirrorObservation.Missing);
        Mirror.Setup(m => m.Name).Returns("ConfigMap thoras/thoras-operator-system-config");
        Service = new PauseService(Table, Table, mirror ?? Mirror.Object, [Reconcile.Object], Options, Time);
        Functions = new PauseFunctions(Service, Targets.Object, new Callers(Auth), NullLogger<PauseFunctions>.Instance);
        Windows = new MaintenanceWindowFunctions(Service, Time, new Callers(Auth), NullLogger<MaintenanceWindowFunctions>.Instance);
    }

    public FakeTimeProvider Time { get; }

    /// <summary>Whether the principal header is trusted (App Service Authentication in front); false unless a test sets it.</summary>
    public AuthOptions Auth { get; } = new();

    public AuditLogTable Audit { get; }

    public SystemStateTable Table { get; }

    public PauseOptions Options { get; }

    public Mock<IPauseMirror> Mirror { get; } = new();

    public Mock<IAutonomousTargets> Targets { get; } = new();

    public Mock<IReconcileTrigger> Reconcile { get; } = new();

    public PauseService Service { get; }

    public PauseFunctions Functions { get; }

    public MaintenanceWindowFunctions Windows { get; }

    public static HttpRequest Request(string method, string path, string? body = null, string? contentType = "application/json")
    {
        var context = new DefaultHttpContext();
        context.Request.Method = method;
        context.Request.Path = path;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.Body = new MemoryStream(bytes);
            context.Request.ContentLength = bytes.Length;
            context.Request.ContentType = contentType;
        }

        return context.Request;
    }

    /// <summary>The audit records, newest first, from a day before <see cref="Now"/> (or <paramref name="since"/>) to 30 days after it.</summary>
    public Task<IReadOnlyList<AuditRecord>> AuditRecordsAsync(DateTimeOffset? since = null) =>
        Audit.ListAsync(new AuditQuery { Since = since ?? Now.AddDays(-1), Until = (since ?? Now).AddDays(30), Limit = 1000 }, CancellationToken.None);

    /// <summary>Everything a refused request must leave untouched: the pause state, the windows and the audit log.</summary>
    public async Task<(string State, int Windows, int AuditRecords)> SnapshotAsync() =>
        ((await Table.ReadAsync(CancellationToken.None)).Describe(),
         (await Table.ListAsync(CancellationToken.None)).Count,
         (await AuditRecordsAsync()).Count);
}
