using System.Collections.Frozen;
using System.Security.Cryptography;

namespace SharpTls.Wire;

/// <summary>Names and metadata of cipher suites.</summary>
public static class CipherSuites
{
    private static readonly FrozenDictionary<ushort, CipherSuiteInfo> Table = Build();

    /// <summary>Every suite in the registry (including the two signaling values), in value order.</summary>
    internal static IReadOnlyList<CipherSuiteInfo> All { get; } = [.. Table.Values.OrderBy(i => (ushort)i.Suite)];

    /// <summary>True when <paramref name="value"/> is a registered suite or signaling value.</summary>
    public static bool IsKnown(ushort value) => Table.ContainsKey(value);

    /// <summary>
    /// The IANA name of a value, "Reserved (GREASE)" for GREASE (RFC 8701) and "Unknown (0x....)"
    /// for anything else.
    /// </summary>
    public static string Name(ushort value) => Table.TryGetValue(value, out var info) ? info.Name
        : Grease.IsGrease(value) ? "Reserved (GREASE)"
        : $"Unknown (0x{value:x4})";

    /// <summary>The IANA name of a suite (see <see cref="Name(ushort)"/>).</summary>
    public static string Name(CipherSuite suite) => Name((ushort)suite);

    /// <summary>Wireshark's form: "TLS_RSA_WITH_AES_128_CBC_SHA (0x002f)"; unknown values are "Unknown (0x....)".</summary>
    public static string Describe(ushort value)
        => Table.ContainsKey(value) || Grease.IsGrease(value) ? $"{Name(value)} (0x{value:x4})" : Name(value);

    /// <summary>The metadata of a registered suite, or null for unknown and GREASE values.</summary>
    internal static CipherSuiteInfo? Info(ushort value) => Table.GetValueOrDefault(value);

    /// <summary>The metadata of a suite; throws <see cref="ArgumentOutOfRangeException"/> for a value that is not a member.</summary>
    internal static CipherSuiteInfo Info(CipherSuite suite)
        => Info((ushort)suite) ?? throw new ArgumentOutOfRangeException(nameof(suite), $"0x{(ushort)suite:x4} is not a registered cipher suite");

    /// <summary>Looks a suite up by its IANA name ("TLS_AES_128_GCM_SHA256"); the "SSL_" prefix of SSL 3.0 names is accepted for "TLS_".</summary>
    public static bool TryParse(string name, out CipherSuite suite)
        => ByName.TryGetValue(name, out suite)
            || (name.StartsWith("SSL_", StringComparison.Ordinal) && ByName.TryGetValue("TLS_" + name[4..], out suite));

    private static readonly FrozenDictionary<string, CipherSuite> ByName =
        Enum.GetValues<CipherSuite>().ToFrozenDictionary(s => s.ToString(), StringComparer.Ordinal);

    private static FrozenDictionary<ushort, CipherSuiteInfo> Build()
    {
        var d = new Dictionary<ushort, CipherSuiteInfo>();
        foreach (var suite in Enum.GetValues<CipherSuite>())
            d.Add((ushort)suite, Describe(suite));
        return d.ToFrozenDictionary();
    }

    // ---- deriving the metadata from the IANA name ----

    private static readonly HashAlgorithmName Sm3 = new("SM3");
    private static readonly HashAlgorithmName Streebog256 = new("STREEBOG256");

    private static CipherSuiteInfo Describe(CipherSuite suite)
    {
        switch (suite)
        {
            case CipherSuite.TLS_NULL_WITH_NULL_NULL:
                return Make(suite, CipherSuiteKeyExchange.None, Cipher.Null, MacAlgorithm.Null, HashAlgorithmName.SHA256,
                    ProtocolVersion.Ssl3, ProtocolVersion.Tls12);
            case CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV:
                return Make(suite, CipherSuiteKeyExchange.None, Cipher.Null, MacAlgorithm.Null, HashAlgorithmName.SHA256,
                    ProtocolVersion.Ssl3, ProtocolVersion.Tls12) with { IsSignaling = true };
            case CipherSuite.TLS_FALLBACK_SCSV: // RFC 7507: sent by clients of any version, including TLS 1.3 ones
                return Make(suite, CipherSuiteKeyExchange.None, Cipher.Null, MacAlgorithm.Null, HashAlgorithmName.SHA256,
                    ProtocolVersion.Ssl3, ProtocolVersion.Tls13) with { IsSignaling = true };

            // TLS 1.3 (RFC 8446 B.4, RFC 8998, RFC 9150, RFC 9367, AEGIS draft)
            case CipherSuite.TLS_AES_128_GCM_SHA256: return Tls13(suite, new(BulkCipher.Aes, BulkCipherMode.Gcm, 128), HashAlgorithmName.SHA256);
            case CipherSuite.TLS_AES_256_GCM_SHA384: return Tls13(suite, new(BulkCipher.Aes, BulkCipherMode.Gcm, 256), HashAlgorithmName.SHA384);
            case CipherSuite.TLS_CHACHA20_POLY1305_SHA256: return Tls13(suite, new(BulkCipher.ChaCha20, BulkCipherMode.ChaCha20Poly1305, 256), HashAlgorithmName.SHA256);
            case CipherSuite.TLS_AES_128_CCM_SHA256: return Tls13(suite, new(BulkCipher.Aes, BulkCipherMode.Ccm, 128), HashAlgorithmName.SHA256);
            case CipherSuite.TLS_AES_128_CCM_8_SHA256: return Tls13(suite, new(BulkCipher.Aes, BulkCipherMode.Ccm8, 128), HashAlgorithmName.SHA256);
            case CipherSuite.TLS_AEGIS_256_SHA384: return Tls13(suite, new(BulkCipher.Aegis256, BulkCipherMode.Aegis, 256), HashAlgorithmName.SHA384);
            case CipherSuite.TLS_AEGIS_128L_SHA256: return Tls13(suite, new(BulkCipher.Aegis128L, BulkCipherMode.Aegis, 128), HashAlgorithmName.SHA256);
            case CipherSuite.TLS_SM4_GCM_SM3: return Tls13(suite, new(BulkCipher.Sm4, BulkCipherMode.Gcm, 128), Sm3);
            case CipherSuite.TLS_SM4_CCM_SM3: return Tls13(suite, new(BulkCipher.Sm4, BulkCipherMode.Ccm, 128), Sm3);
            case CipherSuite.TLS_SHA256_SHA256:
                return Make(suite, CipherSuiteKeyExchange.Any, Cipher.Null, MacAlgorithm.Sha256, HashAlgorithmName.SHA256,
                    ProtocolVersion.Tls13, ProtocolVersion.Tls13);
            case CipherSuite.TLS_SHA384_SHA384:
                return Make(suite, CipherSuiteKeyExchange.Any, Cipher.Null, MacAlgorithm.Sha384, HashAlgorithmName.SHA384,
                    ProtocolVersion.Tls13, ProtocolVersion.Tls13);
            case CipherSuite.TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_L:
            case CipherSuite.TLS_GOSTR341112_256_WITH_KUZNYECHIK_MGM_S:
                return Tls13(suite, new(BulkCipher.Kuznyechik, BulkCipherMode.Mgm, 256), Streebog256);
            case CipherSuite.TLS_GOSTR341112_256_WITH_MAGMA_MGM_L:
            case CipherSuite.TLS_GOSTR341112_256_WITH_MAGMA_MGM_S:
                return Tls13(suite, new(BulkCipher.Magma, BulkCipherMode.Mgm, 256), Streebog256);

            // GOST for TLS 1.2 (RFC 9189)
            case CipherSuite.TLS_GOSTR341112_256_WITH_KUZNYECHIK_CTR_OMAC:
                return Make(suite, CipherSuiteKeyExchange.Gost, new(BulkCipher.Kuznyechik, BulkCipherMode.CtrOmac, 256), MacAlgorithm.Gost, Streebog256,
                    ProtocolVersion.Tls12, ProtocolVersion.Tls12);
            case CipherSuite.TLS_GOSTR341112_256_WITH_MAGMA_CTR_OMAC:
                return Make(suite, CipherSuiteKeyExchange.Gost, new(BulkCipher.Magma, BulkCipherMode.CtrOmac, 256), MacAlgorithm.Gost, Streebog256,
                    ProtocolVersion.Tls12, ProtocolVersion.Tls12);
            case CipherSuite.TLS_GOSTR341112_256_WITH_28147_CNT_IMIT:
                return Make(suite, CipherSuiteKeyExchange.Gost, new(BulkCipher.Gost28147, BulkCipherMode.CntImit, 256), MacAlgorithm.Gost, Streebog256,
                    ProtocolVersion.Tls12, ProtocolVersion.Tls12);
        }

        return FromName(suite);
    }

    /// <summary>The bulk cipher part of a suite.</summary>
    private readonly record struct Cipher(BulkCipher Algorithm, BulkCipherMode Mode, int Bits)
    {
        public static readonly Cipher Null = new(BulkCipher.Null, BulkCipherMode.None, 0);
    }

    // TLS_<key exchange>[_EXPORT|_EXPORT1024]_WITH_<cipher>[_<mac>]
    private static CipherSuiteInfo FromName(CipherSuite suite)
    {
        string name = suite.ToString();
        int with = name.IndexOf("_WITH_", StringComparison.Ordinal);
        if (with < 0)
            throw new InvalidOperationException($"cipher suite {name} has no _WITH_ and no explicit description");
        string kxPart = name[4..with];
        string rest = name[(with + 6)..];

        bool export = false;
        foreach (var suffix in (ReadOnlySpan<string>)["_EXPORT1024", "_EXPORT"])
        {
            if (kxPart.EndsWith(suffix, StringComparison.Ordinal))
            {
                export = true;
                kxPart = kxPart[..^suffix.Length];
                break;
            }
        }

        var kx = kxPart switch
        {
            "RSA" or "RSA_FIPS" => CipherSuiteKeyExchange.Rsa,
            "DH_DSS" => CipherSuiteKeyExchange.DhDss,
            "DH_RSA" => CipherSuiteKeyExchange.DhRsa,
            "DHE_DSS" => CipherSuiteKeyExchange.DheDss,
            "DHE_RSA" => CipherSuiteKeyExchange.DheRsa,
            "DH_anon" => CipherSuiteKeyExchange.DhAnon,
            "ECDH_ECDSA" => CipherSuiteKeyExchange.EcdhEcdsa,
            "ECDH_RSA" => CipherSuiteKeyExchange.EcdhRsa,
            "ECDHE_ECDSA" => CipherSuiteKeyExchange.EcdheEcdsa,
            "ECDHE_RSA" => CipherSuiteKeyExchange.EcdheRsa,
            "ECDH_anon" => CipherSuiteKeyExchange.EcdhAnon,
            "PSK" => CipherSuiteKeyExchange.Psk,
            "DHE_PSK" or "PSK_DHE" => CipherSuiteKeyExchange.DhePsk, // 0xC0AA/AB are registered as PSK_DHE
            "RSA_PSK" => CipherSuiteKeyExchange.RsaPsk,
            "ECDHE_PSK" => CipherSuiteKeyExchange.EcdhePsk,
            "KRB5" => CipherSuiteKeyExchange.Krb5,
            "SRP_SHA" => CipherSuiteKeyExchange.Srp,
            "SRP_SHA_RSA" => CipherSuiteKeyExchange.SrpRsa,
            "SRP_SHA_DSS" => CipherSuiteKeyExchange.SrpDss,
            "ECCPWD" => CipherSuiteKeyExchange.EccPwd,
            "FORTEZZA_KEA" => CipherSuiteKeyExchange.FortezzaKea,
            _ => throw new InvalidOperationException($"cipher suite {name}: unknown key exchange {kxPart}"),
        };

        // The MAC is the last word unless the mode is an AEAD, whose trailing hash (if any) names the PRF.
        MacAlgorithm mac = MacAlgorithm.Aead;
        HashAlgorithmName? prf = null;
        string cipherPart = rest;
        int lastUnderscore = rest.LastIndexOf('_');
        string last = lastUnderscore < 0 ? rest : rest[(lastUnderscore + 1)..];
        switch (last)
        {
            case "MD5": mac = MacAlgorithm.Md5; break;
            case "SHA": mac = MacAlgorithm.Sha1; break;
            case "SHA256": mac = MacAlgorithm.Sha256; prf = HashAlgorithmName.SHA256; break;
            case "SHA384": mac = MacAlgorithm.Sha384; prf = HashAlgorithmName.SHA384; break;
        }
        if (mac != MacAlgorithm.Aead)
        {
            cipherPart = rest[..lastUnderscore];
            // AES_128_GCM_SHA256: the hash of an AEAD suite names its PRF, not a MAC.
            if (cipherPart.EndsWith("_GCM", StringComparison.Ordinal) || cipherPart.EndsWith("_CCM", StringComparison.Ordinal)
                || cipherPart.EndsWith("_CCM_8", StringComparison.Ordinal) || cipherPart.EndsWith("_POLY1305", StringComparison.Ordinal))
                mac = MacAlgorithm.Aead;
        }

        var cipher = cipherPart switch
        {
            "NULL" => Cipher.Null,
            "RC4_128" => new Cipher(BulkCipher.Rc4, BulkCipherMode.Stream, 128),
            "RC4_56" => new Cipher(BulkCipher.Rc4, BulkCipherMode.Stream, 56),
            "RC4_40" => new Cipher(BulkCipher.Rc4, BulkCipherMode.Stream, 40),
            "RC2_CBC_40" => new Cipher(BulkCipher.Rc2, BulkCipherMode.Cbc, 40),
            "RC2_CBC_56" => new Cipher(BulkCipher.Rc2, BulkCipherMode.Cbc, 56),
            "DES40_CBC" or "DES_CBC_40" => new Cipher(BulkCipher.Des, BulkCipherMode.Cbc, 40),
            "DES_CBC" => new Cipher(BulkCipher.Des, BulkCipherMode.Cbc, 56),
            "3DES_EDE_CBC" => new Cipher(BulkCipher.TripleDes, BulkCipherMode.Cbc, 168),
            "IDEA_CBC" => new Cipher(BulkCipher.Idea, BulkCipherMode.Cbc, 128),
            "SEED_CBC" => new Cipher(BulkCipher.Seed, BulkCipherMode.Cbc, 128),
            "FORTEZZA_CBC" => new Cipher(BulkCipher.Fortezza, BulkCipherMode.Cbc, 80),
            "CHACHA20_POLY1305" => new Cipher(BulkCipher.ChaCha20, BulkCipherMode.ChaCha20Poly1305, 256),
            _ => SizedBlockCipher(name, cipherPart),
        };
        if (mac == MacAlgorithm.Aead && cipher.Mode is BulkCipherMode.Cbc or BulkCipherMode.Stream or BulkCipherMode.None)
            throw new InvalidOperationException($"cipher suite {name}: no MAC for a non-AEAD cipher");

        // Versions. SHA-2 MACs and AEADs need TLS 1.2 (RFC 5246, 5288, 5289). Export suites end at
        // TLS 1.0 (RFC 4346 A.5). Suites of the original key exchanges with MD5/SHA-1 MACs work in
        // SSL 3.0 (OpenSSL and NSS also accept the AES/Camellia/SEED ones there); those needing
        // extensions or later specs (EC, PSK, SRP, Kerberos) start at TLS 1.0.
        bool needs12 = mac is MacAlgorithm.Sha256 or MacAlgorithm.Sha384 or MacAlgorithm.Aead;
        bool ssl3 = kx is CipherSuiteKeyExchange.Rsa or CipherSuiteKeyExchange.DhDss or CipherSuiteKeyExchange.DhRsa
            or CipherSuiteKeyExchange.DheDss or CipherSuiteKeyExchange.DheRsa or CipherSuiteKeyExchange.DhAnon
            or CipherSuiteKeyExchange.FortezzaKea;
        var min = needs12 ? ProtocolVersion.Tls12 : ssl3 ? ProtocolVersion.Ssl3 : ProtocolVersion.Tls10;
        var max = export ? ProtocolVersion.Tls10
            : kx == CipherSuiteKeyExchange.EccPwd ? ProtocolVersion.Tls13 // RFC 8492 §4: TLS 1.2 and 1.3
            : ProtocolVersion.Tls12;

        return Make(suite, kx, cipher, mac, prf ?? HashAlgorithmName.SHA256, min, max) with { IsExport = export };
    }

    // AES_128_CBC, CAMELLIA_256_GCM, ARIA_128_GCM, AES_128_CCM, AES_256_CCM_8
    private static Cipher SizedBlockCipher(string name, string part)
    {
        var words = part.Split('_');
        if (words.Length < 3 || !int.TryParse(words[1], out int bits))
            throw new InvalidOperationException($"cipher suite {name}: cannot read cipher {part}");
        var algorithm = words[0] switch
        {
            "AES" => BulkCipher.Aes,
            "CAMELLIA" => BulkCipher.Camellia,
            "ARIA" => BulkCipher.Aria,
            _ => throw new InvalidOperationException($"cipher suite {name}: unknown cipher {words[0]}"),
        };
        var mode = string.Join('_', words[2..]) switch
        {
            "CBC" => BulkCipherMode.Cbc,
            "GCM" => BulkCipherMode.Gcm,
            "CCM" => BulkCipherMode.Ccm,
            "CCM_8" => BulkCipherMode.Ccm8,
            _ => throw new InvalidOperationException($"cipher suite {name}: unknown mode in {part}"),
        };
        return new Cipher(algorithm, mode, bits);
    }

    private static CipherSuiteInfo Tls13(CipherSuite suite, Cipher cipher, HashAlgorithmName hash)
        => Make(suite, CipherSuiteKeyExchange.Any, cipher, MacAlgorithm.Aead, hash, ProtocolVersion.Tls13, ProtocolVersion.Tls13);

    private static CipherSuiteInfo Make(CipherSuite suite, CipherSuiteKeyExchange kx, Cipher cipher, MacAlgorithm mac,
        HashAlgorithmName prf, ProtocolVersion min, ProtocolVersion max)
    {
        int block = cipher.Mode == BulkCipherMode.Cbc
            ? cipher.Algorithm is BulkCipher.Aes or BulkCipher.Camellia or BulkCipher.Aria or BulkCipher.Seed ? 16 : 8
            : 0;
        int keyBytes = cipher.Algorithm switch
        {
            BulkCipher.Null => 0,
            BulkCipher.TripleDes => 24,
            BulkCipher.Des when cipher.Bits == 56 => 8,
            BulkCipher.Fortezza => 10,
            _ => cipher.Bits / 8, // export: 5 (40-bit) or 7 (56-bit) bytes of key material, expanded by the PRF
        };
        bool tls13 = min == ProtocolVersion.Tls13;
        int fixedIv = cipher.Mode switch
        {
            BulkCipherMode.Cbc => block,
            BulkCipherMode.Gcm or BulkCipherMode.Ccm or BulkCipherMode.Ccm8 => tls13 ? 12 : 4,
            BulkCipherMode.ChaCha20Poly1305 => 12,
            _ => 0, // GOST and AEGIS: not implemented here, left at 0
        };
        int explicitNonce = !tls13 && cipher.Mode is BulkCipherMode.Gcm or BulkCipherMode.Ccm or BulkCipherMode.Ccm8 ? 8 : 0;
        int macBytes = mac switch
        {
            MacAlgorithm.Md5 => 16,
            MacAlgorithm.Sha1 => 20,
            MacAlgorithm.Sha256 => 32,
            MacAlgorithm.Sha384 => 48,
            _ => 0,
        };
        int tagBytes = mac != MacAlgorithm.Aead ? 0
            : cipher.Mode == BulkCipherMode.Ccm8 ? 8
            : cipher.Mode == BulkCipherMode.Aegis && cipher.Algorithm == BulkCipher.Aegis128L ? 16
            : cipher.Mode == BulkCipherMode.Mgm && suite is CipherSuite.TLS_GOSTR341112_256_WITH_MAGMA_MGM_L or CipherSuite.TLS_GOSTR341112_256_WITH_MAGMA_MGM_S ? 8
            : 16;
        return new CipherSuiteInfo
        {
            Suite = suite,
            KeyExchange = kx,
            Cipher = cipher.Algorithm,
            Mode = cipher.Mode,
            KeyBits = cipher.Bits,
            KeyBytes = keyBytes,
            BlockBytes = block,
            FixedIvBytes = fixedIv,
            ExplicitNonceBytes = explicitNonce,
            Mac = mac,
            MacBytes = macBytes,
            TagBytes = tagBytes,
            PrfHash = prf,
            MinVersion = min,
            MaxVersion = max,
        };
    }
}
