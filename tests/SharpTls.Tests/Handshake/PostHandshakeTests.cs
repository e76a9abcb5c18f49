using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>KeyUpdate (RFC 8446 §4.6.3), ALPN (RFC 7301) and closure (RFC 8446 §6.1).</summary>
public class PostHandshakeTests
{
    private static int KeyUpdatesSent(HandshakeTraceCollector trace)
        => trace.Entries.Count(e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.KeyUpdate);

    private static InMemoryPair Connected(HandshakeTraceCollector? serverTrace = null, HandshakeTraceCollector? clientTrace = null)
    {
        var s = InMemoryPair.DefaultServer();
        s.Trace = serverTrace;
        var c = InMemoryPair.DefaultClient();
        c.Trace = clientTrace;
        var pair = new InMemoryPair(s, c);
        pair.Handshake();
        return pair;
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void KeyUpdateThenDataBothWays(bool fromServer, bool requestPeer)
    {
        var serverTrace = new HandshakeTraceCollector();
        var clientTrace = new HandshakeTraceCollector();
        using var pair = Connected(serverTrace, clientTrace);
        var (updater, peer) = fromServer ? (pair.Server, pair.Client) : (pair.Client, pair.Server);
        var (updaterTrace, peerTrace) = fromServer ? (serverTrace, clientTrace) : (clientTrace, serverTrace);
        for (int round = 0; round < 3; round++)
        {
            updater.UpdateKeys(requestPeer);
            pair.Pump();
            Assert.Equal(round + 1, KeyUpdatesSent(updaterTrace));
            Assert.Equal(requestPeer ? round + 1 : 0, KeyUpdatesSent(peerTrace));
            Assert.Equal("to peer"u8.ToArray(), pair.Send(updater, peer, "to peer"u8.ToArray()));
            Assert.Equal("to updater"u8.ToArray(), pair.Send(peer, updater, "to updater"u8.ToArray()));
        }
        var sent = updaterTrace.Entries.Where(e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.KeyUpdate);
        Assert.All(sent, e => Assert.Equal(requestPeer ? KeyUpdateRequest.UpdateRequested : KeyUpdateRequest.UpdateNotRequested,
            HandshakeMessage.Decode<KeyUpdate>(e.Bytes, MessageContext.Tls13).RequestUpdate));
    }

    [Fact]
    public void BothSidesUpdateAtOnce()
    {
        using var pair = Connected();
        pair.Client.UpdateKeys(true);
        pair.Server.UpdateKeys(true);
        pair.Pump();
        Assert.Equal("a"u8.ToArray(), pair.Send(pair.Client, pair.Server, "a"u8.ToArray()));
        Assert.Equal("b"u8.ToArray(), pair.Send(pair.Server, pair.Client, "b"u8.ToArray()));
    }

    [Fact]
    public void ManyRequestsWhileSilentGetOneAnswer()
    {
        var serverTrace = new HandshakeTraceCollector();
        using var pair = Connected(serverTrace);
        for (int i = 0; i < 10; i++) pair.Client.UpdateKeys(requestPeer: true);
        pair.Pump();
        Assert.Equal(1, KeyUpdatesSent(serverTrace));
        Assert.Equal("still"u8.ToArray(), pair.Send(pair.Server, pair.Client, "still"u8.ToArray()));
        Assert.Equal("fine"u8.ToArray(), pair.Send(pair.Client, pair.Server, "fine"u8.ToArray()));
    }

    [Fact]
    public void KeyUpdateFloodIsLimited()
    {
        using var pair = Connected();
        for (int i = 0; i < 300; i++) pair.Client.UpdateKeys(requestPeer: false);
        pair.HandshakeFails(pair.Server, AlertDescription.UnexpectedMessage, "Server.Tls13.Connected", "non-application records in a row");
    }

    [Fact]
    public void KeyUpdatesInterleavedWithDataAreNotAFlood()
    {
        using var pair = Connected();
        for (int i = 0; i < 300; i++)
        {
            pair.Client.UpdateKeys(requestPeer: false);
            pair.Client.WriteApplicationData([(byte)i]);
        }
        pair.Pump();
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
        Assert.Equal(300, pair.Server.BufferedApplicationData);
    }

    [Fact]
    public void KeyUpdateBeforeTheHandshakeEndsIsRefused()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        Assert.Throws<InvalidOperationException>(() => pair.Client.UpdateKeys(false));
    }

    [Fact]
    public void AlpnAgreementFollowsTheServersPreference()
    {
        var s = InMemoryPair.DefaultServer();
        s.ApplicationProtocols = ["h2", "http/1.1"];
        var c = InMemoryPair.DefaultClient();
        c.ApplicationProtocols = ["http/1.1", "h2"];
        using var pair = new InMemoryPair(s, c);
        pair.Handshake();
        Assert.Equal("h2", pair.Client.Info.ApplicationProtocol);
        Assert.Equal("h2", pair.Server.Info.ApplicationProtocol);
    }

    [Fact]
    public void AlpnOnOneSideOnlyIsNoAlpn()
    {
        var s = InMemoryPair.DefaultServer();
        s.ApplicationProtocols = ["h2"];
        using (var pair = new InMemoryPair(s, InMemoryPair.DefaultClient()))
        {
            pair.Handshake();
            Assert.Null(pair.Client.Info.ApplicationProtocol);
            Assert.Null(pair.Server.Info.ApplicationProtocol);
        }
        var c = InMemoryPair.DefaultClient();
        c.ApplicationProtocols = ["h2"];
        using (var pair = new InMemoryPair(InMemoryPair.DefaultServer(), c))
        {
            pair.Handshake();
            Assert.Null(pair.Client.Info.ApplicationProtocol);
        }
    }

    [Fact]
    public void AlpnWithoutOverlapIsNoApplicationProtocol()
    {
        var s = InMemoryPair.DefaultServer();
        s.ApplicationProtocols = ["h2"];
        var c = InMemoryPair.DefaultClient();
        c.ApplicationProtocols = ["http/1.1"];
        using var pair = new InMemoryPair(s, c);
        pair.HandshakeFails(pair.Server, AlertDescription.NoApplicationProtocol, "Server.", "no application protocol in common");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CloseNotifyBothWaysWithHalfClose(bool serverClosesFirst)
    {
        using var pair = Connected();
        var (first, second) = serverClosesFirst ? (pair.Server, pair.Client) : (pair.Client, pair.Server);
        first.Close();
        pair.Pump();
        Assert.True(second.PeerClosed);
        Assert.False(first.PeerClosed);
        Assert.Equal(TlsStatus.Connected, second.Status);
        Assert.Throws<InvalidOperationException>(() => first.WriteApplicationData("no"u8));

        // Half-close: the other side still sends, and the closed side still reads.
        Assert.Equal("last words"u8.ToArray(), pair.Send(second, first, "last words"u8.ToArray()));
        second.Close();
        pair.Pump();
        Assert.Equal(TlsStatus.Closed, first.Status);
        Assert.Equal(TlsStatus.Closed, second.Status);
        Assert.Null(first.Failure);
        Assert.Null(second.Failure);
    }

    [Fact]
    public void DataAfterCloseNotifyIsIgnored()
    {
        var keys = new KeyCapture();
        var c = InMemoryPair.DefaultClient();
        c.KeyLog = keys;
        using var logged = new InMemoryPair(InMemoryPair.DefaultServer(), c);
        logged.Handshake();
        logged.Client.Close();
        logged.Pump();
        Assert.True(logged.Server.PeerClosed);
        // A data record the client could have sent after its close_notify (sequence number 1).
        byte[] late = WireSurgery.Seal(CipherSuite.TLS_AES_128_GCM_SHA256, keys[KeyLogLabels.ClientTrafficSecret0], ContentType.ApplicationData, "late"u8, sequence: 1);
        logged.Server.Feed(late);
        Assert.Equal(0, logged.Server.BufferedApplicationData);
        Assert.NotEqual(TlsStatus.Failed, logged.Server.Status);
    }

    [Fact]
    public async Task CloseNotifyDuringTheHandshakeIsUnexpected()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Server.Feed(pair.Client.PendingOutput.Span);
        pair.Client.ConsumeOutput(pair.Client.PendingOutput.Length);
        pair.Server.Feed(WireSurgery.Record(ContentType.Alert, [1, 0]));
        // The alert waits while the host chooses the policy, then is processed after ClientHello, in order.
        Assert.Equal(TlsStatus.WaitingForHost, pair.Server.Status);
        await pair.Server.AnswerHostRequestAsync(CancellationToken.None);
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Server.", "close_notify during the handshake");
    }
}
