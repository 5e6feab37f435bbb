using Microsoft.AspNetCore.Http;
using Thoras.Domain.Audit;

namespace Thoras.Functions.Http;

/// <summary>
/// Who is calling: with <see cref="AuthOptions.TrustAppServicePrincipal"/>, the principal App Service Authentication
/// signed in (<c>X-MS-CLIENT-PRINCIPAL-NAME</c>); otherwise the actor the body names, or <c>api</c>. The rules of a
/// name are <see cref="Actor"/>'s; a name that breaks them throws <see cref="InvalidActorException"/> (a 400).
/// </summary>
public sealed class Callers(AuthOptions options)
{
    /// <summary>The header App Service Authentication sets to the signed-in principal's name.</summary>
    public const string PrincipalHeader = "X-MS-CLIENT-PRINCIPAL-NAME";

    /// <summary>The actor of <paramref name="request"/>, whose body declared <paramref name="declared"/> (may be null).</summary>
    public Actor ActorOf(HttpRequest request, string? declared)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (options.TrustAppServicePrincipal && request.Headers.TryGetValue(PrincipalHeader, out var principal) && principal.Count > 0)
        {
            if (principal.Count > 1)
                throw new InvalidActorException($"The {PrincipalHeader} header must appear once.");
            return Actor.Principal(principal[0] ?? string.Empty);
        }

        return Actor.Declared(declared);
    }
}
