using System.Net.Http.Headers;
using Azure.Core;
using k8s.Authentication;
using Microsoft.Extensions.Logging;

namespace Thoras.Infrastructure.Kubernetes.Connection;

/// <summary>
/// Bearer tokens for the AKS API from an Entra credential (the app's managed identity in Azure). KubernetesClient
/// asks for a header on every request; the token is cached and renewed <see cref="RefreshMargin"/> before it
/// expires, so a request never carries a token about to lapse. The token itself is never logged.
/// </summary>
public sealed partial class AksTokenProvider : ITokenProvider, IDisposable
{
    /// <summary>How long before expiry a cached token is renewed.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly TokenCredential credential;
    private readonly TokenRequestContext request;
    private readonly TimeProvider timeProvider;
    private readonly ILogger<AksTokenProvider> logger;
    private readonly SemaphoreSlim renewal = new(1, 1);
    private volatile CachedToken? current;

    public AksTokenProvider(TokenCredential credential, string scope, TimeProvider timeProvider, ILogger<AksTokenProvider> logger)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scope);
        this.credential = credential;
        request = new TokenRequestContext([scope]);
        this.timeProvider = timeProvider;
        this.logger = logger;
    }

    public async Task<AuthenticationHeaderValue> GetAuthenticationHeaderAsync(CancellationToken cancellationToken)
    {
        var token = await CurrentTokenAsync(cancellationToken);
        return new AuthenticationHeaderValue("Bearer", token.Value);
    }

    public void Dispose() => renewal.Dispose();

    private async Task<CachedToken> CurrentTokenAsync(CancellationToken cancellationToken)
    {
        if (current is { } fresh && IsFresh(fresh)) return fresh;

        await renewal.WaitAsync(cancellationToken);
        try
        {
            // Another request may have renewed the token while this one waited.
            if (current is { } renewed && IsFresh(renewed)) return renewed;
            return current = await AcquireAsync(current, cancellationToken);
        }
        finally
        {
            renewal.Release();
        }
    }

    private async Task<CachedToken> AcquireAsync(CachedToken? previous, CancellationToken cancellationToken)
    {
        try
        {
            var token = await credential.GetTokenAsync(request, cancellationToken);
            LogAcquired(string.Join(' ', request.Scopes), token.ExpiresOn);
            return new CachedToken(token.Token, token.ExpiresOn);
        }
        catch (Exception e) when (e is not OperationCanceledException && previous is not null && timeProvider.GetUtcNow() < previous.ExpiresOn)
        {
            // Early renewal failed but the old token is still valid: keep serving it and try again on the next request.
            LogRenewalFailed(e, string.Join(' ', request.Scopes), previous.ExpiresOn);
            return previous;
        }
    }

    private bool IsFresh(CachedToken token) => timeProvider.GetUtcNow() < token.ExpiresOn - RefreshMargin;

    [LoggerMessage(Level = LogLevel.Information, Message = "Acquired a Kubernetes API token for {Scope}, valid until {ExpiresOn}")]
    private partial void LogAcquired(string scope, DateTimeOffset expiresOn);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not renew the Kubernetes API token for {Scope}; using the current one, valid until {ExpiresOn}")]
    private partial void LogRenewalFailed(Exception exception, string scope, DateTimeOffset expiresOn);

    private sealed record CachedToken(string Value, DateTimeOffset ExpiresOn)
    {
        // Keeps the token out of any accidental ToString (logs, debugger displays, exception data).
        public override string ToString() => $"token valid until {ExpiresOn:O}";
    }
}
