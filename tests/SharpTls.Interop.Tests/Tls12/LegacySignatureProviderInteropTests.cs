using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// Legacy handshake signatures made by the application's crypto provider (<see cref="ICryptoProvider.SignLegacyHandshakeDigest"/>,
/// the seam an HSM-backed provider overrides), checked by real peers: openssl s_client verifies our TLS 1.0
/// ServerKeyExchange signed that way (MD5+SHA-1 RSA, SHA-1 ECDSA, SHA-1 DSA) and rejects a spoiled one; openssl s_server
/// verifies our client's TLS 1.0 CertificateVerify; NSS tstclnt verifies our SSL 3.0 ServerKeyExchange.
/// </summary>
public class LegacySignatureProviderInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    /// <summary>The default provider, recording the legacy signatures it makes, and spoiling them on request.</summary>
    private sealed class RecordingProvider(bool spoil = false) : ICryptoProvider
    {
        private static readonly ICryptoProvider Inner = CryptoProviders.Default;
        public ConcurrentQueue<string> LegacySignatures { get; } = new();
        public void Fill(Span<byte> destination) => Inner.Fill(destination);
        public bool SupportsGroup(NamedGroup group) => Inner.SupportsGroup(group);
        public IKeyShare GenerateKeyShare(NamedGroup group) => Inner.GenerateKeyShare(group);
        public KeyShareResponse RespondKeyShare(NamedGroup group, ReadOnlySpan<byte> peerShare) => Inner.RespondKeyShare(group, peerShare);

        public byte[] SignLegacyHandshakeDigest(X509Certificate2 certificate, ReadOnlySpan<byte> md5Sha1)
        {
            byte[] signature = Inner.SignLegacyHandshakeDigest(certificate, md5Sha1);
            if (spoil) signature[^1] ^= 1;
            LegacySignatures.Enqueue(certificate.Thumbprint);
            return signature;
        }
    }

    private static SharpTlsServer Start(TlsVersions versions, ICryptoProvider provider, ServeMode mode = ServeMode.Echo)
    {
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        options.Certificates = [.. new[] { Pki.ServerRsa, Pki.ServerEcdsa, Pki.ServerDsa }.Select(c => new ServerCertificate(c.Certificate, c.Chain))];
        options.Versions = versions;
        options.Crypto = provider;
        return SharpTlsServer.Start(options, mode);
    }

    [Theory]
    [InlineData("ECDHE-RSA-AES128-SHA", "server-rsa")]
    [InlineData("ECDHE-ECDSA-AES128-SHA", "server-ecdsa")]
    [InlineData("DHE-DSS-AES128-SHA", "server-dsa")]
    public async Task OurServer_OpenSslClient_Tls10_VerifiesTheProvidersServerKeyExchangeSignature(string cipher, string certificate)
    {
        var provider = new RecordingProvider();
        await using var server = Start(TlsVersions.Tls10, provider);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls10, Cipher = cipher, SecurityLevel0 = true }, "hsm", "hsm");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(ProtocolVersion.Tls10, c.Version);
        var s = await server.WaitForEndAsync();
        Assert.Null(s.Failure);
        var expected = certificate == "server-dsa" ? Pki.ServerDsa : Pki[certificate];
        Assert.Equal(new[] { expected.Thumbprint }, provider.LegacySignatures.ToArray());
    }

    [Fact]
    public async Task OurServer_OpenSslClient_Tls10_RejectsASpoiledProviderSignature()
    {
        await using var server = Start(TlsVersions.Tls10, new RecordingProvider(spoil: true));
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls10, Cipher = "ECDHE-RSA-AES128-SHA", SecurityLevel0 = true });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Contains("bad signature", c.Output, StringComparison.OrdinalIgnoreCase);
        var s = await server.WaitForEndAsync();
        Assert.Equal((AlertDescription.DecryptError, false), (s.Failure!.Alert, s.Failure.Generated));
    }

    [Theory]
    [InlineData("client-rsa")]
    [InlineData("client-ecdsa")]
    public async Task OurClient_OpenSslServer_Tls10_VerifiesTheProvidersCertificateVerify(string certificate)
    {
        // RSA key transport: the server signs nothing, so the one legacy signature is our client's CertificateVerify.
        await using var server = await OpenSslServer.StartAsync(new()
        {
            Version = ProtocolVersion.Tls10, Certificate = Pki.ServerRsa, Cipher = "AES128-SHA", SecurityLevel0 = true, ClientCertificate = PeerClientAuth.Require,
        });
        var provider = new RecordingProvider();
        var cert = Pki[certificate];
        await using var client = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Versions = TlsVersions.Tls10;
            o.CipherSuites = [CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA];
            o.ClientCertificate = new ServerCertificate(cert.Certificate, cert.Chain);
            o.Crypto = provider;
        }));
        Assert.True(client.HandshakeCompleted, client.ToString());
        await client.SendLineAsync("signed-by-the-provider");
        await server.WaitForReceivedAsync("signed-by-the-provider");
        Assert.Equal(new[] { cert.Thumbprint }, provider.LegacySignatures.ToArray());
    }

    [Fact]
    public async Task OurServer_Tstclnt_Ssl3_VerifiesTheProvidersServerKeyExchangeSignature()
    {
        var provider = new RecordingProvider();
        await using var server = Start(TlsVersions.Ssl3, provider, ServeMode.Http);
        var nss = await NssDb.CreateAsync();
        string output = await nss.ConnectAsync(server.Port, "ssl3:ssl3", $":{(ushort)CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA:x4}");
        Assert.Contains($"SharpTls SSL 3.0 {CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA} ", output);
        var s = await server.WaitForHandshakeAsync();
        Assert.Null(s.Failure);
        Assert.Equal(new[] { Pki.ServerRsa.Thumbprint }, provider.LegacySignatures.ToArray());
    }
}
