using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>
/// What the API server checks (and fills in) before a write is stored, for the kinds a strategy knows: built-in
/// validation, a CRD's schema and rules. The store calls every strategy on every create and update.
/// </summary>
internal interface IWriteStrategy
{
    /// <summary>
    /// Completes <paramref name="next"/> (defaults) and throws <see cref="ApiError"/> 422 if it may not be stored.
    /// <paramref name="requested"/> is the type the client addressed; <paramref name="next"/> and <paramref name="old"/>
    /// (null on create) are in the stored form.
    /// </summary>
    void Admit(ResourceType requested, JsonObject? old, JsonObject next, string subresource);
}
