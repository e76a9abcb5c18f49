using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// The TLS 1.0-1.2 suites this engine negotiates, in the server's preference order: forward secrecy and
/// AEAD first (ECDHE, then DHE; GCM and ChaCha20-Poly1305 before CBC), as Schannel's defaults and
/// Mozilla's "intermediate" profile order them; RSA key transport and its CBC suites last, enabled by
/// default on the server (older clients need them) and off with one option. 3DES only in legacy mode.
/// RC4, DES, export, NULL and anonymous suites are named in traces and events and never negotiated.
/// </summary>
internal static class Tls12Suites
{
    /// <summary>Server preference order of every suite we implement outside legacy mode.</summary>
    public static readonly CipherSuite[] ServerOrder =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA256,
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA,
    ];

    /// <summary>
    /// Suites negotiated only at a legacy version (TLS 1.1 and older, each behind its switch), in the server's order
    /// after the others: DHE_DSS (DSA certificates, which TLS 1.2 clients no longer expect) and 3DES (64-bit blocks, Sweet32).
    /// </summary>
    public static readonly CipherSuite[] LegacyOnly =
    [
        CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_DHE_DSS_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA,
        CipherSuite.TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA,
        CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA,
    ];

    /// <summary>What our client offers when no list is configured: forward-secret suites only.</summary>
    public static readonly CipherSuite[] ClientDefault = [.. ServerOrder.Where(s => CipherSuites.Info(s).IsForwardSecret)];

    /// <summary>The legacy-only suites our client adds by default when it offers a legacy version: forward-secret ones only.</summary>
    public static readonly CipherSuite[] LegacyClientDefault = [.. LegacyOnly.Where(s => CipherSuites.Info(s).IsForwardSecret)];

    /// <summary>True for a suite this engine can negotiate in TLS 1.0-1.2 (legacy ones included).</summary>
    public static bool IsImplemented(CipherSuite suite) => ServerOrder.Contains(suite) || LegacyOnly.Contains(suite);

    /// <summary>True for RSA key transport (no forward secrecy).</summary>
    public static bool IsRsaKeyExchange(CipherSuite suite) => CipherSuites.Info(suite).KeyExchange == CipherSuiteKeyExchange.Rsa;

    /// <summary>
    /// The suites enabled: the configured list (in its order, filtered to what we implement) or the default
    /// order (with <paramref name="legacyDefaults"/> after it in legacy mode); without <paramref name="rsaKeyExchange"/>
    /// the RSA key-transport suites are left out, and the legacy-only ones (3DES, DHE_DSS) unless <paramref name="legacy"/>.
    /// </summary>
    public static IReadOnlyList<CipherSuite> Enabled(IReadOnlyList<CipherSuite>? configured, IReadOnlyList<CipherSuite> defaults,
        IReadOnlyList<CipherSuite> legacyDefaults, bool rsaKeyExchange, bool legacy)
    {
        IEnumerable<CipherSuite> list = configured is { } c ? c.Where(IsImplemented) : legacy ? defaults.Concat(legacyDefaults) : defaults;
        return [.. list.Where(s => (rsaKeyExchange || !IsRsaKeyExchange(s)) && (legacy || !LegacyOnly.Contains(s)))];
    }

    /// <summary>True when <paramref name="suite"/> may be used in <paramref name="version"/> (SHA-256/384 and AEAD suites are TLS 1.2 only).</summary>
    public static bool AllowedIn(CipherSuite suite, ProtocolVersion version)
    {
        var info = CipherSuites.Info(suite);
        return info.AllowedIn(version) && SuiteRecordProtection.IsImplemented(info);
    }
}
