using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>The TLS 1.2 suite families the peer matrices (Java, SslStream) run, and our server for each.</summary>
internal static class Tls12Families
{
    /// <summary>ECDHE-ECDSA and ECDHE-RSA with GCM and CBC, DHE-RSA with GCM and CBC, RSA key transport with GCM and CBC.</summary>
    public static readonly CipherSuite[] All =
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_DHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
    ];

    public static TheoryData<CipherSuite> Data(Func<CipherSuite, bool>? where = null) => [.. All.Where(where ?? (_ => true))];

    /// <summary>The ECDSA leaf for ECDHE-ECDSA, the RSA leaf otherwise.</summary>
    public static TestCertificate CertificateFor(CipherSuite suite)
        => CipherSuites.Info(suite).KeyExchange == CipherSuiteKeyExchange.EcdheEcdsa ? TestPki.Shared.ServerEcdsa : TestPki.Shared.ServerRsa;

    /// <summary>Our server with the certificate the suite needs, TLS 1.2 and 1.3 (the library default).</summary>
    public static SharpTlsServer OurServer(CipherSuite suite, Action<TlsServerOptions>? configure = null) => OurServer(CertificateFor(suite), configure);

    /// <summary>Our server with <paramref name="certificate"/>, TLS 1.2 and 1.3.</summary>
    public static SharpTlsServer OurServer(TestCertificate certificate, Action<TlsServerOptions>? configure = null)
    {
        var options = SharpTlsServer.DefaultOptions(certificate);
        options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        configure?.Invoke(options);
        return SharpTlsServer.Start(options);
    }
}
