using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>Tickets and PSK resumption (RFC 8446 §4.2.11, §4.6.1), and when resumption is refused.</summary>
public class ResumptionTests
{
    private const string Host = "www.contoso.test";

    /// <summary>A server and a client store after one full handshake that delivered tickets.</summary>
    private static (TlsServerOptions Server, ClientSessionStore Store) FirstConnection(
        Action<TlsServerOptions>? server = null, Action<TlsClientOptions>? client = null, FakeTime? serverTime = null, FakeTime? clientTime = null)
    {
        var s = InMemoryPair.DefaultServer();
        if (serverTime is not null) s.Time = serverTime;
        server?.Invoke(s);
        var store = new ClientSessionStore();
        var c = InMemoryPair.DefaultClient();
        c.SessionStore = store;
        if (clientTime is not null) c.Time = clientTime;
        client?.Invoke(c);
        using var pair = new InMemoryPair(s, c);
        pair.Handshake();
        Assert.False(pair.Client.Info.Resumed);
        Assert.Equal(s.TicketCount, store.Count(Host));
        return (s, store);
    }

    private static InMemoryPair Second(TlsServerOptions server, ClientSessionStore store, Action<TlsClientOptions>? client = null,
        HandshakeTraceCollector? clientTrace = null, FakeTime? clientTime = null)
    {
        var c = InMemoryPair.DefaultClient();
        c.SessionStore = store;
        c.Trace = clientTrace;
        if (clientTime is not null) c.Time = clientTime;
        client?.Invoke(c);
        return new InMemoryPair(server, c);
    }

    private static bool Received(HandshakeTraceCollector trace, HandshakeType type)
        => trace.Entries.Any(e => !e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)type);

    private static bool OfferedPsk(HandshakeTraceCollector trace)
    {
        var hello = trace.Entries.Last(e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.ClientHello);
        return HandshakeMessage.Decode<ClientHello>(hello.Bytes, MessageContext.None).Extensions.Find<PreSharedKeyExtension>() is not null;
    }

    [Fact]
    public void SecondConnectionResumesWithoutCertificate()
    {
        var (server, store) = FirstConnection();
        var trace = new HandshakeTraceCollector();
        using var pair = Second(server, store, clientTrace: trace);
        pair.Handshake();
        Assert.True(pair.Client.Info.Resumed);
        Assert.True(pair.Server.Info.Resumed);
        Assert.True(OfferedPsk(trace));
        Assert.False(Received(trace, HandshakeType.Certificate));
        Assert.False(Received(trace, HandshakeType.CertificateVerify));
        Assert.Null(pair.Server.Info.SignatureScheme);
        Assert.Equal(NamedGroup.X25519MlKem768, pair.Server.Info.Group); // our client sends a hybrid share by default (issue 10)
        Assert.Equal(UnitPki.EcdsaLeaf.Thumbprint, pair.Client.Info.PeerCertificates[0].Thumbprint);
        Assert.Equal("resumed"u8.ToArray(), pair.Send(pair.Client, pair.Server, "resumed"u8.ToArray()));
        Assert.Equal("yes"u8.ToArray(), pair.Send(pair.Server, pair.Client, "yes"u8.ToArray()));
        // A resumed session issues fresh tickets too, and each ticket is used once.
        Assert.Equal(1 + 1, store.Count(Host)); // the unused first ticket, and the one a resumption sends (not TicketCount)
    }

    /// <summary>Our client's hello with psk_key_exchange_modes replaced (the binders are computed over the replaced hello).</summary>
    private static Action<TlsClientOptions> OfferingModes(params PskKeyExchangeMode[] modes) => c => c.Crypto = new ScriptedCryptoProvider("psk-modes")
    {
        ClientHelloReplay = h => HelloRetryRequestTests.Rebuild(h, x => HelloRetryRequestTests.With(x.Extensions, ExtensionType.PskKeyExchangeModes,
            new PskKeyExchangeModesExtension(modes))),
    };

    [Theory]
    [InlineData(new byte[] { 0 }, true, true, false)]     // psk_ke alone, allowed: resumed without a key exchange
    [InlineData(new byte[] { 0 }, false, false, true)]    // psk_ke alone, not allowed: a full handshake
    [InlineData(new byte[] { 0, 1 }, true, true, true)]   // psk_ke listed before psk_dhe_ke: psk_dhe_ke still wins
    public void Rfc8446_4_2_9_psk_dhe_ke_whenever_offered_psk_ke_only_alone_and_allowed(byte[] codes, bool allowPskKe, bool resumed, bool keyExchange)
    {
        // Issue 10 item 7: the server picked psk_ke whenever it was allowed, even with psk_dhe_ke offered (no forward secrecy).
        var modes = codes.Select(c => (PskKeyExchangeMode)c).ToArray();
        var (server, store) = FirstConnection(s => s.AllowPskWithoutKeyExchange = allowPskKe);
        var serverTrace = new HandshakeTraceCollector();
        server.Trace = serverTrace;
        using var pair = Second(server, store, OfferingModes(modes));
        pair.Pump();
        var sh = serverTrace.Entries.First(e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.ServerHello);
        var hello = HandshakeMessage.Decode<ServerHello>(sh.Bytes, MessageContext.None);
        Assert.Equal(resumed, hello.Extensions.Find<PreSharedKeyExtension>() is not null);
        Assert.Equal(keyExchange, hello.Extensions.Find<KeyShareExtension>() is not null);
        if (keyExchange)
        {
            Assert.Equal(TlsStatus.Connected, pair.Client.Status);
            Assert.Equal(resumed, pair.Server.Info.Resumed);
        }
        else
        {
            // Our client never offers psk_ke itself (the hello was rewritten), so it refuses the answer: the server's choice
            // above is what this case checks.
            Failures.AssertGenerated(pair.Client, AlertDescription.MissingExtension, "Client.Tls13.ExpectServerHello", "psk_ke was not offered");
        }
    }

    [Fact]
    public void ResumesThroughHelloRetryRequest()
    {
        var (server, store) = FirstConnection();
        server.Groups = [NamedGroup.Secp256r1];
        using var pair = Second(server, store);
        pair.Handshake();
        Assert.True(pair.Client.Info.HelloRetryRequested);
        Assert.True(pair.Client.Info.Resumed);
        Assert.True(pair.Server.Info.Resumed);
        Assert.Equal(NamedGroup.Secp256r1, pair.Client.Info.Group);
    }

    [Fact]
    public void ResumesWithTheSameAlpn()
    {
        var (server, store) = FirstConnection(s => s.ApplicationProtocols = ["h2", "http/1.1"], c => c.ApplicationProtocols = ["h2"]);
        using var pair = Second(server, store, c => c.ApplicationProtocols = ["h2"]);
        pair.Handshake();
        Assert.True(pair.Server.Info.Resumed);
        Assert.Equal("h2", pair.Client.Info.ApplicationProtocol);
    }

    [Fact]
    public void RefusedWhenTheServerNameDiffers()
    {
        var (server, store) = FirstConnection();
        // Move the ticket to another name so that the client offers it there.
        store.Add("localhost", store.Take(Host, DateTimeOffset.UtcNow)!);
        var trace = new HandshakeTraceCollector();
        using var pair = Second(server, store, c => c.TargetHost = "localhost", trace);
        pair.Handshake();
        Assert.True(OfferedPsk(trace));
        Assert.False(pair.Server.Info.Resumed);
        Assert.False(pair.Client.Info.Resumed);
        Assert.True(Received(trace, HandshakeType.CompressedCertificate)); // a full handshake: the server's certificate (compressed, RFC 8879)
    }

    [Fact]
    public void RefusedWhenAlpnDiffers()
    {
        var (server, store) = FirstConnection(s => s.ApplicationProtocols = ["h2", "http/1.1"], c => c.ApplicationProtocols = ["h2"]);
        var trace = new HandshakeTraceCollector();
        using var pair = Second(server, store, c => c.ApplicationProtocols = ["http/1.1"], trace);
        pair.Handshake();
        Assert.True(OfferedPsk(trace));
        Assert.False(pair.Server.Info.Resumed);
        Assert.False(pair.Client.Info.Resumed);
        Assert.Equal("http/1.1", pair.Client.Info.ApplicationProtocol);
    }

    [Fact]
    public void RefusedWhenTheSuiteHashDiffers()
    {
        var (server, store) = FirstConnection(s => s.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256]);
        server.CipherSuites = [CipherSuite.TLS_AES_256_GCM_SHA384];
        var trace = new HandshakeTraceCollector();
        using var pair = Second(server, store, c => c.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256, CipherSuite.TLS_AES_256_GCM_SHA384], trace);
        pair.Handshake();
        Assert.True(OfferedPsk(trace));
        Assert.False(pair.Server.Info.Resumed);
        Assert.False(pair.Client.Info.Resumed);
        Assert.Equal(CipherSuite.TLS_AES_256_GCM_SHA384, pair.Client.Info.CipherSuite);
    }

    [Fact]
    public void ResumesAcrossSuitesOfTheSameHash()
    {
        var (server, store) = FirstConnection(s => s.CipherSuites = [CipherSuite.TLS_AES_128_GCM_SHA256]);
        server.CipherSuites = [CipherSuite.TLS_CHACHA20_POLY1305_SHA256];
        using var pair = Second(server, store);
        pair.Handshake();
        Assert.True(pair.Server.Info.Resumed);
        Assert.Equal(CipherSuite.TLS_CHACHA20_POLY1305_SHA256, pair.Client.Info.CipherSuite);
    }

    [Fact]
    public void ClientDoesNotOfferATicketWhoseHashItNoLongerOffers()
    {
        var (server, store) = FirstConnection();
        var trace = new HandshakeTraceCollector();
        using var pair = Second(server, store, c => c.CipherSuites = [CipherSuite.TLS_AES_256_GCM_SHA384], trace);
        pair.Handshake();
        Assert.False(OfferedPsk(trace));
        Assert.False(pair.Client.Info.Resumed);
    }

    [Fact]
    public void ServerRefusesAnExpiredTicket()
    {
        var serverTime = new FakeTime();
        var (server, store) = FirstConnection(serverTime: serverTime);
        serverTime.Advance(TimeSpan.FromHours(25));
        var trace = new HandshakeTraceCollector();
        using var pair = Second(server, store, clientTrace: trace);
        pair.Handshake();
        Assert.True(OfferedPsk(trace));
        Assert.False(pair.Server.Info.Resumed);
        Assert.False(pair.Client.Info.Resumed);
    }

    [Fact]
    public void ServerResumesATicketWithinItsLifetime()
    {
        var serverTime = new FakeTime();
        var clientTime = new FakeTime(serverTime.Now);
        var (server, store) = FirstConnection(serverTime: serverTime, clientTime: clientTime);
        serverTime.Advance(TimeSpan.FromHours(23));
        clientTime.Advance(TimeSpan.FromHours(23));
        using var pair = Second(server, store, clientTime: clientTime);
        pair.Handshake();
        Assert.True(pair.Server.Info.Resumed);
    }

    [Fact]
    public void ServerRefusesATicketWhoseAgeTheClientMisreports()
    {
        // The client's clock says the ticket is fresh, the server's that it is 10 minutes old.
        var serverTime = new FakeTime();
        var (server, store) = FirstConnection(serverTime: serverTime);
        serverTime.Advance(TimeSpan.FromMinutes(10));
        using var pair = Second(server, store);
        pair.Handshake();
        Assert.False(pair.Server.Info.Resumed);
    }

    [Fact]
    public void ClientDropsAnExpiredTicket()
    {
        var clientTime = new FakeTime();
        var (server, store) = FirstConnection(clientTime: clientTime);
        clientTime.Advance(TimeSpan.FromHours(25));
        var trace = new HandshakeTraceCollector();
        using var pair = Second(server, store, clientTrace: trace, clientTime: clientTime);
        pair.Handshake();
        Assert.False(OfferedPsk(trace));
        Assert.False(pair.Client.Info.Resumed);
    }

    [Fact]
    public void TicketFromAnotherServerKeyRingIsIgnored()
    {
        var (_, store) = FirstConnection();
        using var pair = Second(InMemoryPair.DefaultServer(), store);
        pair.Handshake();
        Assert.False(pair.Server.Info.Resumed);
    }

    [Fact]
    public void NoTicketsWhenDisabled()
    {
        var s = InMemoryPair.DefaultServer();
        s.EnableSessionTickets = false;
        var store = new ClientSessionStore();
        var c = InMemoryPair.DefaultClient();
        c.SessionStore = store;
        using var pair = new InMemoryPair(s, c);
        pair.Handshake();
        Assert.Equal(0, store.Count(Host));
    }

    [Fact]
    public void WrongBinderIsDecryptError()
    {
        var (server, store) = FirstConnection();
        using var pair = Second(server, store);
        pair.ClientToServer = wire =>
        {
            var records = WireSurgery.Split(wire);
            var first = records[0];
            if (first.Type == ContentType.Handshake && first.Fragment[0] == (byte)HandshakeType.ClientHello)
                records[0] = first with { Fragment = WireSurgery.FlipLastByte(first.Fragment) };
            return WireSurgery.Join(records);
        };
        pair.HandshakeFails(pair.Server, AlertDescription.DecryptError, "AwaitPolicy", "binder");
    }

    /// <summary>What a server's provider handed out, each draw kept (to find a ticket's nonce among them).</summary>
    private sealed class RecordingProvider : DefaultCryptoProvider
    {
        public List<byte[]> Draws { get; } = [];

        public override void Fill(Span<byte> destination)
        {
            base.Fill(destination);
            lock (Draws) Draws.Add(destination.ToArray());
        }
    }

    [Fact]
    public void Tls13_ticket_nonces_come_from_the_connections_provider()
    {
        // TLS 1.3 tickets drew their 12-byte AES-GCM nonce from the OS RNG, past the provider (TLS 1.2's already used the
        // provider): a provider that injects randomness (a replay, an HSM-backed source) did not see those draws.
        var provider = new RecordingProvider();
        var (_, store) = FirstConnection(s => s.Crypto = provider);
        int tickets = 0;
        while (store.Take(Host, DateTimeOffset.UtcNow) is { } ticket)
        {
            byte[] nonce = ticket.Ticket.AsSpan(16, 12).ToArray(); // key_id(16) || nonce(12) || sealed state || tag
            lock (provider.Draws) Assert.Contains(provider.Draws, d => d.AsSpan().SequenceEqual(nonce));
            tickets++;
        }
        Assert.Equal(2, tickets);
    }
}
