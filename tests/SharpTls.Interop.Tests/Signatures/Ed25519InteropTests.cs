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
            // Our side of it: the scheme our server signed its CertificateVerify with.
            report(new TlsPeerResult { Peer = "SharpTls server", HandshakeCompleted = true, Version = tls.Info.Version, Output = $"{tls.Info.SignatureScheme}" });
            var buffer = new byte[256];
            int n;
            while ((n = await tls.ReadAsync(buffer, token)) > 0)
                await tls.WriteAsync(buffer.AsMemory(0, n), token);
        });
        var result = await OpenSslClient.RunAsync(new() { Port = server.Port, ExtraArgs = ["-sigalgs", "ed25519"] }, "ping", "ping");
        Assert.True(result.HandshakeCompleted, result.ToString());
        Assert.Contains("Peer signature type: ed25519", result.Output);
        Assert.True(result.Verified, result.ToString());
        var ours = await server.WaitForConnectionAsync();
        Assert.Equal((true, ProtocolVersion.Tls13, nameof(SignatureScheme.Ed25519)), (ours.HandshakeCompleted, ours.Version, ours.Output));
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
        // The peer's side: s_server completed the handshake with us and reads what we send under the new keys.
        await tls.WriteAsync("ed25519 ok\n"u8.ToArray());
        await server.WaitForReceivedAsync("ed25519 ok");
        var theirs = await server.WaitForConnectionAsync();
        Assert.True(theirs.HandshakeCompleted, theirs.ToString());
        Assert.Equal(ProtocolVersion.Tls13, theirs.Version);
    }
}
