using System.Text.Json.Nodes;

namespace Thoras.Sandbox.Storage;

/// <summary>
/// How a resource served in one group-version is kept in another's storage, as the API server converts every version
/// through one stored form: events.k8s.io/v1 Events are core v1 Events, so both APIs see the same objects.
/// </summary>
internal abstract class StoredVersion
{
    /// <summary>The type whose storage (and whose form in it) the served type shares.</summary>
    public abstract ResourceType Storage { get; }

    /// <summary>A new object: <paramref name="served"/> in the stored form.</summary>
    public abstract JsonObject ToStorage(JsonObject served);

    /// <summary>A new object: <paramref name="stored"/> as the served version shows it.</summary>
    public abstract JsonObject FromStorage(JsonObject stored);

    /// <summary>The stored form's name for a field selector label of the served version; 400 for labels it does not support.</summary>
    public abstract string StorageFieldLabel(string label);
}
