using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// Handshake signatures before TLS 1.2, where there is no signature_algorithms and the hash is fixed by the key
/// (RFC 2246 §7.4.3 and §7.4.8, RFC 4346 the same, RFC 4492 §5.4 and §5.8, RFC 6101 §5.6.3 and §5.6.8):
/// an RSA key signs MD5(data) || SHA-1(data), 36 bytes in a PKCS#1 type 1 block without DigestInfo; a DSA or
/// ECDSA key signs SHA-1(data). ServerKeyExchange signs client_random + server_random + params; CertificateVerify
/// signs the handshake messages (TLS 1.0/1.1) or SSL 3.0's own hash of them with the master secret.
/// Everything here works from the 36-byte MD5 || SHA-1 value, so both cases go through the same code.
/// </summary>
internal static class LegacySignatures
{
    /// <summary>The scheme that names a legacy signature in traces and <see cref="TlsConnectionInfo"/>: its key kind with SHA-1 (RSA signs MD5+SHA-1).</summary>
    public static SignatureScheme? SchemeFor(SignatureKeyKind key) => key switch
    {
        SignatureKeyKind.Rsa => SignatureScheme.RsaPkcs1Sha1,
        SignatureKeyKind.Ecdsa => SignatureScheme.EcdsaSha1,
        SignatureKeyKind.Dsa => SignatureScheme.DsaSha1,
        _ => null,
    };

    /// <summary>MD5(data) || SHA-1(data).</summary>
    public static byte[] Md5Sha1(ReadOnlySpan<byte> data) => TlsHashes.Hash(TlsHashes.Md5Sha1, data);

    /// <summary>Signs a 36-byte MD5 || SHA-1 value through the connection's provider (<see cref="ICryptoProvider.SignLegacyHandshakeDigest"/>).</summary>
    public static byte[] Sign(ICryptoProvider provider, X509Certificate2 certificate, ReadOnlySpan<byte> md5Sha1)
        => provider.SignLegacyHandshakeDigest(certificate, md5Sha1);

    /// <summary>
    /// The default provider's legacy signature: a 36-byte MD5 || SHA-1 value signed with the key the certificate carries
    /// (RSA: all 36 bytes, through libcrypto when it can serve the key, else BouncyCastle's PKCS#1 encoding on the exported
    /// key; DSA, ECDSA: the SHA-1 part, DER encoded, through the BCL).
    /// </summary>
    public static byte[] SignWithCertificateKey(X509Certificate2 certificate, ReadOnlySpan<byte> md5Sha1)
    {
        if (md5Sha1.Length != 36)
            throw new ArgumentException("a legacy handshake signature signs the 36-byte MD5 || SHA-1 value", nameof(md5Sha1));
        var kind = TlsSignatures.KeyKind(certificate);
        switch (kind)
        {
            case SignatureKeyKind.Rsa:
            {
                using RSA rsa = certificate.GetRSAPrivateKey() ?? throw NoKey(kind);
                return OpenSslLegacyRsaSignature.TrySign(rsa, md5Sha1) ?? TlsSignatures.SignLegacyRsaMd5Sha1Hash(rsa, md5Sha1);
            }
            case SignatureKeyKind.Ecdsa:
            {
                using ECDsa ec = certificate.GetECDsaPrivateKey() ?? throw NoKey(kind);
                return ec.SignHash(md5Sha1[16..].ToArray(), DSASignatureFormat.Rfc3279DerSequence);
            }
            case SignatureKeyKind.Dsa:
            {
                using DSA dsa = certificate.GetDSAPrivateKey() ?? throw NoKey(kind);
                return dsa.CreateSignature(md5Sha1[16..].ToArray(), DSASignatureFormat.Rfc3279DerSequence);
            }
            default:
                throw new TlsProtocolException(AlertDescription.InternalError, $"a {kind} key cannot sign before TLS 1.2");
        }
    }

    /// <summary>Verifies a legacy signature over a 36-byte MD5 || SHA-1 value with the certificate's public key; false, never an exception, when it does not verify.</summary>
    public static bool Verify(X509Certificate2 certificate, ReadOnlySpan<byte> md5Sha1, ReadOnlySpan<byte> signature)
    {
        try
        {
            switch (TlsSignatures.KeyKind(certificate))
            {
                case SignatureKeyKind.Rsa:
                {
                    using RSA? rsa = certificate.GetRSAPublicKey();
                    return rsa is not null && TlsSignatures.VerifyLegacyRsaMd5Sha1Hash(rsa, md5Sha1, signature);
                }
                case SignatureKeyKind.Ecdsa:
                {
                    using ECDsa? ec = certificate.GetECDsaPublicKey();
                    return ec is not null && ec.VerifyHash(md5Sha1[16..], signature, DSASignatureFormat.Rfc3279DerSequence);
                }
                case SignatureKeyKind.Dsa:
                {
                    using DSA? dsa = certificate.GetDSAPublicKey();
                    return dsa is not null && dsa.VerifySignature(md5Sha1[16..], signature, DSASignatureFormat.Rfc3279DerSequence);
                }
                default:
                    return false;
            }
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static TlsProtocolException NoKey(SignatureKeyKind kind)
        => new(AlertDescription.InternalError, $"the certificate has no {kind} private key to sign with");
}
