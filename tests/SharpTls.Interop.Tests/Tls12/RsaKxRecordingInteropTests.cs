using System.Net;
using System.Net.Sockets;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Tests.Tls12;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// Records RSA key-exchange handshakes between a real OpenSSL peer (which computes its own pre-master, Finished and MACs) and
/// our engine running with injected randomness (<see cref="RsaKxRecording"/>): openssl s_client against our server, and our
/// client against openssl s_server -rev. Each run checks that the peer got what we sent (s_client prints our reply; s_server
/// reversed our request, so it decrypted it), then replays the peer's recorded bytes into a fresh engine with the same
/// randomness and requires our recorded bytes back, byte for byte. With <c>SHARPTLS_WRITE_REPLAY_FIXTURES=DIR</c> the
/// recordings are written to DIR (tests/fixtures/replays: how the committed fixtures were made, see its README.md), which
/// the unit test <c>RsaKxReplayTests</c> replays without a peer.
/// </summary>
public class RsaKxRecordingInteropTests
{
    public static TheoryData<string> Names => [.. RsaKxRecording.Scenarios.Select(s => s.Name)];

    private static string Fixtures => Path.Combine(AppContext.BaseDirectory, "fixtures");

    [Theory]
    [MemberData(nameof(Names))]
    public async Task OpenSslPeerRecordedAndReplayedByteForByte(string name)
    {
        var (_, ourServer, suite) = RsaKxRecording.Scenarios.Single(s => s.Name == name);
        var (c2s, s2c) = ourServer ? await RecordOurServerAsync(name, suite) : await RecordOurClientAsync(name, suite);

        // The replay: the peer's bytes into a fresh engine with the same randomness give our bytes again.
        using var certificate = RsaKxRecording.ServerCertificate(Fixtures);
        if (ourServer)
        {
            using var server = TlsConnection.CreateServer(RsaKxRecording.Listener(name, certificate));
            var driver = RsaKxRecording.Driver(server, server: true);
            Assert.Equal(Convert.ToHexString(s2c), Convert.ToHexString(driver.Take(c2s)));
            Assert.Equal(RsaKxRecording.Request, driver.Received);
        }
        else
        {
            using var client = TlsConnection.CreateClient(RsaKxRecording.ClientOptions(name, suite, Fixtures));
            var driver = RsaKxRecording.Driver(client, server: false);
            Assert.Equal(Convert.ToHexString(c2s), Convert.ToHexString([.. driver.Start(), .. driver.Take(s2c)]));
        }

        if (Environment.GetEnvironmentVariable("SHARPTLS_WRITE_REPLAY_FIXTURES") is { Length: > 0 } dir)
        {
            Directory.CreateDirectory(dir);
            await File.WriteAllBytesAsync(Path.Combine(dir, $"{name}.c2s.bin"), c2s);
            await File.WriteAllBytesAsync(Path.Combine(dir, $"{name}.s2c.bin"), s2c);
        }
    }

    /// <summary>openssl s_client against our server on a loopback socket: both byte streams of the connection.</summary>
    private static async Task<(byte[] C2s, byte[] S2c)> RecordOurServerAsync(string name, CipherSuite suite)
    {
        using var certificate = RsaKxRecording.ServerCertificate(Fixtures);
        using var tcp = new TcpListener(IPAddress.Loopback, 0);
        tcp.Start();
        int port = ((IPEndPoint)tcp.LocalEndpoint).Port;
        var c2s = new MemoryStream();
        var s2c = new MemoryStream();
        var serving = Task.Run(async () =>
        {
            using var socket = await tcp.AcceptSocketAsync();
            using var server = TlsConnection.CreateServer(RsaKxRecording.Listener(name, certificate));
            var driver = RsaKxRecording.Driver(server, server: true);
            await PumpAsync(socket, driver, c2s, s2c, initial: []);
            return driver.Received;
        });

        await using var client = await OpenSslClient.ConnectAsync(new OpenSslClientOptions
        {
            Port = port,
            ServerName = "www.contoso.test",
            CaFile = Path.Combine(Fixtures, "pki", "ca.crt"),
            Version = ProtocolVersion.Tls12,
            Cipher = OpenSslCipher(suite),
        });
        Assert.True(client.Handshake.HandshakeCompleted, client.Process.Output);
        await client.SendLineAsync(RsaKxRecording.Request.TrimEnd('\n'));
        await client.WaitForReceivedAsync(RsaKxRecording.Reply.TrimEnd('\n'));
        await client.WaitForPeerCloseAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(RsaKxRecording.Request, await serving.WaitAsync(TimeSpan.FromSeconds(20)));
        return (c2s.ToArray(), s2c.ToArray());
    }

    /// <summary>Our client against openssl s_server -rev: both byte streams of the connection.</summary>
    private static async Task<(byte[] C2s, byte[] S2c)> RecordOurClientAsync(string name, CipherSuite suite)
    {
        using var certificate = RsaKxRecording.ServerCertificate(Fixtures);
        string pki = Path.Combine(Fixtures, "pki");
        var fixtureRsa = new TestCertificate("fixture-server-rsa", "RSA-2048", certificate, [], Path.Combine(pki, "server-rsa.crt"),
            Path.Combine(pki, "server-rsa.key"), Path.Combine(pki, "server-rsa.crt"), Path.Combine(pki, "server-rsa.crt"), null);
        await using var peer = await OpenSslServer.StartAsync(new OpenSslServerOptions
        {
            Certificate = fixtureRsa,
            Version = ProtocolVersion.Tls12,
            Cipher = OpenSslCipher(suite),
            Mode = OpenSslServerMode.Rev,
            MaxConnections = 1,
        });
        var c2s = new MemoryStream();
        var s2c = new MemoryStream();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, peer.Port);
        using var client = TlsConnection.CreateClient(RsaKxRecording.ClientOptions(name, suite, Fixtures));
        var driver = RsaKxRecording.Driver(client, server: false);
        await PumpAsync(socket, driver, s2c, c2s, initial: driver.Start()).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(client.Status != TlsStatus.Failed, $"our client failed: {client.Failure}");
        // s_server -rev answers each line reversed: it decrypted our request, and we decrypted its answer.
        Assert.Equal(new string(RsaKxRecording.Request.TrimEnd('\n').Reverse().ToArray()) + "\n", driver.Received);
        return (c2s.ToArray(), s2c.ToArray());
    }

    private static string OpenSslCipher(CipherSuite suite) => suite switch
    {
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA => "AES128-SHA",
        CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256 => "AES128-GCM-SHA256",
        _ => throw new ArgumentOutOfRangeException(nameof(suite), suite, "no OpenSSL name here"),
    };

    /// <summary>Moves bytes between the socket and the driver until the peer closes, keeping what each side sent.</summary>
    private static async Task PumpAsync(Socket socket, RecordDriver driver, MemoryStream fromPeer, MemoryStream toPeer, byte[] initial)
    {
        if (initial.Length > 0)
        {
            toPeer.Write(initial);
            await socket.SendAsync(initial, SocketFlags.None);
        }
        byte[] buffer = new byte[16384];
        while (true)
        {
            int n;
            try
            {
                n = await socket.ReceiveAsync(buffer, SocketFlags.None);
            }
            catch (SocketException)
            {
                break; // reset after the close
            }
            if (n == 0) break;
            fromPeer.Write(buffer, 0, n);
            byte[] answer = driver.Take(buffer.AsSpan(0, n));
            if (answer.Length > 0)
            {
                toPeer.Write(answer);
                await socket.SendAsync(answer, SocketFlags.None);
            }
        }
    }
}
