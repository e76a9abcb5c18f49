using System.Security.Cryptography;

namespace SharpTls.Wire;

/// <summary>How a cipher suite agrees on its keys and authenticates the server (the part before "_WITH_").</summary>
internal enum CipherSuiteKeyExchange
{
    /// <summary>TLS_NULL_WITH_NULL_NULL and the signaling values: no key exchange.</summary>
    None,
    /// <summary>TLS 1.3 suites: the key exchange is negotiated separately (key_share, psk_key_exchange_modes).</summary>
    Any,
    /// <summary>RSA key transport (the client encrypts the pre-master secret to the certificate's key).</summary>
    Rsa,
    /// <summary>Static DH, certificate signed with DSS.</summary>
    DhDss,
    /// <summary>Static DH, certificate signed with RSA.</summary>
    DhRsa,
    /// <summary>Ephemeral DH signed with a DSA key.</summary>
    DheDss,
    /// <summary>Ephemeral DH signed with an RSA key.</summary>
    DheRsa,
    /// <summary>Anonymous ephemeral DH (no authentication).</summary>
    DhAnon,
    /// <summary>Static ECDH, ECDSA-signed certificate.</summary>
    EcdhEcdsa,
    /// <summary>Static ECDH, RSA-signed certificate.</summary>
    EcdhRsa,
    /// <summary>Ephemeral ECDH signed with an ECDSA key.</summary>
    EcdheEcdsa,
    /// <summary>Ephemeral ECDH signed with an RSA key.</summary>
    EcdheRsa,
    /// <summary>Anonymous ephemeral ECDH.</summary>
    EcdhAnon,
    /// <summary>Pre-shared key only (RFC 4279).</summary>
    Psk,
    /// <summary>PSK plus ephemeral DH.</summary>
    DhePsk,
    /// <summary>PSK plus RSA key transport.</summary>
    RsaPsk,
    /// <summary>PSK plus ephemeral ECDH (RFC 5489).</summary>
    EcdhePsk,
    /// <summary>Kerberos 5 (RFC 2712).</summary>
    Krb5,
    /// <summary>SRP, no certificate (RFC 5054).</summary>
    Srp,
    /// <summary>SRP with an RSA certificate.</summary>
    SrpRsa,
    /// <summary>SRP with a DSS certificate.</summary>
    SrpDss,
    /// <summary>Password-authenticated ECC (RFC 8492).</summary>
    EccPwd,
    /// <summary>SSL 3.0 FORTEZZA KEA.</summary>
    FortezzaKea,
    /// <summary>GOST R 34.10-2012 VKO (RFC 9189).</summary>
    Gost,
}

/// <summary>The bulk cipher of a suite.</summary>
internal enum BulkCipher
{
    Null,
    Rc4,
    Rc2,
    Des,
    TripleDes,
    Idea,
    Seed,
    Aes,
    Camellia,
    Aria,
    ChaCha20,
    Fortezza,
    Sm4,
    Kuznyechik,
    Magma,
    Gost28147,
    Aegis256,
    Aegis128L,
}

/// <summary>How the bulk cipher is used on records.</summary>
internal enum BulkCipherMode
{
    /// <summary>No encryption.</summary>
    None,
    /// <summary>A stream cipher (RC4).</summary>
    Stream,
    /// <summary>Block cipher in CBC mode, MAC-then-encrypt (or encrypt-then-MAC, RFC 7366).</summary>
    Cbc,
    /// <summary>AEAD: GCM.</summary>
    Gcm,
    /// <summary>AEAD: CCM with a 16-byte tag.</summary>
    Ccm,
    /// <summary>AEAD: CCM with an 8-byte tag.</summary>
    Ccm8,
    /// <summary>AEAD: ChaCha20-Poly1305 (RFC 8439).</summary>
    ChaCha20Poly1305,
    /// <summary>AEAD: the AEGIS family.</summary>
    Aegis,
    /// <summary>GOST CTR with an OMAC (RFC 9189).</summary>
    CtrOmac,
    /// <summary>GOST 28147-89 CNT with IMIT (RFC 9189).</summary>
    CntImit,
    /// <summary>AEAD: GOST MGM (RFC 9367).</summary>
    Mgm,
}

/// <summary>The record MAC of a suite.</summary>
internal enum MacAlgorithm
{
    /// <summary>No MAC (TLS_NULL_WITH_NULL_NULL, signaling values).</summary>
    Null,
    /// <summary>HMAC-MD5 (SSL 3.0: its MD5 MAC construction).</summary>
    Md5,
    /// <summary>HMAC-SHA1 (the "_SHA" suffix).</summary>
    Sha1,
    /// <summary>HMAC-SHA256.</summary>
    Sha256,
    /// <summary>HMAC-SHA384.</summary>
    Sha384,
    /// <summary>The record is authenticated by the AEAD: no separate MAC.</summary>
    Aead,
    /// <summary>A GOST MAC (OMAC or IMIT, RFC 9189).</summary>
    Gost,
}

/// <summary>
/// What a cipher suite is made of and where it may be used. Obtained from
/// <see cref="CipherSuites.Info(CipherSuite)"/>; derived from the IANA name, with the
/// exceptions (TLS 1.3, signaling values, GOST, SM4, FORTEZZA) spelt out.
/// </summary>
internal sealed record CipherSuiteInfo
{
    /// <summary>The suite.</summary>
    public required CipherSuite Suite { get; init; }

    /// <summary>Its IANA name.</summary>
    public string Name => Suite.ToString();

    /// <summary>The key exchange and authentication (<see cref="CipherSuiteKeyExchange.Any"/> for TLS 1.3).</summary>
    public required CipherSuiteKeyExchange KeyExchange { get; init; }

    /// <summary>The bulk cipher.</summary>
    public required BulkCipher Cipher { get; init; }

    /// <summary>How the cipher protects records.</summary>
    public required BulkCipherMode Mode { get; init; }

    /// <summary>Effective key strength in bits (40 for export suites, 168 for 3DES, 0 for NULL).</summary>
    public required int KeyBits { get; init; }

    /// <summary>Bytes of key material taken from the key block per direction (before export expansion).</summary>
    public required int KeyBytes { get; init; }

    /// <summary>Block size in bytes for CBC ciphers, 0 otherwise.</summary>
    public int BlockBytes { get; init; }

    /// <summary>
    /// Bytes of IV taken from the key block per direction: the CBC IV (used by SSL 3.0 and TLS 1.0),
    /// the implicit nonce salt of TLS 1.2 GCM/CCM (4), the whole nonce of ChaCha20-Poly1305 and TLS 1.3 (12).
    /// </summary>
    public int FixedIvBytes { get; init; }

    /// <summary>Bytes of explicit nonce sent in each TLS 1.2 AEAD record (8 for GCM and CCM, 0 otherwise).</summary>
    public int ExplicitNonceBytes { get; init; }

    /// <summary>The record MAC (<see cref="MacAlgorithm.Aead"/> for AEAD suites).</summary>
    public required MacAlgorithm Mac { get; init; }

    /// <summary>Length of the record MAC in bytes (0 for AEAD suites).</summary>
    public int MacBytes { get; init; }

    /// <summary>Length of the AEAD tag in bytes (0 for MAC-then-encrypt suites).</summary>
    public int TagBytes { get; init; }

    /// <summary>
    /// The hash of the TLS 1.2 PRF and of the TLS 1.3 key schedule and transcript. TLS 1.0/1.1
    /// always use MD5+SHA-1 and SSL 3.0 its own derivation, whatever the suite.
    /// </summary>
    public required HashAlgorithmName PrfHash { get; init; }

    /// <summary>The first version the suite may be negotiated in.</summary>
    public required ProtocolVersion MinVersion { get; init; }

    /// <summary>The last version the suite may be negotiated in.</summary>
    public required ProtocolVersion MaxVersion { get; init; }

    /// <summary>An export suite (40- or 56-bit keys; not negotiable after TLS 1.0, RFC 4346 A.5).</summary>
    public bool IsExport { get; init; }

    /// <summary>A signaling value, not a real suite (TLS_EMPTY_RENEGOTIATION_INFO_SCSV, TLS_FALLBACK_SCSV).</summary>
    public bool IsSignaling { get; init; }

    /// <summary>True for AEAD modes.</summary>
    public bool IsAead => Mac == MacAlgorithm.Aead;

    /// <summary>True for the TLS 1.3 suites (key exchange negotiated by extensions).</summary>
    public bool IsTls13 => MinVersion == ProtocolVersion.Tls13;

    /// <summary>True when the server is not authenticated (DH_anon, ECDH_anon).</summary>
    public bool IsAnonymous => KeyExchange is CipherSuiteKeyExchange.DhAnon or CipherSuiteKeyExchange.EcdhAnon;

    /// <summary>True when the key exchange is ephemeral (forward secrecy); TLS 1.3 suites count as such.</summary>
    public bool IsForwardSecret => KeyExchange is CipherSuiteKeyExchange.Any or CipherSuiteKeyExchange.DheDss
        or CipherSuiteKeyExchange.DheRsa or CipherSuiteKeyExchange.DhAnon or CipherSuiteKeyExchange.EcdheEcdsa
        or CipherSuiteKeyExchange.EcdheRsa or CipherSuiteKeyExchange.EcdhAnon or CipherSuiteKeyExchange.DhePsk
        or CipherSuiteKeyExchange.EcdhePsk or CipherSuiteKeyExchange.EccPwd;

    /// <summary>True when the suite may be negotiated in <paramref name="version"/>.</summary>
    public bool AllowedIn(ProtocolVersion version)
        => Rank(version) >= Rank(MinVersion) && Rank(version) <= Rank(MaxVersion);

    // SSL 2.0 is 0x0002 but older than SSL 3.0; the others order by value.
    private static int Rank(ProtocolVersion v) => v == ProtocolVersion.Ssl2 ? 0 : (ushort)v;
}
