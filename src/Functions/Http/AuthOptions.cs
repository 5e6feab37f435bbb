namespace Thoras.Functions.Http;

/// <summary>
/// How the app learns who is calling. Bound from the <c>Auth</c> configuration section
/// (<c>Auth__TrustAppServicePrincipal</c> as an app setting).
/// </summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>
    /// Whether the app runs behind App Service Authentication (Easy Auth), which signs users in and sets
    /// <c>X-MS-CLIENT-PRINCIPAL-NAME</c> after stripping any such header a client sent. Only then is the header
    /// trusted as the actor of a change (and validated: 1–254 printable characters, not a name the app uses for
    /// itself); otherwise anyone holding a function key could record any name, so the header is ignored.
    /// Default: false.
    /// </summary>
    public bool TrustAppServicePrincipal { get; set; }
}
