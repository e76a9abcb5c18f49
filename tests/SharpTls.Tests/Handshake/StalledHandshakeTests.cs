using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpTls.Cli.Commands;
using SharpTls.Diagnostics;
using SharpTls.IO;
using SharpTls.Records;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Floods of stalled handshakes (issue 10, "Floods and limits"): a peer that connects and sends nothing, half a record
/// header, or a whole ClientHello and then silence costs no 32 KB buffer while it waits for its timeout, and the cap on
/// handshakes in progress closes the oldest of them to make room, so a real client is still served during the flood.
/// The measured cost per stalled connection is in bench/RESULTS.md ("Stalled handshakes").
/// </summary>
public class StalledHandshakeTests
{
    [Fact]
    public void Half_a_record_header_is_held_in_a_small_buffer_and_the_record_still_completes()
    {
        using var d = new RecordDeframer();
        Assert.Equal(2, d.Feed([0x16, 0x03]));
        Assert.InRange(d.HeldBufferLength, 2, 64);
        Assert.False(d.TryRead(out _));
        // The rest of the record, a byte at a time and then in one piece: it grows as needed and yields the record.
        byte[] rest = [0x03, 0x00, 0x40, .. new byte[0x40]];
        rest[^1] = 0x7F;
        Assert.Equal(1, d.Feed(rest.AsSpan(0, 1)));
        Assert.Equal(rest.Length - 1, d.Feed(rest.AsSpan(1)));
        Assert.True(d.TryRead(out var record));
        Assert.Equal(0x40, record.Fragment.Length);
        Assert.Equal(0x7F, record.Fragment[^1]);
        Assert.False(d.TryRead(out _));
        Assert.False(d.HoldsBuffer);
    }

    [Fact]
    public async Task A_stalled_handshake_over_a_socket_holds_no_read_buffer()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var peer = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await peer.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        using var accepted = await listener.AcceptTcpClientAsync();
        await using var tls = new TlsStream(accepted.GetStream());
        using var stop = new CancellationTokenSource();
        var handshake = tls.AuthenticateAsServerAsync(InMemoryPair.DefaultServer(), stop.Token);

        // Nothing sent: the stream waits for bytes without a buffer.
        await WaitUntil(() => tls.HoldsReadBuffer || tls.Connection.Status != TlsStatus.Handshaking || handshake.IsCompleted, TimeSpan.FromMilliseconds(200));
        Assert.False(handshake.IsCompleted);
        Assert.False(tls.HoldsReadBuffer);

        // Half a record header: taken, kept in a small array, and again no read buffer while the peer is silent.
        await peer.SendAsync(new byte[] { 0x16, 0x03 });
        await WaitUntil(() => tls.Connection.Records.HeldInputBufferLength > 0, TimeSpan.FromSeconds(20));
        Assert.InRange(tls.Connection.Records.HeldInputBufferLength, 2, 64);
        await WaitUntil(() => !tls.HoldsReadBuffer, TimeSpan.FromSeconds(20));
        Assert.False(handshake.IsCompleted);

        stop.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => handshake);
    }

    [Fact]
    public void The_limit_closes_the_oldest_handshake_to_make_room_and_reports_once_per_burst()
    {
        var limit = new TlsHandshakeLimit(2);
        using var ca = new CancellationTokenSource();
        using var cb = new CancellationTokenSource();
        using var cc = new CancellationTokenSource();
        using var cd = new CancellationTokenSource();
        using var ce = new CancellationTokenSource();
        using var cf = new CancellationTokenSource();
        var a = limit.Enter(ca);
        var b = limit.Enter(cb);
        Assert.Equal(2, limit.InProgress);
        Assert.False(a.Evicted || b.Evicted || a.FirstEvictionOfBurst || b.FirstEvictionOfBurst);

        var c = limit.Enter(cc); // full: the oldest (a) is closed
        Assert.True(a.Evicted);
        Assert.True(ca.IsCancellationRequested);
        Assert.False(cb.IsCancellationRequested);
        Assert.True(c.FirstEvictionOfBurst);
        var d = limit.Enter(cd); // still full: b goes, and the burst was already reported
        Assert.True(b.Evicted);
        Assert.False(d.FirstEvictionOfBurst);
        Assert.Equal(2, limit.InProgress);
        Assert.Equal(2, limit.Evicted);
        a.Dispose(); // an evicted lease leaves nothing behind
        b.Dispose();
        Assert.Equal(2, limit.InProgress);

        c.Dispose(); // room again: the burst is over
        Assert.Equal(1, limit.InProgress);
        var e = limit.Enter(ce);
        Assert.False(e.FirstEvictionOfBurst);
        Assert.False(cd.IsCancellationRequested);
        var f = limit.Enter(cf); // full again: d (now the oldest) goes, reported as a new burst
        Assert.True(d.Evicted);
        Assert.True(f.FirstEvictionOfBurst);
        e.Dispose();
        f.Dispose();
        f.Dispose();
        Assert.Equal(0, limit.InProgress);
        Assert.Throws<ArgumentOutOfRangeException>(() => new TlsHandshakeLimit(0));
    }

    /// <summary>
    /// `sharptls listen`'s serving loop with a cap of 4: 12 stalled connections (nothing, half a header, a whole
    /// ClientHello) fill it three times over; the oldest are closed, event 36894 is logged, and a real client over a real
    /// socket (our TlsStream client) completes its handshake and gets its HTTP answer while the flood holds the cap.
    /// </summary>
    [Fact]
    public async Task Listen_serves_a_real_client_while_stalled_handshakes_fill_the_cap()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        var log = new ListLogger();
        var options = InMemoryPair.DefaultServer();
        options.MaxConcurrentHandshakes = 4;
        options.HandshakeTimeout = TimeSpan.FromMinutes(5); // only the cap may close the stalled ones here
        options.Logger = log;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var listening = ListenCommand.RunAsync(IPAddress.Loopback, port, options, echo: false, stop.Token);

        byte[] hello;
        using (var c = TlsConnection.CreateClient(InMemoryPair.DefaultClient())) hello = c.PendingOutput.ToArray();
        var stalled = new List<Socket>();
        try
        {
            for (int i = 0; i < 12; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                stalled.Add(s);
                await ConnectAsync(s, port, stop.Token);
                if (i % 3 == 1) await s.SendAsync(new byte[] { 0x16, 0x03 });
                if (i % 3 == 2) await s.SendAsync(hello);
            }
            // The first eight were closed to make room for the last four (which now fill the cap).
            for (int i = 0; i < 8; i++)
                Assert.True(await ClosedByServerAsync(stalled[i], stop.Token), $"stalled connection {i} is still open");
            await WaitUntil(() => log.Events.Any(e => e.Id == TlsEvents.HandshakeLimitReached), TimeSpan.FromSeconds(20));
            Assert.Equal(4, options.Listener.HandshakeLimit!.InProgress);

            // A real client while the cap is full: it takes the oldest stalled handshake's place and is served.
            for (int round = 0; round < 2; round++)
            {
                string answer = await GetReportAsync(port, stop.Token);
                Assert.StartsWith("HTTP/1.1 200 OK", answer);
                Assert.Contains("Protocol: TLS 1.3", answer);
            }
            Assert.Single(log.Events, e => e.Id == TlsEvents.HandshakeLimitReached);
            Assert.Contains("4 TLS handshakes are in progress, the limit", log.Events.First(e => e.Id == TlsEvents.HandshakeLimitReached).Message);
        }
        finally
        {
            foreach (var s in stalled) s.Dispose();
            stop.Cancel();
            await listening;
        }
    }

    private static async Task<string> GetReportAsync(int port, CancellationToken ct)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port, ct);
        await using var tls = new TlsStream(client.GetStream());
        await tls.AuthenticateAsClientAsync(InMemoryPair.DefaultClient(), ct);
        await tls.WriteAsync("GET /report HTTP/1.1\r\nHost: www.contoso.test\r\n\r\n"u8.ToArray(), ct);
        var answer = new MemoryStream();
        var buffer = new byte[4096];
        int n;
        while ((n = await tls.ReadAsync(buffer, ct)) > 0) answer.Write(buffer, 0, n);
        return Encoding.UTF8.GetString(answer.ToArray());
    }

    private static async Task ConnectAsync(Socket s, int port, CancellationToken ct)
    {
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await s.ConnectAsync(IPAddress.Loopback, port, ct);
                return;
            }
            catch (SocketException) when (attempt < 50)
            {
                await Task.Delay(100, ct);
            }
        }
    }

    /// <summary>Reads (and drops) what the server sent, e.g. its flight after a ClientHello, until it closes.</summary>
    private static async Task<bool> ClosedByServerAsync(Socket s, CancellationToken ct)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(30));
        var buffer = new byte[16 * 1024];
        try
        {
            while (await s.ReceiveAsync(buffer, wait.Token) > 0) { }
            return true;
        }
        catch (SocketException)
        {
            return true; // reset: closed as well
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>Polls a condition (no timing is asserted: the bound only keeps a broken build from hanging).</summary>
    private static async Task WaitUntil(Func<bool> condition, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(20);
    }
}

/// <summary>
/// Allocation per handshake (issue 11): decoding a ClientHello builds no string per field or extension read (the
/// codec's field names are only formatted into an error). Deterministic: the same bytes decoded on one thread after
/// warm-up, counted with GC.GetAllocatedBytesForCurrentThread; the bound is what the message objects themselves need.
/// </summary>
public class ClientHelloAllocationTests
{
    [Fact]
    public void Decoding_a_ClientHello_allocates_its_message_objects_only()
    {
        byte[] hello;
        using (var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient())) hello = client.PendingOutput[5..].ToArray();
        for (int i = 0; i < 50; i++) SharpTls.Messages.HandshakeMessage.Decode(hello);
        long before = GC.GetAllocatedBytesForCurrentThread();
        const int n = 100;
        for (int i = 0; i < n; i++) SharpTls.Messages.HandshakeMessage.Decode(hello);
        long perDecode = (GC.GetAllocatedBytesForCurrentThread() - before) / n;
        // 11,098 bytes before the codec stopped concatenating "FIELD length" for every vector and naming every extension,
        // 4,784 bytes after (most of it the key shares' copies: X25519MLKEM768's is 1,216 bytes).
        Assert.True(perDecode < 5200, $"a ClientHello decode allocates {perDecode} bytes");
    }
}
