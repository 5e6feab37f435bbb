using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Thoras.Sandbox.Api;

/// <summary>What changed in the store, as a watch stream reports it.</summary>
internal sealed record WatchEvent(string Type, JsonObject Object);

/// <summary>
/// The sandbox's etcd: every object as JSON, with the API server's storage rules (resourceVersion, generation,
/// optimistic concurrency, finalizers, status subresource isolation). All reads return copies, except
/// <see cref="Select{T}"/>'s read-only projections. Objects are kept sorted by namespace and name, so a namespaced
/// read touches only its namespace; each change is noted per kind and namespace (<see cref="ChangedNamespaces"/>).
/// </summary>
internal sealed class ObjectStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, SortedList<string, JsonObject>> objects = new(StringComparer.Ordinal);
    private readonly Dictionary<(string StorageKey, string Namespace), long> changedAt = [];
    private readonly Dictionary<string, long> kindChangedAt = new(StringComparer.Ordinal);
    private readonly List<(string StorageKey, string? Namespace, Channel<WatchEvent> Channel)> watchers = [];
    private readonly ResourceCatalog catalog;
    private readonly TimeProvider time;
    private readonly Func<ResourceType, JsonObject, JsonObject, bool> noteworthy;
    private long resourceVersion = 1000;

    /// <param name="catalog">The resource types served.</param>
    /// <param name="time">Where timestamps come from.</param>
    /// <param name="noteworthy">
    /// Whether an update (type, before, after) is one that <see cref="ChangedNamespaces"/> and <see cref="VersionOf"/>
    /// report, like a controller's watch predicate; creations and deletions always are. Default: every update.
    /// </param>
    public ObjectStore(ResourceCatalog catalog, TimeProvider time, Func<ResourceType, JsonObject, JsonObject, bool>? noteworthy = null)
    {
        this.catalog = catalog;
        this.time = time;
        this.noteworthy = noteworthy ?? ((_, _, _) => true);
    }

    public ResourceCatalog Catalog => catalog;

    public string CurrentResourceVersion
    {
        get
        {
            lock (gate)
                return resourceVersion.ToString(CultureInfo.InvariantCulture);
        }
    }

    public string Now() => time.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public JsonObject? TryGet(ResourceType type, string? ns, string name)
    {
        lock (gate)
            return Bucket(type).TryGetValue(Key(type, ns, name), out var found) ? (JsonObject)found.DeepClone() : null;
    }

    public JsonObject Get(ResourceType type, string? ns, string name) =>
        TryGet(type, ns, name) ?? throw ApiError.NotFound(type, name);

    public (List<JsonObject> Items, string ResourceVersion) List(ResourceType type, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (gate)
        {
            var items = InScope(type, ns)
                .Where(o => filter is null || filter(o))
                .Select(o => (JsonObject)o.DeepClone())
                .ToList();
            return (items, resourceVersion.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>
    /// What <paramref name="read"/> makes of each stored object of the type (in <paramref name="ns"/> when given), skipping
    /// nulls: a read without copies, under the store's lock. <paramref name="read"/> must neither change the object nor
    /// keep it; it may copy it.
    /// </summary>
    public List<T> Select<T>(ResourceType type, string? ns, Func<JsonObject, T?> read)
        where T : class
    {
        lock (gate)
        {
            var results = new List<T>();
            foreach (var item in InScope(type, ns))
            {
                if (read(item) is { } result)
                    results.Add(result);
            }

            return results;
        }
    }

    /// <summary>The store version of the last noteworthy change to an object of <paramref name="type"/> (0 before any).</summary>
    public long VersionOf(ResourceType type)
    {
        lock (gate)
            return kindChangedAt.GetValueOrDefault(type.StorageKey);
    }

    /// <summary>
    /// The namespaces in which objects of <paramref name="types"/> changed (created, deleted, or updated in a noteworthy way) after store version
    /// <paramref name="since"/>, and the store version they are current to.
    /// </summary>
    public (HashSet<string> Namespaces, long Version) ChangedNamespaces(IReadOnlyCollection<ResourceType> types, long since)
    {
        lock (gate)
        {
            var keys = types.Select(t => t.StorageKey).ToHashSet(StringComparer.Ordinal);
            var namespaces = changedAt.Where(c => c.Value > since && keys.Contains(c.Key.StorageKey)).Select(c => c.Key.Namespace).ToHashSet(StringComparer.Ordinal);
            return (namespaces, resourceVersion);
        }
    }

    public JsonObject Create(ResourceType type, string? ns, JsonObject obj, bool dryRun = false)
    {
        lock (gate)
        {
            var created = (JsonObject)obj.DeepClone();
            FoldStringData(type, created);
            created["apiVersion"] = type.ApiVersion;
            created["kind"] = type.Kind;
            var metadata = JsonPaths.Metadata(created);
            if (type.Namespaced)
            {
                ns ??= metadata["namespace"]?.ToString() ?? "default";
                if (metadata["namespace"] is { } given && given.ToString() != ns)
                    throw ApiError.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
                if (!Bucket(ResourceCatalog.Namespaces).ContainsKey(Key(ResourceCatalog.Namespaces, null, ns)))
                    throw ApiError.NotFound(ResourceCatalog.Namespaces, ns);
                metadata["namespace"] = ns;
            }
            else
            {
                metadata.Remove("namespace");
            }

            var name = metadata["name"]?.ToString();
            if (string.IsNullOrEmpty(name))
            {
                var generateName = metadata["generateName"]?.ToString();
                if (string.IsNullOrEmpty(generateName))
                    throw ApiError.Invalid(type, "", "metadata.name: Required value: name or generateName is required");
                do
                    name = generateName + Names.RandomSuffix();
                while (Bucket(type).ContainsKey(Key(type, ns, name)));
                metadata["name"] = name;
            }

            Names.Validate(type, name);
            if (Bucket(type).ContainsKey(Key(type, ns, name)))
                throw ApiError.AlreadyExists(type, name);

            metadata["uid"] = Guid.NewGuid().ToString();
            metadata["creationTimestamp"] = Now();
            metadata["generation"] = 1L;
            metadata.Remove("deletionTimestamp");
            metadata.Remove("deletionGracePeriodSeconds");
            // As on the API server, status is not settable on create where a status subresource exists.
            if (type.HasStatus)
                created.Remove("status");
            if (type.StorageKey == ResourceCatalog.Crds.StorageKey)
                catalog.Register(created);
            if (dryRun)
                return created;

            metadata["resourceVersion"] = NextVersion();
            Bucket(type)[Key(type, ns, name)] = created;
            Changed(type, created);
            Publish("ADDED", type, created);
            return (JsonObject)created.DeepClone();
        }
    }

    /// <summary>
    /// Replaces an object with the result of <paramref name="change"/> applied to the current copy. A resourceVersion in
    /// the result that differs from the stored one is a conflict; an empty one is an unconditional update.
    /// </summary>
    public JsonObject Update(ResourceType type, string? ns, string name, Func<JsonObject, JsonObject> change, string subresource = "", bool dryRun = false)
    {
        lock (gate)
        {
            var key = Key(type, ns, name);
            if (!Bucket(type).TryGetValue(key, out var current))
                throw ApiError.NotFound(type, name);
            var proposed = change((JsonObject)current.DeepClone());
            var proposedMetadata = JsonPaths.Metadata(proposed);
            var currentMetadata = current["metadata"]!.AsObject();
            var requestedVersion = proposedMetadata["resourceVersion"]?.ToString();
            if (!string.IsNullOrEmpty(requestedVersion) && requestedVersion != currentMetadata["resourceVersion"]?.ToString())
                throw ApiError.Conflict(type, name);
            if (proposedMetadata["name"] is { } proposedName && proposedName.ToString() != name)
                throw ApiError.BadRequest($"the name of the object ({proposedName}) does not match the name on the URL ({name})");

            JsonObject next;
            if (subresource == "status")
            {
                next = (JsonObject)current.DeepClone();
                next["status"] = proposed["status"]?.DeepClone();
            }
            else
            {
                next = proposed;
                FoldStringData(type, next);
                next["apiVersion"] = type.ApiVersion;
                next["kind"] = type.Kind;
                if (type.HasStatus && subresource.Length == 0)
                    next["status"] = current["status"]?.DeepClone();
                var metadata = JsonPaths.Metadata(next);
                foreach (var immutable in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation" })
                    metadata[immutable] = currentMetadata[immutable]?.DeepClone();
                if (metadata["deletionTimestamp"] is null)
                    metadata.Remove("deletionTimestamp");
                if (metadata["deletionGracePeriodSeconds"] is null)
                    metadata.Remove("deletionGracePeriodSeconds");
                if (metadata["namespace"] is null)
                    metadata.Remove("namespace");
                if (!JsonNode.DeepEquals(Spec(current), Spec(next)))
                    metadata["generation"] = (JsonNumbers.Long(currentMetadata["generation"]) ?? 1) + 1;
            }

            JsonPaths.Metadata(next)["resourceVersion"] = currentMetadata["resourceVersion"]?.DeepClone();
            if (JsonNode.DeepEquals(next, current))
                return (JsonObject)current.DeepClone();
            if (type.StorageKey == ResourceCatalog.Crds.StorageKey)
                catalog.Register(next);
            if (dryRun)
                return next;

            next["metadata"]!["resourceVersion"] = NextVersion();
            var finalizers = next["metadata"]!["finalizers"] as JsonArray;
            if (next["metadata"]!["deletionTimestamp"] is not null && (finalizers is null || finalizers.Count == 0))
            {
                Remove(type, key, next);
                return (JsonObject)next.DeepClone();
            }

            Bucket(type)[key] = next;
            if (noteworthy(type, current, next))
                Changed(type, next);
            Publish("MODIFIED", type, next);
            return (JsonObject)next.DeepClone();
        }
    }

    /// <summary>Deletes an object, or marks it for deletion while finalizers remain. Returns the object and whether it is gone.</summary>
    public (JsonObject Object, bool Removed) Delete(ResourceType type, string? ns, string name, bool dryRun = false, string? precondition = null)
    {
        lock (gate)
        {
            var key = Key(type, ns, name);
            if (!Bucket(type).TryGetValue(key, out var current))
                throw ApiError.NotFound(type, name);
            if (precondition is not null && precondition != current["metadata"]?["uid"]?.ToString() && precondition != current["metadata"]?["resourceVersion"]?.ToString())
                throw ApiError.Conflict(type, name);
            var finalizers = current["metadata"]?["finalizers"] as JsonArray;
            if (finalizers is { Count: > 0 })
            {
                if (current["metadata"]!["deletionTimestamp"] is not null || dryRun)
                    return ((JsonObject)current.DeepClone(), false);
                var marked = (JsonObject)current.DeepClone();
                marked["metadata"]!["deletionTimestamp"] = Now();
                marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
                marked["metadata"]!["resourceVersion"] = NextVersion();
                Bucket(type)[key] = marked;
                Changed(type, marked);
                Publish("MODIFIED", type, marked);
                return ((JsonObject)marked.DeepClone(), false);
            }

            if (!dryRun)
                Remove(type, key, current);
            return ((JsonObject)current.DeepClone(), true);
        }
    }

    public ChannelReader<WatchEvent> Watch(ResourceType type, string? ns, CancellationToken cancellation)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>();
        var entry = (type.StorageKey, ns, channel);
        lock (gate)
            watchers.Add(entry);
        cancellation.Register(() =>
        {
            lock (gate)
                watchers.Remove(entry);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    private void Remove(ResourceType type, string key, JsonObject last)
    {
        Bucket(type).Remove(key);
        last["metadata"]!["resourceVersion"] = NextVersion();
        Changed(type, last);
        Publish("DELETED", type, last);
        if (type.StorageKey == ResourceCatalog.Namespaces.StorageKey)
        {
            var ns = last["metadata"]?["name"]?.ToString();
            foreach (var resource in catalog.All().Where(t => t.Namespaced).DistinctBy(t => t.StorageKey))
            {
                foreach (var (childKey, child) in Bucket(resource).Where(p => p.Value["metadata"]?["namespace"]?.ToString() == ns).ToList())
                    Remove(resource, childKey, child);
            }
        }
        else if (type.StorageKey == ResourceCatalog.Crds.StorageKey)
        {
            var group = last["spec"]?["group"]?.ToString();
            var plural = last["spec"]?["names"]?["plural"]?.ToString();
            var custom = catalog.All().FirstOrDefault(t => t.Group == group && t.Plural == plural);
            if (custom is not null)
            {
                foreach (var (childKey, child) in Bucket(custom).ToList())
                    Remove(custom, childKey, child);
            }

            catalog.Unregister(last);
        }
    }

    private void Publish(string eventType, ResourceType type, JsonObject obj)
    {
        var ns = obj["metadata"]?["namespace"]?.ToString();
        foreach (var (storageKey, watchedNamespace, channel) in watchers)
        {
            if (storageKey == type.StorageKey && (watchedNamespace is null || watchedNamespace == ns))
                channel.Writer.TryWrite(new WatchEvent(eventType, (JsonObject)obj.DeepClone()));
        }
    }

    private string NextVersion() => (++resourceVersion).ToString(CultureInfo.InvariantCulture);

    private void Changed(ResourceType type, JsonObject obj)
    {
        changedAt[(type.StorageKey, obj["metadata"]?["namespace"]?.ToString() ?? "")] = resourceVersion;
        kindChangedAt[type.StorageKey] = resourceVersion;
    }

    /// <summary>The stored objects of a type, only those of <paramref name="ns"/> when it is given and the type is namespaced.</summary>
    private IEnumerable<JsonObject> InScope(ResourceType type, string? ns)
    {
        var bucket = Bucket(type);
        if (ns is null || !type.Namespaced)
        {
            foreach (var item in bucket.Values)
                yield return item;
            yield break;
        }

        // Keys are "namespace/name" in ordinal order, so one namespace is one run starting at its prefix.
        var prefix = ns + "/";
        var keys = bucket.Keys;
        var values = bucket.Values;
        for (var i = LowerBound(keys, prefix); i < keys.Count && keys[i].StartsWith(prefix, StringComparison.Ordinal); i++)
            yield return values[i];
    }

    private static int LowerBound(IList<string> keys, string value)
    {
        var (low, high) = (0, keys.Count);
        while (low < high)
        {
            var middle = (low + high) / 2;
            if (string.CompareOrdinal(keys[middle], value) < 0)
                low = middle + 1;
            else
                high = middle;
        }

        return low;
    }

    private SortedList<string, JsonObject> Bucket(ResourceType type)
    {
        if (!objects.TryGetValue(type.StorageKey, out var bucket))
        {
            bucket = new SortedList<string, JsonObject>(StringComparer.Ordinal);
            objects[type.StorageKey] = bucket;
        }

        return bucket;
    }

    private static string Key(ResourceType type, string? ns, string name) => type.Namespaced ? $"{ns}/{name}" : name;

    /// <summary>A Secret's write-only <c>stringData</c> is stored base64-encoded in <c>data</c>, as the API server does.</summary>
    private static void FoldStringData(ResourceType type, JsonObject obj)
    {
        if (type.Group.Length != 0 || type.Plural != "secrets" || obj["stringData"] is not JsonObject stringData)
            return;
        var data = JsonPaths.Object(obj, "data");
        foreach (var (key, value) in stringData)
            data[key] = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(value?.ToString() ?? ""));
        obj.Remove("stringData");
    }

    private static JsonObject Spec(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }
}
