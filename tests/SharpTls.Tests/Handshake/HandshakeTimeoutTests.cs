using SharpTls.IO;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// <see cref="TlsStream"/>'s handshake timeout against a stalled peer (issue 10, "behaviour with no test"): a peer
/// that sends nothing, half a record header, or a whole ClientHello and then nothing. The handshake ends with a
/// <see cref="TimeoutException"/> and a failed connection instead of waiting forever. No duration is asserted.
/// </summary>
public class HandshakeTimeoutTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(300);

    /// <summary>A transport whose peer sends <paramref name="sent"/> and then stays silent (or, with <paramref name="closes"/>,
    /// closes: end of stream, no alert); what we write is kept.</summary>
    private sealed class StalledPeer(byte[] sent, bool closes = false) : Stream
    {
        private int _offset;
        public MemoryStream Written { get; } = new();
        public override bool CanRead => true;
        public override bool CanWrite => true;
        public override bool CanSeek => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("async only");
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => Written.Write(buffer, offset, count);

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_offset < sent.Length && buffer.Length > 0)
            {
                int n = Math.Min(buffer.Length, sent.Length - _offset);
                sent.AsMemory(_offset, n).CopyTo(buffer);
                _offset += n;
                return n;
            }
            if (closes) return 0;
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return 0;
        }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Written.Write(buffer.Span);
            return ValueTask.CompletedTask;
        }
    }

    private static byte[] ClientHelloBytes()
    {
        using var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        return client.PendingOutput.ToArray();
    }

    private static byte[] Sent(string stall) => stall switch
    {
        "nothing" => [],
        "half a record header" => [(byte)ContentType.Handshake, 3],
        _ => ClientHelloBytes(),
    };

    public static TheoryData<string> Stalls => new() { "nothing", "half a record header", "a ClientHello, then nothing" };

    [Theory]
    [MemberData(nameof(Stalls))]
    public async Task A_server_gives_up_on_a_stalled_client(string stall)
    {
        byte[] sent = Sent(stall);
        var options = InMemoryPair.DefaultServer();
        options.HandshakeTimeout = Short;
        var keys = new KeyCapture();
        options.KeyLog = keys;
        var log = new ListLogger();
        options.Logger = log;
        var peer = new StalledPeer(sent);
        await using var tls = new TlsStream(peer);
        await Assert.ThrowsAsync<TimeoutException>(() => tls.AuthenticateAsServerAsync(options));
        Assert.Equal(TlsStatus.Failed, tls.Connection.Status);
        Assert.Contains("timed out", tls.Connection.Failure!.Reason);
        // One event, 36892 as the host logs it, that does not call the warning a fatal alert.
        var failure = Assert.Single(log.Events, e => e.Id.Id is 36887 or 36888 or 36892 or 36893);
        Assert.Equal(Diagnostics.TlsEvents.HandshakeTimedOut, failure.Id);
        Assert.DoesNotContain("fatal", failure.Message);
        Assert.Contains("handshake timed out after 0.3 s (user_canceled sent as a warning, then close_notify)", failure.Message);
        var records = WireSurgery.Split(peer.Written.ToArray());
        if (stall.StartsWith("a ClientHello", StringComparison.Ordinal))
        {
            // The server's flight went out before the wait: it was the client that stalled.
            Assert.Equal(ContentType.Handshake, records[0].Type);
            Assert.Equal((byte)HandshakeType.ServerHello, records[0].Fragment[0]);
            // The close comes under the server's application keys (it sent its Finished): open the last two records.
            var suite = tls.Connection.Info.CipherSuite!.Value;
            using var opener = WireSurgery.Protection(suite, keys[Diagnostics.KeyLogLabels.ServerTrafficSecret0]);
            records = [.. records[^2..].Select(r =>
            {
                var plain = opener.Open(r.Type, r.Version, (byte[])r.Fragment.Clone(), out var inner).ToArray();
                return r with { Type = inner, Fragment = plain };
            })];
        }
        AssertClosedAsRfc8446Section6_1Allows(records);
    }

    /// <summary>
    /// RFC 8446 §6.1 (issue 10 item 9): a handshake abandoned for a timeout ends with user_canceled as a warning and then
    /// close_notify, not with a fatal alert.
    /// </summary>
    private static void AssertClosedAsRfc8446Section6_1Allows(List<WireRecord> records)
    {
        Assert.True(records.Count >= 2, $"{records.Count} record(s)");
        Assert.Equal([ContentType.Alert, ContentType.Alert], records[^2..].Select(r => r.Type));
        Assert.Equal(new byte[] { (byte)AlertLevel.Warning, (byte)AlertDescription.UserCanceled }, records[^2].Fragment);
        Assert.Equal(new byte[] { (byte)AlertLevel.Warning, (byte)AlertDescription.CloseNotify }, records[^1].Fragment);
    }

    /// <summary>
    /// A peer that closes mid-handshake without an alert (a port scanner, an abandoned connection) is logged as 36893,
    /// as the host logs it, not as a received fatal alert (36887) that the peer never sent.
    /// </summary>
    [Theory]
    [MemberData(nameof(Stalls))]
    public async Task A_peer_that_closes_without_an_alert_is_logged_as_closed_not_as_an_alert(string stall)
    {
        byte[] sent = Sent(stall);
        var options = InMemoryPair.DefaultServer();
        var log = new ListLogger();
        options.Logger = log;
        await using var tls = new TlsStream(new StalledPeer(sent, closes: true));
        await Assert.ThrowsAnyAsync<Exception>(() => tls.AuthenticateAsServerAsync(options));
        var failure = Assert.Single(log.Events, e => e.Id.Id is 36887 or 36888 or 36892 or 36893);
        Assert.Equal(Diagnostics.TlsEvents.ClosedDuringHandshake, failure.Id);
        Assert.Contains("closed the connection during the handshake without an alert", failure.Message);
        Assert.DoesNotContain("alert was received", failure.Message);
        Assert.Equal(Diagnostics.TlsEvents.ClosedDuringHandshake, tls.Connection.Failure!.EventId);
    }

    [Fact]
    public void The_default_handshake_timeout_is_ten_seconds_as_kestrels()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), new TlsServerOptions().HandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), new TlsClientOptions().HandshakeTimeout);
        Assert.Equal(TimeSpan.FromSeconds(10), new TlsServerListener().HandshakeTimeout);
    }

    [Fact]
    public async Task A_client_gives_up_on_a_silent_server()
    {
        var options = InMemoryPair.DefaultClient();
        options.HandshakeTimeout = Short;
        var peer = new StalledPeer([]);
        await using var tls = new TlsStream(peer);
        await Assert.ThrowsAsync<TimeoutException>(() => tls.AuthenticateAsClientAsync(options));
        Assert.Equal(TlsStatus.Failed, tls.Connection.Status);
        // Our ClientHello was sent before the wait.
        var written = peer.Written.ToArray();
        Assert.Equal((byte)ContentType.Handshake, written[0]);
        Assert.Equal((byte)HandshakeType.ClientHello, written[5]);
        AssertClosedAsRfc8446Section6_1Allows(WireSurgery.Split(written));
    }
}
