using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Thoras.Functions.Dashboard;

/// <summary>
/// The built dashboard on disk (<c>index.html</c> and the bundles <c>./build.sh</c> writes beside it), as files the
/// dashboard function may serve: only names of letters, digits, '.', '_' and '-' inside the folder, only known types.
/// Bundles carry a content hash in their names (<c>app-5MZC3TQK.js</c>), so they are cached for a year;
/// <c>index.html</c> is revalidated on every load, so a new deployment is picked up at once.
/// </summary>
public sealed partial class DashboardAssets
{
    /// <summary>The page every other asset is loaded from.</summary>
    public const string IndexFile = "index.html";

    /// <summary>The cache policy of a file whose name carries its content hash.</summary>
    public const string ImmutableCache = "public, max-age=31536000, immutable";

    /// <summary>The cache policy of every other file: kept, but revalidated (by ETag) before each use.</summary>
    public const string RevalidateCache = "no-cache";

    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8",
        [".js"] = "text/javascript; charset=utf-8",
        [".css"] = "text/css; charset=utf-8",
        [".map"] = "application/json; charset=utf-8",
        [".json"] = "application/json; charset=utf-8",
        [".svg"] = "image/svg+xml",
        [".png"] = "image/png",
        [".ico"] = "image/x-icon",
        [".woff2"] = "font/woff2",
        [".txt"] = "text/plain; charset=utf-8",
    };

    private readonly string _root;
    private readonly ConcurrentDictionary<string, DashboardAsset> _cache = new(StringComparer.Ordinal);

    public DashboardAssets(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        _root = Path.GetFullPath(root);
    }

    /// <summary>The folder served.</summary>
    public string Root => _root;

    /// <summary>Whether the folder holds a built dashboard.</summary>
    public bool IsBuilt => File.Exists(Path.Combine(_root, IndexFile));

    /// <summary>The asset at <paramref name="path"/> (relative, <c>/</c>-separated; empty for the page), or null when there is none to serve.</summary>
    public DashboardAsset? Find(string? path)
    {
        var relative = string.IsNullOrEmpty(path) ? IndexFile : path;
        if (!SafePath().IsMatch(relative) || !ContentTypes.TryGetValue(Path.GetExtension(relative), out var contentType))
        {
            return null;
        }

        var full = Path.GetFullPath(Path.Combine(_root, relative));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        var info = new FileInfo(full);
        if (!info.Exists)
        {
            return null;
        }

        // Keyed by size and time too: a rebuild while the app runs is served fresh, with its new ETag.
        var key = $"{relative}|{info.Length}|{info.LastWriteTimeUtc.Ticks}";
        return _cache.GetOrAdd(key, _ => new DashboardAsset(
            full,
            contentType,
            HashedName().IsMatch(Path.GetFileName(relative)) ? ImmutableCache : RevalidateCache,
            ETagOf(full),
            info.Length));
    }

    private static string ETagOf(string path)
    {
        using var stream = File.OpenRead(path);
        return "\"" + Convert.ToHexStringLower(SHA256.HashData(stream))[..32] + "\"";
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*(/[A-Za-z0-9][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)*)*$")]
    private static partial Regex SafePath();

    /// <summary>esbuild's <c>[name]-[hash]</c>: eight upper-case base-32 characters before the extensions (<c>.js</c>, <c>.js.map</c>).</summary>
    [GeneratedRegex("-[A-Z0-9]{8}(\\.[A-Za-z0-9]+)+$")]
    private static partial Regex HashedName();
}

/// <summary>One file of the built dashboard with how it is served.</summary>
/// <param name="FullPath">Where it is on disk.</param>
/// <param name="ContentType">Its <c>Content-Type</c>.</param>
/// <param name="CacheControl">Its <c>Cache-Control</c>.</param>
/// <param name="ETag">A strong validator: a hash of its content, quoted.</param>
/// <param name="Length">Its size in bytes.</param>
public sealed record DashboardAsset(string FullPath, string ContentType, string CacheControl, string ETag, long Length);
