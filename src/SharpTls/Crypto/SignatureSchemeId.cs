namespace SharpTls.Crypto;

/// <summary>
/// Signature schemes (IANA "TLS SignatureScheme" registry; for TLS 1.2 the same two bytes are the
/// (HashAlgorithm, SignatureAlgorithm) pair of RFC 5246 §7.4.1.4.1). Provisional: the lead folds
/// this into <c>Wire/SignatureScheme.cs</c>; the type name is unique so the fold is a rename.
/// </summary>
public enum SignatureSchemeId : ushort
{
    /// <summary>rsa_pkcs1_sha1 (legacy).</summary>
    RsaPkcs1Sha1 = 0x0201,
    /// <summary>dsa_sha1 (TLS 1.2 pair sha1,dsa; reserved in TLS 1.3).</summary>
    DsaSha1 = 0x0202,
    /// <summary>ecdsa_sha1 (legacy).</summary>
    EcdsaSha1 = 0x0203,
    /// <summary>rsa_pkcs1_sha256.</summary>
    RsaPkcs1Sha256 = 0x0401,
    /// <summary>dsa_sha256 (TLS 1.2 pair sha256,dsa).</summary>
    DsaSha256 = 0x0402,
    /// <summary>ecdsa_secp256r1_sha256 (TLS 1.2: ECDSA with SHA-256 on any curve).</summary>
    EcdsaSecp256r1Sha256 = 0x0403,
    /// <summary>rsa_pkcs1_sha384.</summary>
    RsaPkcs1Sha384 = 0x0501,
    /// <summary>dsa_sha384 (TLS 1.2 pair sha384,dsa).</summary>
    DsaSha384 = 0x0502,
    /// <summary>ecdsa_secp384r1_sha384.</summary>
    EcdsaSecp384r1Sha384 = 0x0503,
    /// <summary>rsa_pkcs1_sha512.</summary>
    RsaPkcs1Sha512 = 0x0601,
    /// <summary>dsa_sha512 (TLS 1.2 pair sha512,dsa).</summary>
    DsaSha512 = 0x0602,
    /// <summary>ecdsa_secp521r1_sha512.</summary>
    EcdsaSecp521r1Sha512 = 0x0603,
    /// <summary>rsa_pss_rsae_sha256.</summary>
    RsaPssRsaeSha256 = 0x0804,
    /// <summary>rsa_pss_rsae_sha384.</summary>
    RsaPssRsaeSha384 = 0x0805,
    /// <summary>rsa_pss_rsae_sha512.</summary>
    RsaPssRsaeSha512 = 0x0806,
    /// <summary>ed25519 (RFC 8032).</summary>
    Ed25519 = 0x0807,
    /// <summary>ed448 (RFC 8032).</summary>
    Ed448 = 0x0808,
    /// <summary>rsa_pss_pss_sha256 (key with the RSASSA-PSS OID).</summary>
    RsaPssPssSha256 = 0x0809,
    /// <summary>rsa_pss_pss_sha384.</summary>
    RsaPssPssSha384 = 0x080A,
    /// <summary>rsa_pss_pss_sha512.</summary>
    RsaPssPssSha512 = 0x080B,
}
