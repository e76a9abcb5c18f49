using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Hosting.Certificates;

/// <summary>
/// A certificate trust list (CTL), HTTP.sys' <c>sslctlidentifier</c>: the issuers a binding trusts for client
/// certificates, a subset of the certificates of its <c>sslctlstorename</c> store. Windows keeps a CTL as a signed
/// object in the store; Linux has none, so a CTL here is the file <c>&lt;trust-list folder&gt;/&lt;identifier&gt;.ctl</c>
/// (default folder: <c>ctl</c> beside the bindings file) listing what a Windows CTL lists: the SHA-1 hashes
/// (thumbprints) of the trusted certificates, one a line (<c>#</c> starts a comment). Every listed certificate must
/// be in the store.
/// </summary>
public static class TrustList
{
    /// <summary>The largest trust-list file read (a list of thumbprints; anything bigger is not one).</summary>
    public const int MaxFileBytes = 1 << 20;

    /// <summary>The file of the trust list <paramref name="identifier"/> in <paramref name="folder"/>.</summary>
    /// <exception cref="FormatException">The identifier is not a plain name (letters, digits, '.', '-', '_').</exception>
    public static string PathOf(string folder, string identifier)
    {
        ArgumentNullException.ThrowIfNull(folder);
        ArgumentNullException.ThrowIfNull(identifier);
        if (identifier.Length is 0 or > 128 || identifier.StartsWith('.') || !identifier.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_'))
            throw new FormatException($"sslctlidentifier={identifier}: a trust list is named with letters, digits, '.', '-' and '_' (it names the file <identifier>.ctl)");
        return Path.Combine(folder, identifier + ".ctl");
    }

    /// <summary>The thumbprints (upper case) a trust-list file lists.</summary>
    /// <exception cref="FormatException">A line is not a SHA-1 thumbprint (the message names the line), or the file lists nothing.</exception>
    /// <exception cref="IOException">The file cannot be read (missing: <see cref="FileNotFoundException"/>).</exception>
    public static IReadOnlySet<string> Read(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new FileNotFoundException($"trust list {path} does not exist", path);
        if (info.Length > MaxFileBytes) throw new FormatException($"trust list {path} is larger than {MaxFileBytes} bytes");
        var hashes = new HashSet<string>(StringComparer.Ordinal);
        int n = 0;
        foreach (string raw in File.ReadLines(path))
        {
            n++;
            string line = (raw.IndexOf('#', StringComparison.Ordinal) is int hash and >= 0 ? raw[..hash] : raw).Trim().Replace(" ", "", StringComparison.Ordinal);
            if (line.Length == 0) continue;
            if (line.Length != 40 || !line.All(char.IsAsciiHexDigit))
                throw new FormatException($"trust list {path} line {n.ToString(CultureInfo.InvariantCulture)}: '{raw.Trim()}' is not a SHA-1 thumbprint (40 hex digits)");
            hashes.Add(line.ToUpperInvariant());
        }
        if (hashes.Count == 0) throw new FormatException($"trust list {path} lists no certificate");
        return hashes;
    }

    /// <summary>The certificates of <paramref name="store"/> that the trust list at <paramref name="path"/> lists.</summary>
    /// <exception cref="FormatException">The list is malformed, or lists a certificate the store does not hold (named).</exception>
    /// <exception cref="IOException">The list cannot be read.</exception>
    public static X509Certificate2Collection Select(string path, string storeName, X509Certificate2Collection store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var listed = Read(path);
        var selected = new X509Certificate2Collection();
        foreach (var c in store)
            if (listed.Contains(c.Thumbprint.ToUpperInvariant())) selected.Add(c);
        var missing = listed.Except(selected.Select(c => c.Thumbprint.ToUpperInvariant())).ToList();
        if (missing.Count > 0)
            throw new FormatException($"trust list {path} lists {string.Join(", ", missing)}, not in store {storeName}");
        return selected;
    }
}
