namespace SharpTls.Wire;

/// <summary>
/// Named groups for (EC)DHE and KEMs (IANA "TLS Supported Groups"; RFC 8422, 7919, 8446,
/// draft-ietf-tls-ecdhe-mlkem). Older documents call the elliptic-curve ones "NamedCurve".
/// </summary>
public enum NamedGroup : ushort
{
    Sect163k1 = 1, Sect163r1 = 2, Sect163r2 = 3, Sect193r1 = 4, Sect193r2 = 5, Sect233k1 = 6,
    Sect233r1 = 7, Sect239k1 = 8, Sect283k1 = 9, Sect283r1 = 10, Sect409k1 = 11, Sect409r1 = 12,
    Sect571k1 = 13, Sect571r1 = 14, Secp160k1 = 15, Secp160r1 = 16, Secp160r2 = 17, Secp192k1 = 18,
    Secp192r1 = 19, Secp224k1 = 20, Secp224r1 = 21, Secp256k1 = 22,
    Secp256r1 = 23,
    Secp384r1 = 24,
    Secp521r1 = 25,
    BrainpoolP256r1 = 26,
    BrainpoolP384r1 = 27,
    BrainpoolP512r1 = 28,
    X25519 = 29,
    X448 = 30,
    BrainpoolP256r1Tls13 = 31,
    BrainpoolP384r1Tls13 = 32,
    BrainpoolP512r1Tls13 = 33,
    CurveSm2 = 41,
    Ffdhe2048 = 256,
    Ffdhe3072 = 257,
    Ffdhe4096 = 258,
    Ffdhe6144 = 259,
    Ffdhe8192 = 260,
    MlKem512 = 0x0200,
    MlKem768 = 0x0201,
    MlKem1024 = 0x0202,
    SecP256r1MlKem768 = 0x11EB,
    X25519MlKem768 = 0x11EC,
    SecP384r1MlKem1024 = 0x11ED,
    X25519Kyber768Draft00 = 0x6399,
    ArbitraryExplicitPrimeCurves = 0xFF01,
    ArbitraryExplicitChar2Curves = 0xFF02,
}

/// <summary>Names of named groups.</summary>
public static class NamedGroups
{
    private static readonly string[] s_small =
    [
        "", "sect163k1", "sect163r1", "sect163r2", "sect193r1", "sect193r2", "sect233k1", "sect233r1",
        "sect239k1", "sect283k1", "sect283r1", "sect409k1", "sect409r1", "sect571k1", "sect571r1",
        "secp160k1", "secp160r1", "secp160r2", "secp192k1", "secp192r1", "secp224k1", "secp224r1",
        "secp256k1", "secp256r1", "secp384r1", "secp521r1", "brainpoolP256r1", "brainpoolP384r1",
        "brainpoolP512r1", "x25519", "x448", "brainpoolP256r1tls13", "brainpoolP384r1tls13",
        "brainpoolP512r1tls13",
    ];

    /// <summary>The IANA name ("x25519", "secp256r1", "X25519MLKEM768"), GREASE or Unknown.</summary>
    public static string Name(ushort v) => RegistryNames.Of(v, v switch
    {
        >= 1 and <= 33 => s_small[v],
        41 => "curveSM2",
        256 => "ffdhe2048",
        257 => "ffdhe3072",
        258 => "ffdhe4096",
        259 => "ffdhe6144",
        260 => "ffdhe8192",
        0x0200 => "MLKEM512",
        0x0201 => "MLKEM768",
        0x0202 => "MLKEM1024",
        0x11EB => "SecP256r1MLKEM768",
        0x11EC => "X25519MLKEM768",
        0x11ED => "SecP384r1MLKEM1024",
        0x6399 => "X25519Kyber768Draft00",
        0xFF01 => "arbitrary_explicit_prime_curves",
        0xFF02 => "arbitrary_explicit_char2_curves",
        _ => null,
    });

    public static string Name(NamedGroup g) => Name((ushort)g);

    /// <summary>True for the finite-field Diffie-Hellman groups of RFC 7919 (0x0100..0x01FF).</summary>
    public static bool IsFfdhe(NamedGroup g) => ((ushort)g >> 8) == 1;
}
