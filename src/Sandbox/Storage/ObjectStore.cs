using System.Globalization;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Thoras.Sandbox.Storage;

/// <summary>What changed in the store, as a watch stream reports it.</summary>
internal sealed record WatchEvent(string Type, JsonObject Object);

/// <summary>Where a watch starts: at <see cref="ResourceVersion"/> (changes after it are replayed), or with the current
/// objects as ADDED events when it is empty or "0" or when <see cref="SendInitialEvents"/> asks for a streaming list.</summary>
internal sealed record WatchStart(string? ResourceVersion, bool SendInitialEvents);

/// <summary>
/// The sandbox's etcd: every object as JSON, with the API server's storage rules (resourceVersion, generation,
/// optimistic concurrency, finalizers, status subresource isolation, the write strategies' validation, a watch history
/// per kind, Event expiry). All reads return copies, except <see cref="Select{T}"/>'s read-only projections. Objects are
/// kept sorted by namespace and name, so a namespaced read touches only its namespace; each change is noted per kind and
/// namespace (<see cref="ChangedNamespaces"/>). Types served through a conversion (<see cref="ResourceType.Conversion"/>)
/// are stored in their storage type's form and converted on the way in and out.
/// </summary>
internal sealed class ObjectStore
{
    private readonly object gate = new();
    private readonly Dictionary<string, SortedList<string, JsonObject>> objects = new(StringComparer.Ordinal);
    private readonly Dictionary<(string StorageKey, string Namespace), long> changedAt = [];
    private readonly Dictionary<string, long> kindChangedAt = new(StringComparer.Ordinal);
    private readonly List<Watcher> watchers = [];
    private readonly Dictionary<string, Queue<(long Version, string Type, JsonObject Object, DateTimeOffset At)>> history = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> historyFloor = new(StringComparer.Ordinal);
    private readonly Queue<(DateTimeOffset At, string Key, string ResourceVersion)> eventExpiries = new();
    private readonly ResourceCatalog catalog;
    private readonly TimeProvider time;
    private readonly Func<ResourceType, JsonObject, JsonObject, bool> noteworthy;
    private readonly IReadOnlyList<IWriteStrategy> strategies;
    private readonly TimeSpan eventTtl;
    private long resourceVersion = 1000;
    private long startVersion = 1000;

    /// <param name="catalog">The resource types served.</param>
    /// <param name="time">Where timestamps come from.</param>
    /// <param name="noteworthy">
    /// Whether an update (type, before, after) is one that <see cref="ChangedNamespaces"/> and <see cref="VersionOf"/>
    /// report, like a controller's watch predicate; creations and deletions always are. Default: every update.
    /// </param>
    /// <param name="strategies">Validation and defaults run on every write. Default: none.</param>
    /// <param name="eventTtl">How long an Event lasts after its last write, as the API server's <c>--event-ttl</c>.
    /// Default 1 hour.</param>
    public ObjectStore(
        ResourceCatalog catalog,
        TimeProvider time,
        Func<ResourceType, JsonObject, JsonObject, bool>? noteworthy = null,
        IReadOnlyList<IWriteStrategy>? strategies = null,
        TimeSpan? eventTtl = null)
    {
        this.catalog = catalog;
        this.time = time;
        this.noteworthy = noteworthy ?? ((_, _, _) => true);
        this.strategies = strategies ?? [];
        this.eventTtl = eventTtl ?? TimeSpan.FromHours(1);
    }

    /// <summary>How many changes of each kind a watch can be resumed across at most, like the API server's watch cache.</summary>
    public const int HistoryPerKind = 1024;

    /// <summary>How many changes of each kind are kept however old they are (the watch cache's lower bound).</summary>
    public const int HistoryMinimum = 100;

    /// <summary>
    /// Beyond <see cref="HistoryMinimum"/>, how long (on the store's clock) a change is kept for watches to resume
    /// across: the API server's watch cache keeps 75 s of history (<c>eventFreshDuration</c>), not a fixed count
    /// forever. Kept by count alone, every kind's history filled to 1,024 full objects over hours of sped-up time (the
    /// AST and HPA statuses, the Events), which the soak saw as the local host's memory creeping. A watch from a version
    /// older than what is kept gets 410 <c>Expired</c> and lists again, as from the API server.
    /// </summary>
    public static readonly TimeSpan HistoryFreshness = TimeSpan.FromSeconds(75);

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
            return Bucket(type).TryGetValue(Key(type, ns, name), out var found) ? Out(type, found) : null;
    }

    public JsonObject Get(ResourceType type, string? ns, string name) =>
        TryGet(type, ns, name) ?? throw ApiError.NotFound(type, name);

    public (List<JsonObject> Items, string ResourceVersion) List(ResourceType type, string? ns, Func<JsonObject, bool>? filter = null)
    {
        lock (gate)
        {
            var items = InScope(type, ns)
                .Where(o => filter is null || filter(o))
                .Select(o => Out(type, o))
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

    /// <param name="type">The type the object is created as.</param>
    /// <param name="ns">Its namespace, for a namespaced type (default: the object's, else <c>default</c>).</param>
    /// <param name="obj">The object.</param>
    /// <param name="dryRun">Check and return it without storing it.</param>
    /// <param name="admit">Whether the write strategies (validation, defaults) run; false only for seeding objects as
    /// they were stored before their CRD's current rules.</param>
    public JsonObject Create(ResourceType type, string? ns, JsonObject obj, bool dryRun = false, bool admit = true)
    {
        lock (gate)
        {
            var created = In(type, obj);
            FoldStringData(type, created);
            created["apiVersion"] = type.Stored.ApiVersion;
            created["kind"] = type.Stored.Kind;
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
                    throw ApiError.Invalid(type, "", FieldError.Required("metadata.name", "name or generateName is required"));
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
            foreach (var strategy in admit ? strategies : [])
                strategy.Admit(type, null, created, "");
            if (type.StorageKey == ResourceCatalog.Crds.StorageKey)
                catalog.Register(created);
            if (dryRun)
                return Out(type, created);

            metadata["resourceVersion"] = NextVersion();
            Bucket(type)[Key(type, ns, name)] = created;
            Changed(type, created);
            Publish("ADDED", type, created);
            Leased(type, ns, name, created);
            return Out(type, created);
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
            var proposed = In(type, change(Out(type, current)));
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
                next["apiVersion"] = type.Stored.ApiVersion;
                next["kind"] = type.Stored.Kind;
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
                return Out(type, current);
            foreach (var strategy in strategies)
                strategy.Admit(type, current, next, subresource);
            if (type.StorageKey == ResourceCatalog.Crds.StorageKey)
                catalog.Register(next);
            if (dryRun)
                return Out(type, next);

            next["metadata"]!["resourceVersion"] = NextVersion();
            var finalizers = next["metadata"]!["finalizers"] as JsonArray;
            if (next["metadata"]!["deletionTimestamp"] is not null && (finalizers is null || finalizers.Count == 0))
                return Out(type, Remove(type, key, next));

            Bucket(type)[key] = next;
            if (noteworthy(type, current, next))
                Changed(type, next);
            Publish("MODIFIED", type, next);
            Leased(type, ns, name, next);
            return Out(type, next);
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
                    return (Out(type, current), false);
                var marked = (JsonObject)current.DeepClone();
                marked["metadata"]!["deletionTimestamp"] = Now();
                marked["metadata"]!["deletionGracePeriodSeconds"] = 0;
                marked["metadata"]!["resourceVersion"] = NextVersion();
                Bucket(type)[key] = marked;
                Changed(type, marked);
                Publish("MODIFIED", type, marked);
                return (Out(type, marked), false);
            }

            return (Out(type, dryRun ? current : Remove(type, key, current)), true);
        }
    }

    /// <summary>Every stored object (in its stored form) and the store's version: what <see cref="Restore"/> takes back.</summary>
    public JsonObject Snapshot()
    {
        lock (gate)
        {
            var kinds = new JsonObject();
            foreach (var (key, bucket) in objects.Where(b => b.Value.Count > 0))
                kinds[key] = new JsonArray([.. bucket.Values.Select(o => o.DeepClone())]);
            return new JsonObject { ["resourceVersion"] = resourceVersion, ["objects"] = kinds };
        }
    }

    /// <summary>
    /// Takes back a <see cref="Snapshot"/> into an empty store: the same objects with the same UIDs and versions, the
    /// store's version where it was (watch history starts there), CRDs served again, every Event's time to live
    /// started anew. Objects of kinds no longer served are left out.
    /// </summary>
    public void Restore(JsonObject snapshot)
    {
        lock (gate)
        {
            resourceVersion = Math.Max(resourceVersion, JsonNumbers.Long(snapshot["resourceVersion"]) ?? 0);
            startVersion = resourceVersion;
            var kinds = snapshot["objects"] as JsonObject ?? [];
            foreach (var crd in (kinds[ResourceCatalog.Crds.StorageKey] as JsonArray ?? []).OfType<JsonObject>())
                catalog.Register(crd);
            foreach (var (key, items) in kinds)
            {
                if (catalog.All().FirstOrDefault(t => t.StorageKey == key && t.Conversion is null) is not { } type)
                    continue;
                foreach (var item in (items as JsonArray ?? []).OfType<JsonObject>())
                {
                    var stored = (JsonObject)item.DeepClone();
                    var ns = stored["metadata"]?["namespace"]?.ToString();
                    var name = stored["metadata"]?["name"]?.ToString() ?? "";
                    Bucket(type)[Key(type, ns, name)] = stored;
                    Changed(type, stored);
                    Leased(type, ns, name, stored);
                }
            }
        }
    }

    /// <summary>Deletes the Events whose time to live has passed since their last write, as etcd's leases do.</summary>
    public void ExpireEvents()
    {
        lock (gate)
        {
            var now = time.GetUtcNow();
            var bucket = Bucket(ResourceCatalog.CoreEvents);
            while (eventExpiries.TryPeek(out var due) && due.At <= now)
            {
                eventExpiries.Dequeue();
                if (bucket.TryGetValue(due.Key, out var ev) && ev["metadata"]?["resourceVersion"]?.ToString() == due.ResourceVersion)
                    Remove(ResourceCatalog.CoreEvents, due.Key, ev);
            }
        }
    }

    /// <summary>
    /// The changes to objects of <paramref name="type"/> (in <paramref name="ns"/> when given) that pass
    /// <paramref name="filter"/> (on the stored form), from <paramref name="start"/> on, with no change lost or repeated
    /// between the starting point and the live events. A resourceVersion older than the kind's history gets one ERROR event
    /// with a 410 <c>Expired</c> status, as from the API server's watch cache.
    /// </summary>
    public ChannelReader<WatchEvent> Watch(ResourceType type, string? ns, Func<JsonObject, bool> filter, WatchStart start, CancellationToken cancellation)
    {
        var channel = Channel.CreateUnbounded<WatchEvent>();
        var watcher = new Watcher(type, ns, filter, channel);
        lock (gate)
        {
            var since = start.ResourceVersion is { Length: > 0 } text && text != "0" && !start.SendInitialEvents
                ? long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw ApiError.BadRequest($"invalid resource version: {text}")
                : (long?)null;
            if (since is null)
            {
                foreach (var item in InScope(type, ns).Where(filter))
                    channel.Writer.TryWrite(new WatchEvent("ADDED", Out(type, item)));
                if (start.SendInitialEvents)
                    channel.Writer.TryWrite(new WatchEvent("BOOKMARK", InitialEventsEnd(type)));
            }
            else if (since < Math.Max(startVersion, historyFloor.GetValueOrDefault(type.StorageKey)))
            {
                var oldest = Math.Max(startVersion, historyFloor.GetValueOrDefault(type.StorageKey)) + 1;
                channel.Writer.TryWrite(new WatchEvent("ERROR", new ApiError(410, "Expired", $"too old resource version: {since} ({oldest})").ToStatus()));
                channel.Writer.TryComplete();
                return channel.Reader;
            }
            else
            {
                foreach (var (version, eventType, obj, _) in history.GetValueOrDefault(type.StorageKey) ?? [])
                {
                    if (version > since && watcher.Wants(obj))
                        channel.Writer.TryWrite(new WatchEvent(eventType, Out(type, obj)));
                }
            }

            watchers.Add(watcher);
        }

        cancellation.Register(() =>
        {
            lock (gate)
                watchers.Remove(watcher);
            channel.Writer.TryComplete();
        });
        return channel.Reader;
    }

    private JsonObject InitialEventsEnd(ResourceType type) => new()
    {
        ["kind"] = type.Kind,
        ["apiVersion"] = type.ApiVersion,
        ["metadata"] = new JsonObject
        {
            ["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture),
            ["annotations"] = new JsonObject { ["k8s.io/initial-events-end"] = "true" },
        },
    };

    /// <summary>Takes a stored object out; returns its last state, with the resourceVersion of its deletion.</summary>
    private JsonObject Remove(ResourceType type, string key, JsonObject stored)
    {
        // The stored object may be in the watch history, which must keep the version it had.
        var last = (JsonObject)stored.DeepClone();
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

        return last;
    }

    /// <summary>Tells the watchers of <paramref name="obj"/>'s kind and keeps the change in the kind's history.
    /// <paramref name="obj"/> is stored and never changed after.</summary>
    private void Publish(string eventType, ResourceType type, JsonObject obj)
    {
        if (!history.TryGetValue(type.StorageKey, out var changes))
        {
            changes = new Queue<(long, string, JsonObject, DateTimeOffset)>();
            history[type.StorageKey] = changes;
        }

        var now = time.GetUtcNow();
        changes.Enqueue((resourceVersion, eventType, obj, now));
        while (changes.Count > HistoryPerKind || (changes.Count > HistoryMinimum && now - changes.Peek().At > HistoryFreshness))
            historyFloor[type.StorageKey] = changes.Dequeue().Version;
        foreach (var watcher in watchers)
        {
            if (watcher.Type.StorageKey == type.StorageKey && watcher.Wants(obj))
                watcher.Channel.Writer.TryWrite(new WatchEvent(eventType, Out(watcher.Type, obj)));
        }
    }

    /// <summary>Starts or renews an Event's time to live.</summary>
    private void Leased(ResourceType type, string? ns, string name, JsonObject stored)
    {
        if (type.StorageKey == ResourceCatalog.CoreEvents.StorageKey)
            eventExpiries.Enqueue((time.GetUtcNow() + eventTtl, Key(type, ns, name), stored["metadata"]!["resourceVersion"]!.ToString()));
    }

    private static JsonObject In(ResourceType type, JsonObject served) => type.Conversion?.ToStorage(served) ?? (JsonObject)served.DeepClone();

    private static JsonObject Out(ResourceType type, JsonObject stored) => type.Conversion?.FromStorage(stored) ?? (JsonObject)stored.DeepClone();

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

    /// <summary>A watch: what it asked for and where its events go.</summary>
    private sealed record Watcher(ResourceType Type, string? Namespace, Func<JsonObject, bool> Filter, Channel<WatchEvent> Channel)
    {
        public bool Wants(JsonObject stored) =>
            (Namespace is null || !Type.Namespaced || Namespace == stored["metadata"]?["namespace"]?.ToString()) && Filter(stored);
    }

    private static JsonObject Spec(JsonObject obj)
    {
        var copy = (JsonObject)obj.DeepClone();
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }
}
