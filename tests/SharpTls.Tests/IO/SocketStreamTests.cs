using System.Net;
using System.Net.Sockets;
using SharpTls.IO;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.IO;

/// <summary>
/// <see cref="SocketStream"/>, the socket stream of `sharptls listen` and the bench server, over real loopback sockets:
/// a zero-byte read waits for data, a cancelled read throws and leaves sending working (the handshake timeout's alert),
/// writes larger than the kernel takes at once arrive whole and in order, and a TLS handshake and data run over it. No
/// duration is asserted.
/// </summary>
public class SocketStreamTests
{
    private static async Task<(Socket Server, Socket Client)> ConnectedPairAsync()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var accept = listener.AcceptAsync();
        await client.ConnectAsync(listener.LocalEndPoint!);
        return (await accept, client);
    }

    [Fact]
    public async Task A_zero_byte_read_waits_for_data_and_returns_zero()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = client;
        using var stream = new SocketStream(server);
        var wait = stream.ReadAsync(Memory<byte>.Empty).AsTask();
        await Task.Delay(200);
        Assert.False(wait.IsCompleted); // nothing sent yet
        client.Send("x"u8);
        Assert.Equal(0, await wait);
        byte[] b = new byte[4];
        Assert.Equal(1, await stream.ReadAsync(b));
        Assert.Equal((byte)'x', b[0]);
    }

    [Fact]
    public async Task A_cancelled_read_throws_and_sending_still_works()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = client;
        using var stream = new SocketStream(server);
        using var cts = new CancellationTokenSource();
        var read = stream.ReadAsync(new byte[16], cts.Token).AsTask();
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => read);
        await stream.WriteAsync("after"u8.ToArray());
        byte[] b = new byte[5];
        int got = 0;
        while (got < 5) got += client.Receive(b.AsSpan(got));
        Assert.Equal("after"u8.ToArray(), b);
    }

    [Fact]
    public async Task A_write_larger_than_the_kernel_takes_at_once_arrives_whole_and_in_order()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = client;
        server.SendBufferSize = 4096;
        client.ReceiveBufferSize = 4096;
        using var stream = new SocketStream(server);
        byte[] data = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(data);
        var write = stream.WriteAsync(data).AsTask(); // cannot complete until the peer reads
        byte[] received = new byte[data.Length];
        int got = 0;
        while (got < data.Length)
        {
            int n = await client.ReceiveAsync(received.AsMemory(got));
            Assert.NotEqual(0, n);
            got += n;
        }
        await write;
        Assert.Equal(data, received);
    }

    [Fact]
    public async Task A_peer_that_resets_fails_the_write_with_an_IOException()
    {
        var (server, client) = await ConnectedPairAsync();
        client.LingerState = new LingerOption(true, 0); // close with RST
        client.Dispose();
        using var stream = new SocketStream(server);
        await Assert.ThrowsAsync<IOException>(async () =>
        {
            for (int i = 0; i < 100; i++)
            {
                await stream.WriteAsync(new byte[64 * 1024]);
                await Task.Delay(10);
            }
        });
    }

    [Fact]
    public async Task A_TLS_server_over_it_handshakes_serves_and_waits_idle_with_a_zero_byte_read()
    {
        var (server, client) = await ConnectedPairAsync();
        await using var serverTls = new TlsStream(new SocketStream(server));
        await using var clientTls = new TlsStream(new NetworkStream(client, ownsSocket: true));
        var options = InMemoryPair.DefaultServer();
        await Task.WhenAll(serverTls.AuthenticateAsServerAsync(options), clientTls.AuthenticateAsClientAsync(InMemoryPair.DefaultClient()));
        Assert.Equal(TlsStatus.Connected, serverTls.Connection.Status);

        var idle = serverTls.ReadAsync(Memory<byte>.Empty).AsTask();
        await Task.Delay(200);
        Assert.False(idle.IsCompleted);
        Assert.False(serverTls.HoldsReadBuffer);
        await clientTls.WriteAsync("ping"u8.ToArray());
        Assert.Equal(0, await idle);
        byte[] b = new byte[4];
        int got = 0;
        while (got < 4) got += await serverTls.ReadAsync(b.AsMemory(got));
        Assert.Equal("ping"u8.ToArray(), b);
        byte[] big = new byte[300_000];
        new Random(3).NextBytes(big);
        var echo = serverTls.WriteAsync(big).AsTask();
        byte[] back = new byte[big.Length];
        got = 0;
        while (got < back.Length) got += await clientTls.ReadAsync(back.AsMemory(got));
        await echo;
        Assert.Equal(big, back);
    }

    [Fact]
    public async Task A_handshake_timeout_over_it_sends_user_canceled()
    {
        var (server, client) = await ConnectedPairAsync();
        using var _ = client;
        var options = InMemoryPair.DefaultServer();
        options.HandshakeTimeout = TimeSpan.FromMilliseconds(300);
        await using var tls = new TlsStream(new SocketStream(server));
        await Assert.ThrowsAsync<TimeoutException>(() => tls.AuthenticateAsServerAsync(options));
        // The receive side was shut down to end the read; the alert still went out.
        byte[] alert = new byte[7];
        int got = 0;
        while (got < alert.Length)
        {
            int n = client.Receive(alert.AsSpan(got));
            if (n == 0) break;
            got += n;
        }
        Assert.Equal(7, got);
        Assert.Equal((byte)ContentType.Alert, alert[0]);
        Assert.Equal((byte)AlertDescription.UserCanceled, alert[6]);
    }
}
