using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.IO;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Signatures;

/// <summary>Ed25519 certificates (key loaded from PKCS#8 PEM beside the X509Certificate2) both ways with OpenSSL.</summary>
public class Ed25519InteropTests
{
    [Fact]
    public async Task OurServer_SignsWithEd25519_ForOpenSslClient()
    {
        var pki = TestPki.Shared;
        var certificate = ServerCertificate.FromPem(pki.ServerEd25519.FullChainPath, pki.ServerEd25519.KeyPath);
        await using var server = LoopbackServer.Start(async (tcp, report, token) =>
        {
            await using var tls = new TlsStream(tcp);
            await tls.AuthenticateAsServerAsync(new TlsServerOptions { Certificates = [certificate], KeyLog = null }, token);
            report(new TlsPeerResult { Peer = "SharpTls server", HandshakeCompleted = true, Version = tls.Info.Version });
            var buffer = new byte[256];
            int n;
            while ((n = await tls.ReadAsync(buffer, token)) > 0)
                await tls.WriteAsync(buffer.AsMemory(0, n), token);
        });
        var result = await OpenSslClient.RunAsync(new() { Port = server.Port, ExtraArgs = ["-sigalgs", "ed25519"] }, "ping", "ping");
        Assert.True(result.HandshakeCompleted, result.ToString());
        Assert.Contains("Peer signature type: ed25519", result.Output);
        Assert.True(result.Verified, result.ToString());
    }

    [Fact]
    public async Task OurClient_VerifiesEd25519_FromOpenSslServer()
    {
        var pki = TestPki.Shared;
        await using var server = await OpenSslServer.StartAsync(new() { Certificate = pki.ServerEd25519, Version = ProtocolVersion.Tls13 });
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", server.Port);
        await using var tls = new TlsStream(tcp.GetStream());
        await tls.AuthenticateAsClientAsync(new TlsClientOptions
        {
            TargetHost = "www.contoso.test",
            TrustedRoots = [pki.Root],
            KeyLog = null,
        });
        Assert.Equal(SignatureScheme.Ed25519, tls.Info.SignatureScheme);
        Assert.StartsWith("OK", tls.Info.CertificateVerification);
    }
}
