using System.Net.Security;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Harness;

/// <summary>
/// The shape of an "our server vs a real client" test, with SslStream standing in for SharpTls's TlsStream:
/// swap the body of the LoopbackServer callback for TlsStream.AuthenticateAsServerAsync and keep the rest.
/// </summary>
[Trait("Category", "PeerHarness")] // SslStream against openssl, never SharpTls: counted apart from the interop tests (scripts/test.sh)
public class TemplateTests
{
    [Fact]
    public async Task InProcessServer_VsOpenSslClient_X25519_Resumption()
    {
        string session = Path.Combine(TestPki.Shared.Directory, $"sess-{Guid.NewGuid():N}.pem");
        await using var server = LoopbackServer.Start(async (tcp, report, token) =>
        {
            await using var tls = new SslStream(tcp);
            await tls.AuthenticateAsServerAsync(DotNetSslStream.ServerOptions(), token);
            report(new TlsPeerResult { Peer = "in-process server", HandshakeCompleted = true, Version = DotNetSslStream.Version(tls.SslProtocol) });
            var buffer = new byte[1024];
            int n;
            while ((n = await tls.ReadAsync(buffer, token)) > 0)
                await tls.WriteAsync(buffer.AsMemory(0, n), token);
        });
        var first = await OpenSslClient.RunAsync(new() { Port = server.Port, Groups = "X25519", SessionOut = session }, "ping", "ping");
        var second = await OpenSslClient.RunAsync(new() { Port = server.Port, Groups = "X25519", SessionIn = session });
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.Equal(("x25519", ProtocolVersion.Tls13, false), (first.Group, first.Version, first.Resumed));
        Assert.Equal(true, second.Resumed);
        Assert.Equal(ProtocolVersion.Tls13, (await server.WaitForConnectionAsync(2)).Version);
    }
}
