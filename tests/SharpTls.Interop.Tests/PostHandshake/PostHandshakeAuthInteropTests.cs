using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.IO;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.PostHandshake;

/// <summary>Post-handshake client authentication (RFC 8446 §4.6.2) against openssl s_client -enable_pha.</summary>
public class PostHandshakeAuthInteropTests
{
    [Fact]
    public async Task OurServer_AsksOpenSslClientForItsCertificateAfterTheHandshake()
    {
        var pki = TestPki.Shared;
        await using var server = LoopbackServer.Start(async (tcp, report, token) =>
        {
            await using var tls = new TlsStream(tcp);
            var options = new TlsServerOptions
            {
                Certificates = [new ServerCertificate(pki.ServerEcdsa.Certificate, pki.ServerEcdsa.Chain)],
                TrustedIssuers = [pki.Root],
                KeyLog = null,
            };
            await tls.AuthenticateAsServerAsync(options, token);
            var buffer = new byte[1024];
            int n = await tls.ReadAsync(buffer, token);
            await tls.RequestClientCertificateAsync(token);
            var peer = Assert.Single(tls.Info.PeerCertificates.Take(1));
            await tls.WriteAsync(buffer.AsMemory(0, n), token);
            report(new TlsPeerResult
            {
                Peer = "SharpTls server",
                HandshakeCompleted = true,
                Version = tls.Info.Version,
                PeerCertificateSubject = peer.Subject,
            });
            while ((n = await tls.ReadAsync(buffer, token)) > 0) { }
        });
        await using var client = await OpenSslClient.ConnectAsync(new()
        {
            Port = server.Port,
            ClientCertificate = pki.ClientEcdsa,
            ExtraArgs = ["-enable_pha"],
            Trace = true,
        });
        Assert.True(client.Handshake.HandshakeCompleted, client.Handshake.ToString());
        await client.SendLineAsync("ping");
        await client.WaitForReceivedAsync("ping");
        var seen = await server.WaitForConnectionAsync();
        Assert.Equal(ProtocolVersion.Tls13, seen.Version);
        Assert.Equal(pki.ClientEcdsa.Certificate.Subject, seen.PeerCertificateSubject);
        // openssl's side (its -msg trace): after the handshake it received our CertificateRequest and answered it with
        // Certificate, CertificateVerify and Finished (RFC 8446 §4.6.2).
        var end = await client.CloseAsync();
        Assert.Matches(@"(?s)<<< [^\n]*CertificateRequest.*>>> [^\n]*Handshake[^\n]*, Certificate\n.*>>> [^\n]*CertificateVerify.*>>> [^\n]*Finished", end.Output);
    }
}
