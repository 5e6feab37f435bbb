using Azure.Identity;
using Microsoft.Extensions.Time.Testing;
using Thoras.Infrastructure.Kubernetes.Connection;
using Xunit;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

public sealed class AksTokenProviderTests : IDisposable
{
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 28, 1, 0, 0, TimeSpan.Zero));
    private readonly FakeTokenCredential credential;
    private readonly CapturingLogger<AksTokenProvider> logger = new();
    private readonly AksTokenProvider provider;

    public AksTokenProviderTests()
    {
        credential = new FakeTokenCredential(clock) { Lifetime = TimeSpan.FromHours(1) };
        provider = new AksTokenProvider(credential, KubernetesOptions.DefaultAksScope, clock, logger);
    }

    public void Dispose() => provider.Dispose();

    [Fact]
    public async Task GetAuthenticationHeader_FirstRequest_RequestsTokenForAksScope()
    {
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        var scopes = Assert.Single(credential.RequestedScopes);
        Assert.Equal(["6dae42f8-4368-4678-94ff-3960e28e3630/.default"], scopes);
    }

    [Fact]
    public async Task GetAuthenticationHeader_FirstRequest_ReturnsBearerToken()
    {
        var header = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal("Bearer", header.Scheme);
        Assert.Equal("token-1", header.Parameter);
    }

    [Fact]
    public async Task GetAuthenticationHeader_TokenFresh_ReusesCachedToken()
    {
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(54));

        var header = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal("token-1", header.Parameter);
        Assert.Equal(1, credential.Issued);
    }

    [Fact]
    public async Task GetAuthenticationHeader_WithinFiveMinutesOfExpiry_RenewsBeforeExpiry()
    {
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(55));

        var header = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal("token-2", header.Parameter);
        Assert.Equal(2, credential.RequestedScopes.Count);
    }

    [Fact]
    public async Task GetAuthenticationHeader_RenewedToken_IsCachedInItsTurn()
    {
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(56));
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(30));

        var header = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal("token-2", header.Parameter);
    }

    [Fact]
    public async Task GetAuthenticationHeader_RenewalFailsWhileTokenStillValid_KeepsCurrentToken()
    {
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(57));
        credential.FailWith = new CredentialUnavailableException("managed identity endpoint unavailable");

        var header = await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal("token-1", header.Parameter);
    }

    [Fact]
    public async Task GetAuthenticationHeader_RenewalFailsAfterExpiry_Throws()
    {
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(61));
        credential.FailWith = new CredentialUnavailableException("managed identity endpoint unavailable");

        await Assert.ThrowsAsync<CredentialUnavailableException>(() => provider.GetAuthenticationHeaderAsync(CancellationToken.None));
    }

    [Fact]
    public async Task GetAuthenticationHeader_ConcurrentFirstRequests_AcquireOneToken()
    {
        var requests = Enumerable.Range(0, 16).Select(_ => provider.GetAuthenticationHeaderAsync(CancellationToken.None));

        var headers = await Task.WhenAll(requests);

        Assert.All(headers, h => Assert.Equal("token-1", h.Parameter));
        Assert.Equal(1, credential.Issued);
    }

    [Fact]
    public async Task GetAuthenticationHeader_AcquireRenewAndFailedRenewal_NeverLogsToken()
    {
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(56));
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMinutes(56));
        credential.FailWith = new CredentialUnavailableException("managed identity endpoint unavailable");
        await provider.GetAuthenticationHeaderAsync(CancellationToken.None);

        Assert.Equal(3, logger.Entries.Count);
        Assert.Contains(KubernetesOptions.DefaultAksScope, logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("token-1", logger.AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("token-2", logger.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_EmptyScope_Throws()
    {
        Assert.Throws<ArgumentException>(() => new AksTokenProvider(credential, " ", clock, logger));
    }
}
