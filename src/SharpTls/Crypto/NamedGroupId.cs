namespace SharpTls.Crypto;

/// <summary>
/// Key exchange groups (IANA "TLS Supported Groups" registry), the subset the crypto provider
/// knows. Provisional: the lead folds this into <c>Wire/NamedGroup.cs</c>; the type name is unique
/// so the fold is a rename.
/// </summary>
public enum NamedGroupId : ushort
{
    /// <summary>secp256r1 (NIST P-256), RFC 8422.</summary>
    Secp256r1 = 0x0017,
    /// <summary>secp384r1 (NIST P-384), RFC 8422.</summary>
    Secp384r1 = 0x0018,
    /// <summary>secp521r1 (NIST P-521), RFC 8422.</summary>
    Secp521r1 = 0x0019,
    /// <summary>x25519, RFC 8422 / RFC 7748.</summary>
    X25519 = 0x001D,
    /// <summary>x448, RFC 8422 / RFC 7748.</summary>
    X448 = 0x001E,
    /// <summary>ffdhe2048, RFC 7919.</summary>
    Ffdhe2048 = 0x0100,
    /// <summary>ffdhe3072, RFC 7919.</summary>
    Ffdhe3072 = 0x0101,
    /// <summary>ffdhe4096, RFC 7919.</summary>
    Ffdhe4096 = 0x0102,
    /// <summary>X25519MLKEM768, draft-ietf-tls-ecdhe-mlkem.</summary>
    X25519MlKem768 = 0x11EC,
}
