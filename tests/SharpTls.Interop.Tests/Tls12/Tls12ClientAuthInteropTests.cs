using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>TLS 1.2 client certificates against openssl: our server asks (CertificateRequest) and verifies; our client answers openssl s_server -Verify.</summary>
public class Tls12ClientAuthInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Theory]
    [InlineData(ClientCertificateMode.Required, "ECDHE-RSA-AES128-GCM-SHA256", false)]
    [InlineData(ClientCertificateMode.Optional, "AES128-SHA", true)]
    public async Task OurServer_OpenSslClient_SendsCertificate(ClientCertificateMode mode, string cipher, bool rsaClient)
    {
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        SharpTlsServer.ClientCertificates(mode)(options);
        options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        await using var server = SharpTlsServer.Start(options);
        var client = rsaClient ? Pki.ClientRsa : Pki.ClientEcdsa;
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, Cipher = cipher, ClientCertificate = client }, "mutual12", "mutual12");
        Assert.True(c.HandshakeCompleted, c.ToString());
        Assert.Equal(ProtocolVersion.Tls12, c.Version);
        Assert.Contains("Acceptable client certificate CA names\nO = SharpTls Tests, CN = SharpTls Test Root CA\n", c.Output);
        Assert.Matches(@">>> [^\n]*CertificateVerify", c.Output);
        var s = await server.WaitForHandshakeAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Equal(client.Certificate.Thumbprint, s.Info.PeerCertificates[0].Thumbprint);
        Assert.StartsWith("OK", s.Info.CertificateVerification);
    }

    [Fact]
    public async Task OurServer_OpenSslClient_RequiredButNone_HandshakeFailure()
    {
        var options = SharpTlsServer.DefaultOptions();
        SharpTlsServer.ClientCertificates(ClientCertificateMode.Required)(options);
        options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        await using var server = SharpTlsServer.Start(options);
        var c = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12 });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Equal(AlertDescription.HandshakeFailure, c.Alert);
        var s = await server.WaitForEndAsync();
        Assert.Equal("Server.Tls12.ExpectCertificate", s.Failure?.InternalState);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task OurClient_OpenSslServerRequiresOne(bool rsaClient)
    {
        await using var server = await OpenSslServer.StartAsync(new() { Version = ProtocolVersion.Tls12, ClientCertificate = PeerClientAuth.Require, Trace = true });
        var client = rsaClient ? Pki.ClientRsa : Pki.ClientEcdsa;
        await using var ours = await SharpTlsClient.ConnectAsync(server.Port, SharpTlsClient.Options(o =>
        {
            o.Versions = TlsVersions.Tls12;
            o.ClientCertificate = Certs.Of(client);
        }));
        Assert.True(ours.HandshakeCompleted, ours.ToString());
        await ours.SendLineAsync("cert12");
        await server.WaitForReceivedAsync("cert12");
        var s = await server.WaitForConnectionAsync();
        Assert.True(s.HandshakeCompleted, s.ToString());
        Assert.Matches(@"<<< [^\n]*CertificateVerify", s.Output);
        Assert.Equal(client.Certificate.Thumbprint, ours.Info.LocalCertificate!.Thumbprint);
    }
}
