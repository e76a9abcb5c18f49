using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>
/// The one source of randomness and ephemeral key exchange for a connection. Everything random
/// (hello randoms, session ids, ephemeral private keys, ML-KEM encapsulation randomness, the
/// substitute RSA pre-master) is drawn through <see cref="Fill"/>, so a test that injects a
/// <see cref="ScriptedCryptoProvider"/> replays a handshake byte for byte.
/// </summary>
public interface ICryptoProvider
{
    /// <summary>Fills <paramref name="destination"/> with random bytes.</summary>
    void Fill(Span<byte> destination);

    /// <summary>Whether <see cref="GenerateKeyShare"/> and <see cref="RespondKeyShare"/> serve this group.</summary>
    bool SupportsGroup(NamedGroup group);

    /// <summary>
    /// Client side (and TLS 1.2 server side): creates an ephemeral key share whose public bytes go
    /// in key_share / ServerKeyExchange; the peer's reply is passed to <see cref="IKeyShare.DeriveSecret"/>.
    /// </summary>
    IKeyShare GenerateKeyShare(NamedGroup group);

    /// <summary>
    /// Responder side (TLS 1.3 server, TLS 1.2 client): answers a peer's share in one step, which is
    /// how a KEM works. Throws <see cref="Wire.TlsProtocolException"/> (illegal_parameter) on a bad share.
    /// </summary>
    KeyShareResponse RespondKeyShare(NamedGroup group, ReadOnlySpan<byte> peerShare);

    /// <summary>
    /// Makes a handshake signature (TLS 1.3 CertificateVerify) with <paramref name="certificate"/>'s
    /// private key over <paramref name="content"/>. Every engine signature goes through here, so a
    /// provider can hold keys elsewhere (an HSM, a remote signer) or, in replay tests, return a
    /// published signature (RSA-PSS and ECDSA are randomized). The default signs with the key the
    /// certificate carries (<see cref="TlsSignatures.Sign(SignatureScheme, X509Certificate2, ReadOnlySpan{byte}, bool)"/>).
    /// </summary>
    byte[] Sign(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> content)
        => TlsSignatures.Sign(scheme, certificate, content);

    /// <summary>
    /// Makes a handshake signature of SSL 3.0, TLS 1.0 or TLS 1.1, where there is no signature_algorithms and the hash is
    /// fixed by the key (RFC 2246 §7.4.3 and §7.4.8, RFC 4492 §5.4, RFC 6101 §5.6.8): <paramref name="md5Sha1"/> is the
    /// 36-byte MD5(content) || SHA-1(content), already computed (SSL 3.0's CertificateVerify hashes with the master secret,
    /// so the content is not always at hand). An RSA key signs all 36 bytes as a PKCS#1 v1.5 type 1 block with no
    /// DigestInfo (what OpenSSL's <c>EVP_PKEY_sign</c> makes with the MD5-SHA1 digest); a DSA or ECDSA key signs the
    /// SHA-1 part (the last 20 bytes), DER encoded. The ServerKeyExchange and the client's CertificateVerify at these
    /// versions go through here, as every TLS 1.2 and 1.3 signature goes through <see cref="Sign"/>, so a provider that
    /// holds keys elsewhere overrides both. The default signs with the key the certificate carries: RSA through libcrypto
    /// where it loads (the key is not exported), else BouncyCastle's PKCS#1 encoding; DSA and ECDSA through the BCL.
    /// </summary>
    byte[] SignLegacyHandshakeDigest(X509Certificate2 certificate, ReadOnlySpan<byte> md5Sha1)
        => Handshake.Tls12.LegacySignatures.SignWithCertificateKey(certificate, md5Sha1);

    /// <summary>
    /// The server's half of RSA key transport (TLS 1.2 and older, RFC 5246 §7.4.7.1): decrypts the
    /// client's EncryptedPreMasterSecret with <paramref name="certificate"/>'s private key into the
    /// 48 bytes of <paramref name="preMasterSecret"/>. Never throws for anything the peer sent and
    /// always writes 48 bytes: on a padding, length or version failure a random pre-master, with no
    /// difference in time or behaviour (the Bleichenbacher / ROBOT / Marvin countermeasure), so the
    /// handshake fails later at Finished like any other key mismatch. <paramref name="clientVersion"/>
    /// is the version the client offered in ClientHello. The default goes through libcrypto's TLS
    /// padding mode where it loads, without exporting the key (<see cref="RsaKeyExchange"/>); a
    /// provider holding keys elsewhere overrides it.
    /// </summary>
    void DecryptRsaPreMasterSecret(X509Certificate2 certificate, ReadOnlySpan<byte> encrypted, ushort clientVersion, Span<byte> preMasterSecret)
    {
        // The key object kept per certificate (as for signing): no key object per handshake, and the managed path's per-key form is made once.
        var key = TlsSignatures.SigningKey(certificate, SignatureKeyKind.Rsa) as RSA
            ?? throw new TlsProtocolException(AlertDescription.InternalError, "the certificate has no RSA private key for the RSA key exchange");
        RsaKeyExchange.DecryptPreMasterSecret(key, encrypted, clientVersion, this, preMasterSecret);
    }
}

/// <summary>Well-known providers.</summary>
public static class CryptoProviders
{
    /// <summary>The default: OS randomness, BCL and BouncyCastle key exchange.</summary>
    public static ICryptoProvider Default { get; } = new DefaultCryptoProvider();
}
