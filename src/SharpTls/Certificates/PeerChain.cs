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
            der[i] = entries[i].Data;
            try
            {
                chain[i] = X509CertificateLoader.LoadCertificate(der[i]);
            }
            catch (CryptographicException e)
            {
                throw new TlsProtocolException(AlertDescription.BadCertificate, $"{whose} certificate does not parse: {e.Message}");
            }
        }
        return new PeerCertificateList(der, chain);
    }

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
/// The peer's chain as the connection keeps it: the DER of each certificate, and the parsed
/// <see cref="X509Certificate2"/> objects only while someone needs them. The handshake verifies the parsed chain; once
/// it is done (<see cref="Release"/>), an idle connection keeps the DER alone (about 1 KB for an RSA-2048 certificate,
/// against ~5 KB resident for OpenSSL's parsed X509 and the managed wrapper: bench/PROFILE.md) and parses again, once,
/// when the application reads <see cref="TlsConnectionInfo.PeerCertificates"/>. Released objects are not disposed (an
/// application may still hold one): the collector frees them.
/// </summary>
internal sealed class PeerCertificateList : IReadOnlyList<X509Certificate2>
{
    private readonly byte[][] _der;
    private X509Certificate2[]? _parsed;

    public PeerCertificateList(byte[][] der, X509Certificate2[]? parsed = null)
    {
        _der = der;
        _parsed = parsed;
    }

    /// <summary>The DER of each certificate, leaf first (not copies: do not change them).</summary>
    public IReadOnlyList<byte[]> Der => _der;

    /// <summary>True while the parsed objects are kept (for tests of the idle-connection rule).</summary>
    public bool HoldsParsed => Volatile.Read(ref _parsed) is not null;

    public int Count => _der.Length;

    public X509Certificate2 this[int index] => Parsed()[index];

    public IEnumerator<X509Certificate2> GetEnumerator() => ((IEnumerable<X509Certificate2>)Parsed()).GetEnumerator();

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Drops the parsed certificates, keeping the DER; they are parsed again when next asked for.</summary>
    public void Release() => Volatile.Write(ref _parsed, null);

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
