using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Hosting.Certificates;

/// <summary>A certificate in a store, as <c>sharptls cert list</c> shows it.</summary>
/// <param name="Thumbprint">SHA-1 thumbprint, upper-case hex (the binding's <c>certhash</c>).</param>
/// <param name="Subject">The subject distinguished name.</param>
/// <param name="DnsNames">The subject alternative DNS names.</param>
/// <param name="NotBefore">Start of validity (UTC).</param>
/// <param name="NotAfter">End of validity (UTC).</param>
/// <param name="KeyType">The key, e.g. <c>ECDSA P-256</c>, <c>RSA 2048</c>.</param>
/// <param name="HasPrivateKey">Whether the store has its private key.</param>
/// <param name="StoreName">The store it is in.</param>
/// <param name="Issuer">The issuer distinguished name.</param>
public sealed record StoredCertificate(string Thumbprint, string Subject, IReadOnlyList<string> DnsNames,
    DateTimeOffset NotBefore, DateTimeOffset NotAfter, string KeyType, bool HasPrivateKey, string StoreName, string Issuer);

/// <summary>
/// Certificates by SHA-1 thumbprint from the BCL's <see cref="X509Store"/>, as HTTP.sys takes them from a
/// Windows store: CurrentUser by default. On Linux the store is the folder of PFX files .NET keeps under
/// <c>~/.dotnet/corefx/cryptography/x509stores/&lt;name&gt;/</c> (the one <c>dotnet dev-certs</c> uses).
/// </summary>
public sealed class StoreCertificateSource(StoreLocation location = StoreLocation.CurrentUser)
{
    /// <summary>The store location (CurrentUser unless told otherwise).</summary>
    public StoreLocation Location { get; } = location;

    /// <summary>Every certificate in the store <paramref name="storeName"/> (empty when the store does not exist).</summary>
    public IReadOnlyList<StoredCertificate> List(string storeName = "MY")
    {
        using var store = Open(storeName, OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        if (store is null) return [];
        var result = new List<StoredCertificate>();
        foreach (var c in store.Certificates)
            using (c)
                result.Add(Describe(c, storeName));
        return [.. result.OrderBy(c => c.NotAfter).ThenBy(c => c.Thumbprint, StringComparer.Ordinal)];
    }

    /// <summary>The certificate with SHA-1 thumbprint <paramref name="thumbprint"/>, with its private key when the store has it; null if absent.</summary>
    public X509Certificate2? Find(string thumbprint, string storeName = "MY")
    {
        ArgumentNullException.ThrowIfNull(thumbprint);
        using var store = Open(storeName, OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        if (store is null) return null;
        var all = store.Certificates;
        X509Certificate2? found = null;
        foreach (var c in all)
        {
            if (found is null && string.Equals(c.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase)) found = c;
            else c.Dispose();
        }
        return found;
    }

    /// <summary>
    /// The certificate for a binding, checked once: present, with a private key, inside its validity at
    /// <paramref name="now"/>, and its key can sign. Any intermediate certificates in the <c>CA</c> store that
    /// issued it are sent after it.
    /// </summary>
    /// <exception cref="CertificateUnusableException">It is missing or unusable; the message says which and why.</exception>
    public ServerCertificate LoadForBinding(string thumbprint, string storeName, DateTimeOffset now)
        => Snapshot().LoadForBinding(thumbprint, storeName, now);

    /// <summary>A view that opens each store once, for checking many bindings in a row (one table build).</summary>
    public StoreSnapshot Snapshot() => new(this);

    /// <summary>Each store opened once: the certificates of a table build come from one read of each store.</summary>
    public sealed class StoreSnapshot
    {
        private readonly StoreCertificateSource _source;
        private readonly Dictionary<string, X509Certificate2Collection> _stores = new(StringComparer.OrdinalIgnoreCase);

        internal StoreSnapshot(StoreCertificateSource source) => _source = source;

        /// <summary>Every certificate of a store (read once).</summary>
        public X509Certificate2Collection Store(string storeName)
        {
            if (!_stores.TryGetValue(storeName, out var all))
                _stores[storeName] = all = _source.LoadAll(storeName);
            return all;
        }

        /// <summary>See <see cref="StoreCertificateSource.LoadForBinding"/>.</summary>
        /// <exception cref="CertificateUnusableException">It is missing or unusable.</exception>
        public ServerCertificate LoadForBinding(string thumbprint, string storeName, DateTimeOffset now)
        {
            var certificate = Store(storeName).FirstOrDefault(c => string.Equals(c.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
                ?? throw new CertificateUnusableException(thumbprint, $"no certificate with thumbprint {thumbprint} in the {_source.Location} {storeName} store");
            if (CertificateChecks.Problem(certificate, now) is { } problem)
                throw new CertificateUnusableException(thumbprint, problem);
            return new ServerCertificate(certificate, Intermediates(certificate, Store("CA")));
        }
    }

    /// <summary>Every certificate of the store <paramref name="storeName"/> (the trusted issuers of <c>sslctlstorename</c>).</summary>
    public X509Certificate2Collection LoadAll(string storeName)
    {
        using var store = Open(storeName, OpenFlags.ReadOnly | OpenFlags.OpenExistingOnly);
        return store is null ? [] : store.Certificates;
    }

    /// <summary>Adds a certificate (with its private key, when it has one) to the store; returns its thumbprint.</summary>
    public string Add(X509Certificate2 certificate, string storeName = "MY")
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var store = Open(storeName, OpenFlags.ReadWrite)!;
        store.Add(certificate);
        return certificate.Thumbprint;
    }

    /// <summary>Removes the certificate with this thumbprint; false when it is not there.</summary>
    public bool Remove(string thumbprint, string storeName = "MY")
    {
        using var store = Open(storeName, OpenFlags.ReadWrite | OpenFlags.OpenExistingOnly);
        if (store is null) return false;
        bool removed = false;
        foreach (var c in store.Certificates)
            using (c)
                if (string.Equals(c.Thumbprint, thumbprint, StringComparison.OrdinalIgnoreCase))
                {
                    store.Remove(c);
                    removed = true;
                }
        return removed;
    }

    /// <summary>The folder that holds the store on Linux and macOS (watched for changes); null on Windows.</summary>
    public string? StoreDirectory(string storeName)
    {
        if (OperatingSystem.IsWindows() || Location != StoreLocation.CurrentUser) return null;
        // .NET keeps CurrentUser stores under $HOME/.dotnet/corefx/cryptography/x509stores/<lower-case name>.
        string? home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return Path.Combine(home, ".dotnet", "corefx", "cryptography", "x509stores", storeName.ToLowerInvariant());
    }

    /// <summary>The description of one certificate.</summary>
    public static StoredCertificate Describe(X509Certificate2 c, string storeName)
        => new(c.Thumbprint, c.Subject, CertificateChecks.DnsNames(c), c.NotBefore.ToUniversalTime(), c.NotAfter.ToUniversalTime(),
            CertificateChecks.KeyType(c), c.HasPrivateKey, storeName, c.Issuer);

    private static X509Certificate2Collection Intermediates(X509Certificate2 leaf, X509Certificate2Collection pool)
    {
        var chain = new X509Certificate2Collection();
        if (leaf.SubjectName.RawData.AsSpan().SequenceEqual(leaf.IssuerName.RawData)) return chain;
        var current = leaf;
        for (int depth = 0; depth < 8; depth++)
        {
            var issuer = pool.FirstOrDefault(c => c.SubjectName.RawData.AsSpan().SequenceEqual(current.IssuerName.RawData)
                                                  && !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData));
            if (issuer is null) break;
            chain.Add(issuer);
            current = issuer;
        }
        return chain;
    }

    private X509Store? Open(string storeName, OpenFlags flags)
    {
        var store = new X509Store(storeName, Location);
        try
        {
            store.Open(flags);
            return store;
        }
        catch (System.Security.Cryptography.CryptographicException) when ((flags & OpenFlags.OpenExistingOnly) != 0)
        {
            store.Dispose();
            return null;
        }
    }
}
