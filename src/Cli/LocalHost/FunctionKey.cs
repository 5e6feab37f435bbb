using System.Security.Cryptography;
using System.Text;

namespace Thoras.Cli.LocalHost;

/// <summary>
/// The local host's function key, checked like the Functions host does (<c>x-functions-key</c> header or
/// <c>code</c> query parameter). Kept in a file so scripts can read it and it survives restarts.
/// </summary>
public sealed class FunctionKey
{
    private readonly byte[] _key;

    public FunctionKey(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        Value = value;
        _key = Encoding.UTF8.GetBytes(value);
    }

    public string Value { get; }

    /// <summary>Reads the key from <paramref name="path"/>, or creates a new random one there.</summary>
    public static FunctionKey LoadOrCreate(string path)
    {
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length > 0)
            {
                return new FunctionKey(existing);
            }
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30)).Replace('+', '-').Replace('/', '_');
        File.WriteAllText(path, key + "\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return new FunctionKey(key);
    }

    /// <summary>Compares in constant time, so response timing tells nothing about the key.</summary>
    public bool Matches(string? candidate) =>
        candidate is not null && CryptographicOperations.FixedTimeEquals(_key, Encoding.UTF8.GetBytes(candidate));
}
