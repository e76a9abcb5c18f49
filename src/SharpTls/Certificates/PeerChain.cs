using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Certificates;

/// <summary>Turns a Certificate message's entries into X509Certificate2 objects, leaf first.</summary>
internal static class PeerChain
{
    /// <summary>
    /// The most certificates a peer's chain may hold: real chains have 2 to 5 (leaf, intermediates, perhaps a cross-sign
    /// and the root); the message limit alone (64 KiB) would let a peer make us parse some 250 certificates (issue 10:
    /// every size a peer controls has a limit).
    /// </summary>
    public const int MaxChainLength = 16;

    /// <summary>Parses every entry; one that is not a certificate is bad_certificate, naming <paramref name="whose"/>.</summary>
    public static PeerCertificateList Parse(IReadOnlyList<CertificateEntry> entries, string whose)
    {
        if (entries.Count > MaxChainLength)
            throw new TlsProtocolException(AlertDescription.BadCertificate,
                $"{whose} chain has {entries.Count} certificates; at most {MaxChainLength} are accepted");
        var der = new byte[entries.Count][];
        var chain = new X509Certificate2[entries.Count];
        for (int i = 0; i < entries.Count; i++)
        {
            der[i] = PeerDerPool.Intern(entries[i].Data);
            try
            {
                chain[i] = X509CertificateLoader.LoadCertificate(der[i]);
            }
            catch (CryptographicException e)
            {
                for (int j = 0; j < i; j++) chain[j].Dispose();
                throw new TlsProtocolException(AlertDescription.BadCertificate, $"{whose} certificate does not parse: {e.Message}");
            }
        }
        return new PeerCertificateList(der, chain);
    }

    /// <summary>The leaf for the engine's own use (a log line): the handshake's parsed one while it is held, so that no
    /// application copy is parsed for it; null for an empty chain.</summary>
    public static X509Certificate2? Leaf(IReadOnlyList<X509Certificate2> chain) => chain switch
    {
        PeerCertificateList { HoldsHandshake: true } kept => kept.Handshake[0],
        [var leaf, ..] => leaf,
        _ => null,
    };

    /// <summary>The leaf's DER without parsing a chain that is kept as DER (null for an empty chain).</summary>
    public static byte[]? LeafDer(IReadOnlyList<X509Certificate2> chain) => chain switch
    {
        PeerCertificateList { Count: > 0 } kept => kept.Der[0],
        PeerCertificateList => null,
        [var leaf, ..] => leaf.RawData,
        _ => null,
    };
}

/// <summary>
/// The peer's chain as the connection keeps it: the DER of each certificate, and parsed <see cref="X509Certificate2"/>
/// objects only while someone needs them. Two sets, so that the engine can free its own at once:
/// <list type="bullet">
/// <item>the handshake's (<see cref="Handshake"/>): parsed by <see cref="PeerChain.Parse"/> to verify the chain and the
/// peer's CertificateVerify, owned by the engine and <b>disposed</b> by <see cref="Release"/> when the handshake is done, so
/// their native X509 objects (several KB each with OpenSSL) are freed then and not whenever a finalizer runs (thousands of
/// handshakes' worth piled up between collections and stayed resident as freed-but-kept heap: bench/PROFILE.md);</item>
/// <item>the application's: parsed again, once, when the application reads <see cref="TlsConnectionInfo.PeerCertificates"/>
/// (through this list's indexer or enumerator); never disposed by the engine, since the application may hold them.
/// <see cref="Release"/> drops them (an idle connection keeps the DER alone: about 1 KB for an RSA-2048 certificate).</item>
/// </list>
/// </summary>
internal sealed class PeerCertificateList : IReadOnlyList<X509Certificate2>
{
    private readonly byte[][] _der;
    private X509Certificate2[]? _handshake;
    private X509Certificate2[]? _parsed;

    public PeerCertificateList(byte[][] der, X509Certificate2[]? handshake = null)
    {
        _der = der;
        _handshake = handshake;
    }

    /// <summary>The DER of each certificate, leaf first (not copies: do not change them).</summary>
    public IReadOnlyList<byte[]> Der => _der;

    /// <summary>The engine's parsed chain, leaf first, valid until <see cref="Release"/> (which disposes it). Engine code
    /// verifying the chain uses these; what reaches the application goes through the indexer.</summary>
    public X509Certificate2[] Handshake => Volatile.Read(ref _handshake)
        ?? throw new InvalidOperationException("the handshake's parsed chain was released when the handshake completed");

    /// <summary>True until <see cref="Release"/>: the handshake's parsed chain is held.</summary>
    public bool HoldsHandshake => Volatile.Read(ref _handshake) is not null;

    /// <summary>True while any parsed objects are kept (for tests of the idle-connection rule).</summary>
    public bool HoldsParsed => Volatile.Read(ref _parsed) is not null || Volatile.Read(ref _handshake) is not null;

    public int Count => _der.Length;

    public X509Certificate2 this[int index] => Parsed()[index];

    public IEnumerator<X509Certificate2> GetEnumerator() => ((IEnumerable<X509Certificate2>)Parsed()).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>
    /// Once the handshake is done: disposes the handshake's parsed chain and drops the application's (not disposed), keeping
    /// the DER; the application's objects are parsed again when next asked for.
    /// </summary>
    public void Release()
    {
        if (Interlocked.Exchange(ref _handshake, null) is { } mine)
            foreach (var certificate in mine) certificate.Dispose();
        Volatile.Write(ref _parsed, null);
    }

    private X509Certificate2[] Parsed()
    {
        if (Volatile.Read(ref _parsed) is { } parsed) return parsed;
        lock (_der)
        {
            // The DER parsed before, during the handshake: it cannot fail now.
            return _parsed ??= Array.ConvertAll(_der, d => X509CertificateLoader.LoadCertificate(d));
        }
    }
}

/// <summary>
/// The DER of peer certificates, shared by content among the connections that hold it: many connections from one client
/// (a connection pool presenting one client certificate) or to one server keep one array instead of one each (~1 KB per
/// RSA-2048 certificate per idle connection). BoringSSL pools certificate buffers the same way (CRYPTO_BUFFER_POOL), Go's
/// crypto/tls interns parsed certificates (certCache). The pool holds its arrays weakly (they go when no connection
/// holds them), is keyed by SHA-256 and compares the bytes too; past <see cref="MaxEntries"/> distinct live certificates
/// the newcomers are simply not shared. Only public data is pooled: certificates, which the arrays are never changed after.
/// </summary>
internal static class PeerDerPool
{
    internal const int MaxEntries = 4096;

    private readonly record struct Key(ulong A, ulong B, ulong C, ulong D);

    private static readonly ConcurrentDictionary<Key, WeakReference<byte[]>> Pool = new();
    private static int _turnedAway;

    /// <summary>The pooled array with the same bytes as <paramref name="der"/>, or <paramref name="der"/> itself, now pooled.</summary>
    public static byte[] Intern(byte[] der)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(der, hash);
        var key = new Key(BinaryPrimitives.ReadUInt64LittleEndian(hash), BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]), BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
        if (Pool.TryGetValue(key, out var weak) && weak.TryGetTarget(out var kept))
            return kept.AsSpan().SequenceEqual(der) ? kept : der;
        if (Pool.Count >= MaxEntries)
        {
            // Full: the dead entries are swept once per quarter of the pool's size of newcomers turned away, so a pool
            // full of live certificates costs no scan per handshake.
            if (Interlocked.Increment(ref _turnedAway) < MaxEntries / 4) return der;
            Volatile.Write(ref _turnedAway, 0);
            foreach (var entry in Pool)
                if (!entry.Value.TryGetTarget(out _)) Pool.TryRemove(entry);
            if (Pool.Count >= MaxEntries) return der;
        }
        Pool[key] = new WeakReference<byte[]>(der);
        return der;
    }

    /// <summary>Entries in the pool, live or not (tests).</summary>
    internal static int Count => Pool.Count;
}
