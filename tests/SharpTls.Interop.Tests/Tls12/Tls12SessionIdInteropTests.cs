using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Interop.Tests.Tls13;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// TLS 1.2 resumption by session ID against openssl s_client (-no_ticket -sess_out / -sess_in): through our
/// server's default in-memory cache, and across a farm of two `sharptls listen` processes that share their
/// session cache through a real redis-server (IDistributedCache) and their ticket keys through a file.
/// </summary>
public class Tls12SessionIdInteropTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public async Task OurServer_OpenSslClient_SessionId_ReusedTls12()
    {
        string session = Path.Combine(Pki.Directory, $"sessid-{Guid.NewGuid():N}.pem");
        var options = SharpTlsServer.DefaultOptions(Pki.ServerRsa);
        options.Versions = TlsVersions.Tls12 | TlsVersions.Tls13;
        await using var server = SharpTlsServer.Start(options, ServeMode.Echo);
        var first = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, NoTicket = true, SessionOut = session }, "one", "one");
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.Equal(false, first.Resumed);
        Assert.Matches(@"Session-ID: [0-9A-F]{64}", first.Output); // seed 004, first case: a new session ID
        var second = await OpenSslClient.RunAsync(new() { Port = server.Port, Version = ProtocolVersion.Tls12, NoTicket = true, SessionIn = session }, "two", "two");
        Assert.True(second.HandshakeCompleted, second.ToString());
        Assert.Contains("Reused, TLSv1.2", second.Output);
        var s2 = await server.WaitForHandshakeAsync(2);
        Assert.True(s2.Info.Resumed);
    }

    [Fact]
    public async Task Farm_of_two_processes_shares_sessions_through_redis()
    {
        string redisServer = PeerProcess.Require("redis-server");
        int redisPort = Ports.Free();
        await using var redis = PeerProcess.Start(redisServer, ["--port", redisPort.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            new PeerProcessOptions { DisplayName = "redis-server" });
        await Ports.WaitUntilListeningAsync(redisPort, redis);

        // One binding served by two processes: the same name (a resumed session must come from the same policy),
        // the same ticket keys (they seal what Redis holds), the same Redis.
        string ticketKeys = Path.Combine(Pki.Directory, $"farm-keys-{Guid.NewGuid():N}.bin");
        string cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");
        async Task<(PeerProcess Process, int Port)> StartNode(string name)
        {
            int port = Ports.Free();
            var node = PeerProcess.Start("dotnet", [cli, "listen", "--port", port.ToString(), "--cert", Pki.ServerRsa.FullChainPath, "--key", Pki.ServerRsa.KeyPath,
                "--echo", "--no-tickets", "--name", "farm", "--ticket-keys", ticketKeys, "--redis", $"127.0.0.1:{redisPort}"], new PeerProcessOptions { DisplayName = name });
            await Ports.WaitUntilListeningAsync(port, node, TimeSpan.FromSeconds(30));
            return (node, port);
        }
        var (nodeA, portA) = await StartNode("sharptls listen A");
        await using var a = nodeA;
        var (nodeB, portB) = await StartNode("sharptls listen B");
        await using var b = nodeB;

        string session = Path.Combine(Pki.Directory, $"farm-{Guid.NewGuid():N}.pem");
        var first = await OpenSslClient.RunAsync(new() { Port = portA, Version = ProtocolVersion.Tls12, NoTicket = true, SessionOut = session }, "on A", "on A");
        Assert.True(first.HandshakeCompleted, first.ToString());
        Assert.Equal(false, first.Resumed);
        // The session made on A resumes on B: B found it in Redis and opened it with the shared ticket keys.
        var second = await OpenSslClient.RunAsync(new() { Port = portB, Version = ProtocolVersion.Tls12, NoTicket = true, SessionIn = session }, "on B", "on B");
        Assert.True(second.HandshakeCompleted, second.ToString() + "\nB: " + b.Output);
        Assert.Contains("Reused, TLSv1.2", second.Output);
        Assert.Contains("on B", second.ReceivedData);
    }
}
