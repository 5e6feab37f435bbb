using Microsoft.Extensions.Time.Testing;
using Thoras.Cli.Serve;
using Thoras.Sandbox;
using Xunit;

namespace Thoras.Cli.Tests.Serve;

public sealed class ServeStateTests : IDisposable
{
    private readonly string state = Directory.CreateTempSubdirectory("serve-state-").FullName;

    public void Dispose() => Directory.Delete(state, recursive: true);

    private async Task SaveSandboxAtAsync(DateTimeOffset at)
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { StateFile = ServeState.SandboxFile(state), TimeProvider = new FakeTimeProvider(at) });
    }

    [Fact]
    public async Task ClockStart_StoredStateAheadOfNow_StartsAfterIt()
    {
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));
        var ahead = now.GetUtcNow().AddHours(20);
        await SaveSandboxAtAsync(ahead);

        var start = ServeState.ClockStart(state, speedUp: 20, now);

        Assert.Equal(ahead + (SandboxServer.StateSaveInterval * 20), start);
    }

    [Fact]
    public async Task ClockStart_StoredStateBehindNow_StartsNow()
    {
        var now = new FakeTimeProvider(new DateTimeOffset(2026, 1, 5, 12, 0, 0, TimeSpan.Zero));
        await SaveSandboxAtAsync(now.GetUtcNow().AddDays(-1));

        Assert.Equal(now.GetUtcNow(), ServeState.ClockStart(state, speedUp: 20, now));
    }

    [Fact]
    public async Task Reset_StoredSandboxAndStorage_RemovesBothAndKeepsTheKey()
    {
        await SaveSandboxAtAsync(DateTimeOffset.UtcNow);
        Directory.CreateDirectory(ServeState.AzuriteDirectory(state));
        await File.WriteAllTextAsync(Path.Combine(ServeState.AzuriteDirectory(state), "__azurite_db_table__.json"), "{}");
        await File.WriteAllTextAsync(Path.Combine(state, "function-key"), "key");

        ServeState.Reset(state);

        Assert.Equal((false, false, true), (File.Exists(ServeState.SandboxFile(state)), Directory.Exists(ServeState.AzuriteDirectory(state)), File.Exists(Path.Combine(state, "function-key"))));
    }

    [Fact]
    public void Parse_Fresh_SetsFresh()
    {
        Assert.True(ServeOptions.Parse(["--fresh"]).Fresh);
    }
}
