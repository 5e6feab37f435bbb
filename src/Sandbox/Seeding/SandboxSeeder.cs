using System.Text.Json.Nodes;
using Thoras.Sandbox.Admission;
using Thoras.Sandbox.Storage;
using Thoras.Sandbox.Workloads;

namespace Thoras.Sandbox.Seeding;

/// <summary>
/// Puts objects into a running sandbox from C#: manifests built with <see cref="Manifests"/> and <see cref="WorkloadBuilder"/>,
/// YAML text or seed files. Applying creates the object or replaces an existing one; pods go through admission.
/// </summary>
public sealed class SandboxSeeder
{
    private readonly ObjectStore store;
    private readonly WorkloadController workloads;
    private readonly PodAdmission admission;

    internal SandboxSeeder(ObjectStore store, WorkloadController workloads, PodAdmission admission)
    {
        this.store = store;
        this.workloads = workloads;
        this.admission = admission;
    }

    /// <summary>Creates or replaces each object, namespaces and CRDs first, then reconciles workloads into pods.
    /// Returns the stored objects.</summary>
    public async Task<IReadOnlyList<JsonObject>> ApplyAsync(IEnumerable<JsonObject> objects, CancellationToken cancellation = default)
    {
        var ordered = objects.OrderBy(o => o["kind"]?.ToString() switch
        {
            "Namespace" => 0,
            "CustomResourceDefinition" => 1,
            _ => 2,
        }).ToList();
        var stored = new List<JsonObject>();
        foreach (var obj in ordered)
            stored.Add(await ApplyOneAsync(obj, cancellation));
        await workloads.ReconcileAsync(cancellation);
        return stored;
    }

    public async Task<JsonObject> ApplyAsync(JsonObject obj, CancellationToken cancellation = default) =>
        (await ApplyAsync([obj], cancellation))[0];

    public Task<IReadOnlyList<JsonObject>> ApplyYamlAsync(string yaml, CancellationToken cancellation = default) =>
        ApplyAsync(YamlManifests.Parse(yaml), cancellation);

    /// <summary>Applies a seed file: multi-document YAML manifests (see docs/sandbox.md).</summary>
    public async Task<IReadOnlyList<JsonObject>> ApplyFileAsync(string path, CancellationToken cancellation = default) =>
        await ApplyYamlAsync(await File.ReadAllTextAsync(path, cancellation), cancellation);

    /// <summary>
    /// Creates a custom object without its CRD's schema and rules, as one stored before the CRD had them (a real cluster
    /// keeps such objects): for tests of how the app meets invalid objects.
    /// </summary>
    public Task<JsonObject> ApplyUnvalidatedAsync(JsonObject obj)
    {
        var type = store.Catalog.FindByKind(obj["apiVersion"]?.ToString() ?? "", obj["kind"]?.ToString() ?? "")
            ?? throw new ArgumentException("The sandbox does not serve this kind; apply its CustomResourceDefinition first.");
        return Task.FromResult(store.Create(type, null, obj, admit: false));
    }

    public Task<JsonObject> NamespaceAsync(string name, CancellationToken cancellation = default) =>
        ApplyAsync(Manifests.Namespace(name), cancellation);

    private async Task<JsonObject> ApplyOneAsync(JsonObject obj, CancellationToken cancellation)
    {
        var apiVersion = obj["apiVersion"]?.ToString() ?? throw new ArgumentException("Manifest has no apiVersion.");
        var kind = obj["kind"]?.ToString() ?? throw new ArgumentException("Manifest has no kind.");
        var type = store.Catalog.FindByKind(apiVersion, kind)
            ?? throw new ArgumentException($"The sandbox does not serve {kind} in {apiVersion}; apply its CustomResourceDefinition first.");
        var ns = type.Namespaced ? obj["metadata"]?["namespace"]?.ToString() ?? "default" : null;
        var name = obj["metadata"]?["name"]?.ToString();
        var status = obj["status"]?.DeepClone();
        JsonObject stored;
        if (name is not null && store.TryGet(type, ns, name) is not null)
        {
            stored = store.Update(type, ns, name, current =>
            {
                var replacement = (JsonObject)obj.DeepClone();
                JsonPaths.Metadata(replacement).Remove("resourceVersion");
                return replacement;
            });
        }
        else
        {
            var toCreate = type.StorageKey == ResourceCatalog.Pods.StorageKey ? await admission.ReviewAsync(obj, ns!, cancellation) : obj;
            stored = store.Create(type, ns, toCreate);
        }

        // A seed may set the status of a custom object (an AST with a recorded state); pods and workloads get theirs from the sandbox.
        if (status is not null && type.IsCustom && type.HasStatus)
        {
            stored = store.Update(type, ns, stored["metadata"]!["name"]!.ToString(), current =>
            {
                current["status"] = status.DeepClone();
                current["metadata"]!["resourceVersion"] = null;
                return current;
            }, "status");
        }

        return stored;
    }
}
