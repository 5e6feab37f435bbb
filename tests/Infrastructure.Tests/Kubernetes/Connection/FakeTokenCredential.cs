using Azure.Core;

namespace Thoras.Infrastructure.Tests.Kubernetes.Connection;

/// <summary>
/// A hand-written Entra credential: issues numbered tokens ("token-1", "token-2", ...) valid for
/// <see cref="Lifetime"/> from the fake clock, records every request, and fails on demand.
/// </summary>
internal sealed class FakeTokenCredential(TimeProvider clock) : TokenCredential
{
    private int issued;

    public TimeSpan Lifetime { get; init; } = TimeSpan.FromHours(1);

    public List<string[]> RequestedScopes { get; } = [];

    public Exception? FailWith { get; set; }

    public int Issued => issued;

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        Issue(requestContext);

    public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        // Yield so concurrent callers really overlap while a token is being acquired.
        await Task.Yield();
        return Issue(requestContext);
    }

    private AccessToken Issue(TokenRequestContext requestContext)
    {
        lock (RequestedScopes) RequestedScopes.Add(requestContext.Scopes);
        if (FailWith is { } failure) throw failure;
        var number = Interlocked.Increment(ref issued);
        return new AccessToken($"token-{number}", clock.GetUtcNow() + Lifetime);
    }
}
