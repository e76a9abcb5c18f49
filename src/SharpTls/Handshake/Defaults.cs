using SharpTls.Wire;

namespace SharpTls.Handshake;

/// <summary>The built-in preference orders used when options leave a list null.</summary>
internal static class Defaults
{
    /// <summary>TLS 1.3 suites, AES-GCM first (hardware AES), ChaCha20 for the rest; CCM after; CCM_8 only on request.</summary>
    public static readonly CipherSuite[] Tls13Suites =
    [
        CipherSuite.TLS_AES_128_GCM_SHA256,
        CipherSuite.TLS_AES_256_GCM_SHA384,
        CipherSuite.TLS_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_AES_128_CCM_SHA256,
    ];

    /// <summary>
    /// Key-exchange groups: X25519 preferred, then the hybrid post-quantum group, then NIST curves, X448, the other two
    /// hybrids and last the RFC 7919 finite-field groups (slow, and large shares; OpenSSL lists them last too).
    /// </summary>
    public static readonly NamedGroup[] Groups =
    [
        NamedGroup.X25519,
        NamedGroup.X25519MlKem768,
        NamedGroup.Secp256r1,
        NamedGroup.Secp384r1,
        NamedGroup.Secp521r1,
        NamedGroup.X448,
        NamedGroup.SecP256r1MlKem768,
        NamedGroup.SecP384r1MlKem1024,
        NamedGroup.Ffdhe2048,
        NamedGroup.Ffdhe3072,
        NamedGroup.Ffdhe4096,
        NamedGroup.Ffdhe6144,
        NamedGroup.Ffdhe8192,
    ];

    /// <summary>The post-quantum hybrids: a share the client already sent for one of them wins under the default order.</summary>
    public static readonly NamedGroup[] PostQuantumHybrids = [NamedGroup.X25519MlKem768, NamedGroup.SecP256r1MlKem768, NamedGroup.SecP384r1MlKem1024];

    /// <summary>The groups a client sends key shares for up front, as Chromium and Go do: the post-quantum hybrid for servers
    /// that have it, X25519 for the rest (one round trip for nearly every server).</summary>
    public static readonly NamedGroup[] ClientKeyShares = [NamedGroup.X25519MlKem768, NamedGroup.X25519];

    /// <summary>Signature schemes for TLS 1.3 handshake signatures, in preference order.</summary>
    public static readonly SignatureScheme[] Tls13Signatures =
    [
        SignatureScheme.EcdsaSecp256r1Sha256,
        SignatureScheme.Ed25519,
        SignatureScheme.EcdsaSecp384r1Sha384,
        SignatureScheme.RsaPssRsaeSha256,
        SignatureScheme.RsaPssPssSha256,
        SignatureScheme.EcdsaSecp521r1Sha512,
        SignatureScheme.RsaPssRsaeSha384,
        SignatureScheme.RsaPssPssSha384,
        SignatureScheme.RsaPssRsaeSha512,
        SignatureScheme.RsaPssPssSha512,
    ];

    /// <summary>Schemes accepted in certificates only (signature_algorithms_cert): the above plus PKCS#1.</summary>
    public static readonly SignatureScheme[] CertificateSignatures =
    [
        .. Tls13Signatures,
        SignatureScheme.RsaPkcs1Sha256,
        SignatureScheme.RsaPkcs1Sha384,
        SignatureScheme.RsaPkcs1Sha512,
    ];

    public static IReadOnlyList<CipherSuite> Suites13(INegotiationSettings o)
    {
        // CCM_8 only when enabled, whether or not the list names it (its 8-byte tag is for constrained devices).
        var list = o.ConfiguredSuites?.Where(s => CipherSuites.Info(s).IsTls13 && (o.EnableCcm8 || s != CipherSuite.TLS_AES_128_CCM_8_SHA256)).ToList()
            ?? [.. Tls13Suites];
        if (o.EnableCcm8 && o.ConfiguredSuites is null) list.Add(CipherSuite.TLS_AES_128_CCM_8_SHA256);
        return list;
    }

    public static IReadOnlyList<NamedGroup> GroupsOf(INegotiationSettings o) => o.ConfiguredGroups is { } g ? [.. g] : Groups;

    public static IReadOnlyList<SignatureScheme> SignaturesOf(INegotiationSettings o) => o.ConfiguredSchemes is { } s ? [.. s] : Tls13Signatures;
}

/// <summary>The negotiation settings both a client's options and a server's policy have.</summary>
internal interface INegotiationSettings
{
    /// <summary>Enabled versions.</summary>
    TlsVersions Versions { get; }

    /// <summary>The configured suites, or null for the defaults.</summary>
    IEnumerable<CipherSuite>? ConfiguredSuites { get; }

    /// <summary>The configured groups, or null for the defaults.</summary>
    IEnumerable<NamedGroup>? ConfiguredGroups { get; }

    /// <summary>The configured signature schemes, or null for the defaults.</summary>
    IEnumerable<SignatureScheme>? ConfiguredSchemes { get; }

    /// <summary>TLS_AES_128_CCM_8_SHA256 enabled.</summary>
    bool EnableCcm8 { get; }

    /// <summary>TLS 1.3 certificate compression (RFC 8879) offered and used.</summary>
    bool CertificateCompression { get; }

    /// <summary>TLS 1.2 extended master secret.</summary>
    bool ExtendedMasterSecret { get; }

    /// <summary>TLS 1.3 record padding block.</summary>
    int RecordPaddingBlock { get; }
}
