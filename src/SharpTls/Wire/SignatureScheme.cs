namespace SharpTls.Wire;

/// <summary>
/// Signature schemes (RFC 8446 §4.2.3, IANA "TLS SignatureScheme"). Values below 0x0800 whose
/// low byte is 1..3 are also the TLS 1.2 SignatureAndHashAlgorithm pairs (RFC 5246 §7.4.1.4.1):
/// high byte hash (1 md5, 2 sha1, 3 sha224, 4 sha256, 5 sha384, 6 sha512), low byte signature
/// (1 rsa, 2 dsa, 3 ecdsa).
/// </summary>
public enum SignatureScheme : ushort
{
    RsaPkcs1Md5 = 0x0101, DsaMd5 = 0x0102, EcdsaMd5 = 0x0103,
    RsaPkcs1Sha1 = 0x0201, DsaSha1 = 0x0202, EcdsaSha1 = 0x0203,
    RsaPkcs1Sha224 = 0x0301, DsaSha224 = 0x0302, EcdsaSha224 = 0x0303,
    RsaPkcs1Sha256 = 0x0401, DsaSha256 = 0x0402, EcdsaSecp256r1Sha256 = 0x0403,
    RsaPkcs1Sha384 = 0x0501, DsaSha384 = 0x0502, EcdsaSecp384r1Sha384 = 0x0503,
    RsaPkcs1Sha512 = 0x0601, DsaSha512 = 0x0602, EcdsaSecp521r1Sha512 = 0x0603,
    RsaPssRsaeSha256 = 0x0804,
    RsaPssRsaeSha384 = 0x0805,
    RsaPssRsaeSha512 = 0x0806,
    Ed25519 = 0x0807,
    Ed448 = 0x0808,
    RsaPssPssSha256 = 0x0809,
    RsaPssPssSha384 = 0x080A,
    RsaPssPssSha512 = 0x080B,
    EcdsaBrainpoolP256r1Tls13Sha256 = 0x081A,
    EcdsaBrainpoolP384r1Tls13Sha384 = 0x081B,
    EcdsaBrainpoolP512r1Tls13Sha512 = 0x081C,
    MlDsa44 = 0x0904,
    MlDsa65 = 0x0905,
    MlDsa87 = 0x0906,
}

/// <summary>Names of signature schemes.</summary>
public static class SignatureSchemes
{
    private static readonly string[] s_hashes = ["", "md5", "sha1", "sha224", "sha256", "sha384", "sha512"];

    /// <summary>The RFC/Wireshark name ("rsa_pss_rsae_sha256", "ecdsa_sha1", "dsa_sha256"), GREASE or Unknown.</summary>
    public static string Name(ushort v) => RegistryNames.Of(v, v switch
    {
        0x0403 => "ecdsa_secp256r1_sha256",
        0x0503 => "ecdsa_secp384r1_sha384",
        0x0603 => "ecdsa_secp521r1_sha512",
        0x0804 => "rsa_pss_rsae_sha256",
        0x0805 => "rsa_pss_rsae_sha384",
        0x0806 => "rsa_pss_rsae_sha512",
        0x0807 => "ed25519",
        0x0808 => "ed448",
        0x0809 => "rsa_pss_pss_sha256",
        0x080A => "rsa_pss_pss_sha384",
        0x080B => "rsa_pss_pss_sha512",
        0x081A => "ecdsa_brainpoolP256r1tls13_sha256",
        0x081B => "ecdsa_brainpoolP384r1tls13_sha384",
        0x081C => "ecdsa_brainpoolP512r1tls13_sha512",
        0x0904 => "mldsa44",
        0x0905 => "mldsa65",
        0x0906 => "mldsa87",
        _ => LegacyPairName(v),
    });

    public static string Name(SignatureScheme s) => Name((ushort)s);

    /// <summary>The hash byte of a TLS 1.2 pair (1..6), or 0 when the value is not such a pair.</summary>
    public static byte LegacyHash(ushort v) => LegacyPairName(v) is null ? (byte)0 : (byte)(v >> 8);

    // TLS 1.2 hash/signature pairs: rsa_pkcs1_<hash>, dsa_<hash>, ecdsa_<hash>.
    private static string? LegacyPairName(ushort v)
    {
        int hash = v >> 8, sig = v & 0xFF;
        if (hash is < 1 or > 6) return null;
        return sig switch
        {
            1 => "rsa_pkcs1_" + s_hashes[hash],
            2 => "dsa_" + s_hashes[hash],
            3 => "ecdsa_" + s_hashes[hash],
            _ => null,
        };
    }
}
