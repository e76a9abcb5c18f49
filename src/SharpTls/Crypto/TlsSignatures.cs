using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;

using SharpTls.Wire;

namespace SharpTls.Crypto;

/// <summary>The kind of key behind a certificate, as far as TLS signatures care.</summary>
internal enum SignatureKeyKind
{
    /// <summary>Not usable for TLS signatures.</summary>
    Unknown,
    /// <summary>rsaEncryption key: PKCS#1 v1.5 and rsa_pss_rsae_*.</summary>
    Rsa,
    /// <summary>RSASSA-PSS key (OID 1.2.840.113549.1.1.10): rsa_pss_pss_* only.</summary>
    RsaPss,
    /// <summary>EC key (id-ecPublicKey).</summary>
    Ecdsa,
    /// <summary>DSA key (legacy).</summary>
    Dsa,
    /// <summary>Ed25519 key.</summary>
    Ed25519,
    /// <summary>Ed448 key.</summary>
    Ed448,
}

/// <summary>
/// Signing and verifying handshake signatures (CertificateVerify, ServerKeyExchange) for each
/// <see cref="SignatureScheme"/>, plus the legacy TLS 1.0/1.1 RSA MD5+SHA-1 signature.
/// RSA, ECDSA and DSA use the BCL (a server certificate's OpenSSL-backed ECDSA and RSA keys sign through libcrypto with
/// their contexts kept, <see cref="OpenSslSigner"/>); Ed25519/Ed448 and RSASSA-PSS-OID public keys use BouncyCastle.
/// ECDSA and DSA signatures are DER (Dss-Sig-Value / ECDSA-Sig-Value); RSA-PSS uses a salt as long
/// as the hash (RFC 8446 §4.2.3). Verification returns false, never throws, on a malformed signature.
/// </summary>
internal static class TlsSignatures
{
    private const string OidRsa = "1.2.840.113549.1.1.1";
    private const string OidRsaPss = "1.2.840.113549.1.1.10";
    private const string OidEc = "1.2.840.10045.2.1";
    private const string OidDsa = "1.2.840.10040.4.1";
    private const string OidEd25519 = "1.3.101.112";
    private const string OidEd448 = "1.3.101.113";
    private const string OidP256 = "1.2.840.10045.3.1.7";
    private const string OidP384 = "1.3.132.0.34";
    private const string OidP521 = "1.3.132.0.35";

    /// <summary>"TLS 1.3, server CertificateVerify".</summary>
    public const string ServerCertificateVerifyContext = "TLS 1.3, server CertificateVerify";

    /// <summary>"TLS 1.3, client CertificateVerify".</summary>
    public const string ClientCertificateVerifyContext = "TLS 1.3, client CertificateVerify";

    /// <summary>
    /// The content a TLS 1.3 CertificateVerify signs (RFC 8446 §4.4.3): 64 spaces (0x20), the
    /// context string, a 0 byte, then Transcript-Hash(Handshake Context, Certificate).
    /// </summary>
    public static byte[] Tls13SignedContent(bool server, ReadOnlySpan<byte> transcriptHash)
    {
        byte[] content = new byte[Tls13SignedContentLength(server, transcriptHash.Length)];
        Tls13SignedContent(server, transcriptHash, content);
        return content;
    }

    /// <summary>The length of the content <see cref="Tls13SignedContent(bool, ReadOnlySpan{byte}, Span{byte})"/> writes.</summary>
    public static int Tls13SignedContentLength(bool server, int hashLength)
        => 64 + (server ? ServerCertificateVerifyContext : ClientCertificateVerifyContext).Length + 1 + hashLength;

    /// <summary>The signed content into <paramref name="content"/>, which is exactly <see cref="Tls13SignedContentLength"/> long (a stack buffer on the server's path).</summary>
    public static void Tls13SignedContent(bool server, ReadOnlySpan<byte> transcriptHash, Span<byte> content)
    {
        string context = server ? ServerCertificateVerifyContext : ClientCertificateVerifyContext;
        if (content.Length != 64 + context.Length + 1 + transcriptHash.Length) throw new ArgumentException("wrong length for the signed content", nameof(content));
        content[..64].Fill(0x20);
        Encoding.ASCII.GetBytes(context, content[64..]);
        content[64 + context.Length] = 0;
        transcriptHash.CopyTo(content[(64 + context.Length + 1)..]);
    }

    /// <summary>The key kind of a certificate's public key.</summary>
    public static SignatureKeyKind KeyKind(X509Certificate2 certificate) => KeyKindOfOid(certificate.PublicKey.Oid.Value);

    /// <summary>
    /// The schemes a certificate's key can produce or verify, in our preference order. With
    /// <paramref name="tls13"/> the TLS 1.3 rules apply: no PKCS#1 v1.5, SHA-1 or DSA, and an
    /// ECDSA scheme only for the key's own curve (RFC 8446 §4.2.3). For TLS 1.2 every hash pairs with
    /// every key of the right kind. RSA keys too small for a PSS hash are left out of it.
    /// </summary>
    public static IReadOnlyList<SignatureScheme> SchemesFor(X509Certificate2 certificate, bool tls13)
    {
        // Worked out once per certificate object (it reads the key and parses the curve's OID): a server asks per handshake.
        var both = SchemeLists.GetValue(certificate, c => new[] { ComputeSchemes(c, tls13: false), ComputeSchemes(c, tls13: true) });
        return both[tls13 ? 1 : 0];
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, SignatureScheme[][]> SchemeLists = new();

    private static SignatureScheme[] ComputeSchemes(X509Certificate2 certificate, bool tls13)
    {
        switch (KeyKind(certificate))
        {
            case SignatureKeyKind.Rsa:
            {
                int modulusBytes = 0;
                using (RSA? rsa = certificate.GetRSAPublicKey()) modulusBytes = (rsa?.KeySize ?? 0) / 8;
                var list = new List<SignatureScheme>();
                foreach ((SignatureScheme s, int hashLen) in new[]
                         {
                             (SignatureScheme.RsaPssRsaeSha256, 32), (SignatureScheme.RsaPssRsaeSha384, 48),
                             (SignatureScheme.RsaPssRsaeSha512, 64),
                         })
                {
                    if (modulusBytes >= 2 * hashLen + 2) list.Add(s);
                }
                if (!tls13)
                {
                    list.AddRange([SignatureScheme.RsaPkcs1Sha256, SignatureScheme.RsaPkcs1Sha384,
                        SignatureScheme.RsaPkcs1Sha512, SignatureScheme.RsaPkcs1Sha1]);
                }
                return [.. list];
            }
            case SignatureKeyKind.RsaPss:
                return [SignatureScheme.RsaPssPssSha256, SignatureScheme.RsaPssPssSha384, SignatureScheme.RsaPssPssSha512];
            case SignatureKeyKind.Ecdsa:
            {
                SignatureScheme? own = CurveScheme(certificate.PublicKey.EncodedParameters?.RawData);
                if (tls13) return own is { } o ? [o] : [];
                var list = new List<SignatureScheme>();
                if (own is { } first) list.Add(first);
                foreach (SignatureScheme s in new[]
                         {
                             SignatureScheme.EcdsaSecp256r1Sha256, SignatureScheme.EcdsaSecp384r1Sha384,
                             SignatureScheme.EcdsaSecp521r1Sha512, SignatureScheme.EcdsaSha1,
                         })
                {
                    if (!list.Contains(s)) list.Add(s);
                }
                return [.. list];
            }
            case SignatureKeyKind.Dsa:
                return tls13 ? [] : [SignatureScheme.DsaSha256, SignatureScheme.DsaSha1];
            case SignatureKeyKind.Ed25519:
                return [SignatureScheme.Ed25519];
            case SignatureKeyKind.Ed448:
                return [SignatureScheme.Ed448];
            default:
                return [];
        }
    }

    /// <summary>Whether a scheme may appear in TLS 1.3 CertificateVerify (RFC 8446 §4.2.3).</summary>
    public static bool IsAllowedInTls13(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.EcdsaSecp256r1Sha256 or SignatureScheme.EcdsaSecp384r1Sha384
            or SignatureScheme.EcdsaSecp521r1Sha512 or SignatureScheme.RsaPssRsaeSha256
            or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssRsaeSha512
            or SignatureScheme.RsaPssPssSha256 or SignatureScheme.RsaPssPssSha384
            or SignatureScheme.RsaPssPssSha512 or SignatureScheme.Ed25519 or SignatureScheme.Ed448 => true,
        _ => false,
    };

    /// <summary>
    /// Signs with the certificate's private key (RSA, ECDSA or DSA through the BCL, or through libcrypto, below). The key
    /// object is taken out of the certificate once per certificate and kept beside it (<see cref="SigningKey"/>), not per
    /// handshake. Ed25519 keys cannot be held by <see cref="X509Certificate2"/> here: use <see cref="SignEd25519"/>.
    /// </summary>
    /// <param name="scheme">The signature scheme.</param>
    /// <param name="certificateWithKey">The certificate whose private key signs.</param>
    /// <param name="data">The content signed (hashed with the scheme's hash).</param>
    /// <param name="useLibCrypto">Whether an OpenSSL-backed ECDSA or RSA key signs through libcrypto with its signing context
    /// kept (<see cref="OpenSslSigner"/>, where libcrypto loads; the provider's <c>UseLibCrypto</c>); false: the BCL signs.</param>
    public static byte[] Sign(SignatureScheme scheme, X509Certificate2 certificateWithKey, ReadOnlySpan<byte> data, bool useLibCrypto = true)
    {
        SignatureKeyKind kind = SchemeKind(scheme);
        if (kind is not (SignatureKeyKind.Rsa or SignatureKeyKind.RsaPss or SignatureKeyKind.Ecdsa or SignatureKeyKind.Dsa))
            throw new NotSupportedException($"signing with {scheme} needs a key outside X509Certificate2");
        var key = SigningKey(certificateWithKey, kind) ?? throw NoKey(scheme);
        if (useLibCrypto && NativeSigner(key) is { } native && native.Serves(scheme))
            return native.Sign(scheme, data);
        return Sign(scheme, key, data);
    }

    /// <summary>The libcrypto signer of a kept signing key (made on first use, null when the key is not OpenSSL-backed), kept
    /// as long as the key and disposed with it (<see cref="SigningKey"/>'s disposed-certificate path).</summary>
    private static OpenSslSigner? NativeSigner(AsymmetricAlgorithm key)
        => NativeSigners.GetValue(key, static k => new StrongBox<OpenSslSigner?>(OpenSslSigner.For(k))).Value;

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<AsymmetricAlgorithm, StrongBox<OpenSslSigner?>> NativeSigners = new();

    /// <summary>
    /// The certificate's private key as a BCL key object of <paramref name="kind"/>, created on first use and kept for
    /// as long as the certificate object lives (a weak table: it goes with the certificate). The BCL's OpenSSL-backed
    /// keys sign without per-call state, so one object serves concurrent handshakes. Null when there is no such key.
    /// </summary>
    internal static AsymmetricAlgorithm? SigningKey(X509Certificate2 certificate, SignatureKeyKind kind)
    {
        // A disposed certificate signs no new handshake (as before the key was kept): its kept key is dropped and freed
        // (a signature under way holds its own reference to the native key), and the handshake fails with internal_error.
        if (certificate.Handle == IntPtr.Zero)
        {
            if (SigningKeys.TryGetValue(certificate, out AsymmetricAlgorithm? stale) && SigningKeys.Remove(certificate))
            {
                stale.Dispose();
                if (stale is RSA rsa) ManagedRsaPrivateKey.Forget(rsa); // the RSA key exchange's managed form of it, overwritten
                if (NativeSigners.TryGetValue(stale, out var native) && NativeSigners.Remove(stale)) native.Value?.Dispose(); // its libcrypto contexts
            }
            throw new CryptographicException("the certificate object was disposed: it no longer signs handshakes (give the policy a live certificate)");
        }
        if (SigningKeys.TryGetValue(certificate, out AsymmetricAlgorithm? key))
            return KindOf(key) == kind || (kind == SignatureKeyKind.RsaPss && key is RSA) ? key : null;
        key = kind switch
        {
            SignatureKeyKind.Rsa or SignatureKeyKind.RsaPss => certificate.GetRSAPrivateKey(),
            SignatureKeyKind.Ecdsa => certificate.GetECDsaPrivateKey(),
            SignatureKeyKind.Dsa => certificate.GetDSAPrivateKey(),
            _ => null,
        };
        if (key is null) return null;
        AsymmetricAlgorithm kept = SigningKeys.GetValue(certificate, _ => key);
        if (!ReferenceEquals(kept, key)) key.Dispose(); // another thread kept its own first
        return kept;

        static SignatureKeyKind KindOf(AsymmetricAlgorithm k) => k switch
        {
            RSA => SignatureKeyKind.Rsa,
            ECDsa => SignatureKeyKind.Ecdsa,
            DSA => SignatureKeyKind.Dsa,
            _ => SignatureKeyKind.Unknown,
        };
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<X509Certificate2, AsymmetricAlgorithm> SigningKeys = new();

    /// <summary>Signs with a BCL key (<see cref="RSA"/>, <see cref="ECDsa"/> or <see cref="DSA"/>).</summary>
    public static byte[] Sign(SignatureScheme scheme, AsymmetricAlgorithm key, ReadOnlySpan<byte> data)
    {
        HashAlgorithmName hash = TlsHashes.ForScheme(scheme) ?? throw new NotSupportedException($"{scheme} has no BCL signer");
        return (SchemeKind(scheme), key) switch
        {
            (SignatureKeyKind.Rsa, RSA rsa) when IsPss(scheme) => rsa.SignData(data.ToArray(), hash, RSASignaturePadding.Pss),
            (SignatureKeyKind.RsaPss, RSA rsa) => rsa.SignData(data.ToArray(), hash, RSASignaturePadding.Pss),
            (SignatureKeyKind.Rsa, RSA rsa) => rsa.SignData(data.ToArray(), hash, RSASignaturePadding.Pkcs1),
            (SignatureKeyKind.Ecdsa, ECDsa ec) => ec.SignData(data, hash, DSASignatureFormat.Rfc3279DerSequence),
            (SignatureKeyKind.Dsa, DSA dsa) => dsa.SignData(data.ToArray(), hash, DSASignatureFormat.Rfc3279DerSequence),
            _ => throw new ArgumentException($"a {key.GetType().Name} key cannot sign {scheme}", nameof(key)),
        };
    }

    /// <summary>Ed25519 signature (RFC 8032, pure) with a 32-byte private key seed.</summary>
    public static byte[] SignEd25519(ReadOnlySpan<byte> privateKey, ReadOnlySpan<byte> data)
    {
        var signer = new Ed25519Signer();
        signer.Init(true, new Ed25519PrivateKeyParameters(privateKey));
        signer.BlockUpdate(data);
        return signer.GenerateSignature();
    }

    /// <summary>The 32-byte Ed25519 seed inside a PKCS#8 PrivateKeyInfo (for keys loaded from PEM/PFX by hand).</summary>
    public static byte[] Ed25519PrivateKeyFromPkcs8(ReadOnlySpan<byte> pkcs8)
    {
        AsymmetricKeyParameter key = PrivateKeyFactory.CreateKey(pkcs8.ToArray());
        return key is Ed25519PrivateKeyParameters ed ? ed.GetEncoded() : throw new ArgumentException("not an Ed25519 private key");
    }

    /// <summary>Verifies with the certificate's public key. With <paramref name="tls13"/> the scheme must be a TLS 1.3 one and an ECDSA scheme must match the key's curve.</summary>
    public static bool Verify(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> data,
        ReadOnlySpan<byte> signature, bool tls13 = false)
        => Verify(scheme, certificate.PublicKey.ExportSubjectPublicKeyInfo(), data, signature, tls13);

    /// <summary>Verifies with a DER SubjectPublicKeyInfo (any key kind, Ed25519 included).</summary>
    public static bool Verify(SignatureScheme scheme, ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> data,
        ReadOnlySpan<byte> signature, bool tls13 = false)
    {
        if (tls13 && !IsAllowedInTls13(scheme)) return false;
        try
        {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.GetInstance(subjectPublicKeyInfo.ToArray());
            SignatureKeyKind keyKind = KeyKindOfOid(spki.Algorithm.Algorithm.Id);
            if (keyKind != SchemeKind(scheme)) return false;
            HashAlgorithmName hash = TlsHashes.ForScheme(scheme) ?? default;
            switch (keyKind)
            {
                case SignatureKeyKind.Rsa:
                {
                    using RSA rsa = RSA.Create();
                    rsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                    return rsa.VerifyData(data, signature, hash, IsPss(scheme) ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
                }
                case SignatureKeyKind.RsaPss:
                {
                    var bc = (RsaKeyParameters)PublicKeyFactory.CreateKey(spki);
                    using RSA rsa = RSA.Create(new RSAParameters
                    {
                        Modulus = bc.Modulus.ToByteArrayUnsigned(),
                        Exponent = bc.Exponent.ToByteArrayUnsigned(),
                    });
                    return rsa.VerifyData(data, signature, hash, RSASignaturePadding.Pss);
                }
                case SignatureKeyKind.Ecdsa:
                {
                    if (tls13 && CurveScheme(spki.Algorithm.Parameters?.ToAsn1Object().GetEncoded()) != scheme) return false;
                    using ECDsa ec = ECDsa.Create();
                    ec.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                    return ec.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                }
                case SignatureKeyKind.Dsa:
                {
                    using DSA dsa = DSA.Create();
                    dsa.ImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out _);
                    return dsa.VerifyData(data, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
                }
                case SignatureKeyKind.Ed25519:
                case SignatureKeyKind.Ed448:
                {
                    ISigner signer = keyKind == SignatureKeyKind.Ed25519 ? new Ed25519Signer() : new Ed448Signer([]);
                    signer.Init(false, PublicKeyFactory.CreateKey(spki));
                    byte[] message = data.ToArray();
                    signer.BlockUpdate(message, 0, message.Length);
                    return signer.VerifySignature(signature.ToArray());
                }
                default:
                    return false;
            }
        }
        catch (Exception e) when (e is CryptographicException or ArgumentException or FormatException
                                      or InvalidCastException or IOException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// The TLS 1.0/1.1 (and SSL 3.0) RSA signature of ServerKeyExchange / CertificateVerify
    /// (RFC 4346 §4.7): PKCS#1 v1.5 block type 1 over MD5(data) || SHA-1(data), with no DigestInfo.
    /// </summary>
    public static byte[] SignLegacyRsaMd5Sha1(RSA privateKey, ReadOnlySpan<byte> data)
        => SignLegacyRsaMd5Sha1Hash(privateKey, TlsHashes.Hash(TlsHashes.Md5Sha1, data));

    /// <summary>As <see cref="SignLegacyRsaMd5Sha1"/> over an already computed 36-byte MD5 || SHA-1 hash.</summary>
    public static byte[] SignLegacyRsaMd5Sha1Hash(RSA privateKey, ReadOnlySpan<byte> md5Sha1)
    {
        AsymmetricCipherKeyPair pair = DotNetUtilities.GetRsaKeyPair(privateKey.ExportParameters(true));
        var pkcs1 = new Org.BouncyCastle.Crypto.Encodings.Pkcs1Encoding(new Org.BouncyCastle.Crypto.Engines.RsaBlindedEngine());
        pkcs1.Init(true, pair.Private);
        byte[] input = md5Sha1.ToArray();
        return LeftPad(pkcs1.ProcessBlock(input, 0, input.Length), (privateKey.KeySize + 7) / 8);
    }

    /// <summary>Verifies a legacy MD5+SHA-1 RSA signature against the public key in a SubjectPublicKeyInfo.</summary>
    public static bool VerifyLegacyRsaMd5Sha1(ReadOnlySpan<byte> subjectPublicKeyInfo, ReadOnlySpan<byte> data, ReadOnlySpan<byte> signature)
    {
        try
        {
            return PublicKeyFactory.CreateKey(subjectPublicKeyInfo.ToArray()) is RsaKeyParameters rsa
                && VerifyLegacyRsaMd5Sha1Hash(rsa, TlsHashes.Hash(TlsHashes.Md5Sha1, data), signature);
        }
        catch (Exception e) when (e is ArgumentException or IOException or InvalidCastException)
        {
            return false;
        }
    }

    /// <summary>Verifies a legacy RSA signature over an already computed 36-byte MD5 || SHA-1 hash.</summary>
    public static bool VerifyLegacyRsaMd5Sha1Hash(RSA publicKey, ReadOnlySpan<byte> md5Sha1, ReadOnlySpan<byte> signature)
    {
        var p = publicKey.ExportParameters(false);
        var key = new RsaKeyParameters(false, new Org.BouncyCastle.Math.BigInteger(1, p.Modulus), new Org.BouncyCastle.Math.BigInteger(1, p.Exponent));
        return VerifyLegacyRsaMd5Sha1Hash(key, md5Sha1, signature);
    }

    private static bool VerifyLegacyRsaMd5Sha1Hash(RsaKeyParameters rsa, ReadOnlySpan<byte> md5Sha1, ReadOnlySpan<byte> signature)
    {
        try
        {
            int modulusBytes = (rsa.Modulus.BitLength + 7) / 8;
            if (signature.Length != modulusBytes) return false;
            var pkcs1 = new Org.BouncyCastle.Crypto.Encodings.Pkcs1Encoding(new Org.BouncyCastle.Crypto.Engines.RsaEngine());
            pkcs1.Init(false, rsa);
            byte[] sig = signature.ToArray();
            byte[] recovered = pkcs1.ProcessBlock(sig, 0, sig.Length);
            return CryptographicOperations.FixedTimeEquals(recovered, md5Sha1);
        }
        catch (Exception e) when (e is InvalidCipherTextException or DataLengthException or ArgumentException or IOException)
        {
            return false;
        }
    }

    private static byte[] LeftPad(byte[] value, int length)
    {
        if (value.Length >= length) return value;
        byte[] padded = new byte[length];
        value.CopyTo(padded, length - value.Length);
        return padded;
    }

    private static Exception NoKey(SignatureScheme scheme)
        => new InvalidOperationException($"the certificate has no private key usable for {scheme}");

    private static bool IsPss(SignatureScheme scheme) => ((ushort)scheme & 0xFF00) == 0x0800;

    private static SignatureKeyKind KeyKindOfOid(string? oid) => oid switch
    {
        OidRsa => SignatureKeyKind.Rsa,
        OidRsaPss => SignatureKeyKind.RsaPss,
        OidEc => SignatureKeyKind.Ecdsa,
        OidDsa => SignatureKeyKind.Dsa,
        OidEd25519 => SignatureKeyKind.Ed25519,
        OidEd448 => SignatureKeyKind.Ed448,
        _ => SignatureKeyKind.Unknown,
    };

    /// <summary>The key kind a scheme needs.</summary>
    public static SignatureKeyKind SchemeKind(SignatureScheme scheme) => scheme switch
    {
        SignatureScheme.RsaPkcs1Sha1 or SignatureScheme.RsaPkcs1Sha256 or SignatureScheme.RsaPkcs1Sha384
            or SignatureScheme.RsaPkcs1Sha512 or SignatureScheme.RsaPssRsaeSha256
            or SignatureScheme.RsaPssRsaeSha384 or SignatureScheme.RsaPssRsaeSha512 => SignatureKeyKind.Rsa,
        SignatureScheme.RsaPssPssSha256 or SignatureScheme.RsaPssPssSha384 or SignatureScheme.RsaPssPssSha512
            => SignatureKeyKind.RsaPss,
        SignatureScheme.EcdsaSha1 or SignatureScheme.EcdsaSecp256r1Sha256 or SignatureScheme.EcdsaSecp384r1Sha384
            or SignatureScheme.EcdsaSecp521r1Sha512 => SignatureKeyKind.Ecdsa,
        SignatureScheme.DsaSha1 or SignatureScheme.DsaSha256 or SignatureScheme.DsaSha384
            or SignatureScheme.DsaSha512 => SignatureKeyKind.Dsa,
        SignatureScheme.Ed25519 => SignatureKeyKind.Ed25519,
        SignatureScheme.Ed448 => SignatureKeyKind.Ed448,
        _ => SignatureKeyKind.Unknown,
    };

    /// <summary>The TLS 1.3 ECDSA scheme of a named-curve parameter (DER OID), if any.</summary>
    private static SignatureScheme? CurveScheme(byte[]? encodedParameters)
    {
        if (encodedParameters is null) return null;
        try
        {
            string oid = Org.BouncyCastle.Asn1.DerObjectIdentifier.GetInstance(encodedParameters).Id;
            return oid switch
            {
                OidP256 => SignatureScheme.EcdsaSecp256r1Sha256,
                OidP384 => SignatureScheme.EcdsaSecp384r1Sha384,
                OidP521 => SignatureScheme.EcdsaSecp521r1Sha512,
                _ => null,
            };
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
