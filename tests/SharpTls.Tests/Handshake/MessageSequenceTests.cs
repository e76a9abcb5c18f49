using SharpTls.Diagnostics;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// The table of allowed TLS 1.3 message sequences (s2n-tls style): for each state of each side,
/// the handshake message types it accepts. Every other type, delivered in that state, must end
/// in unexpected_message raised by that very state.
/// </summary>
public class MessageSequenceTests
{
    public enum Where
    {
        ServerExpectClientHello,
        ServerExpectSecondClientHello,
        ServerExpectCertificate,
        ServerExpectCertificateVerify,
        ServerExpectFinished,
        ServerConnected,
        ClientExpectServerHello,
        ClientExpectEncryptedExtensions,
        ClientExpectCertificate,
        ClientExpectCertificateAfterRequest,
        ClientExpectCertificateVerify,
        ClientExpectFinished,
        ClientConnected,
    }

    /// <summary>The state (as reported in events) and the message types it accepts.</summary>
    private static readonly Dictionary<Where, (string State, HandshakeType[] Allowed)> Table = new()
    {
        [Where.ServerExpectClientHello] = ("Server.ExpectClientHello", [HandshakeType.ClientHello]),
        [Where.ServerExpectSecondClientHello] = ("Server.Tls13.ExpectSecondClientHello", [HandshakeType.ClientHello]),
        [Where.ServerExpectCertificate] = ("Server.Tls13.ExpectCertificate", [HandshakeType.Certificate, HandshakeType.CompressedCertificate]),
        [Where.ServerExpectCertificateVerify] = ("Server.Tls13.ExpectCertificateVerify", [HandshakeType.CertificateVerify]),
        [Where.ServerExpectFinished] = ("Server.Tls13.ExpectFinished", [HandshakeType.Finished]),
        [Where.ServerConnected] = ("Server.Tls13.Connected", [HandshakeType.KeyUpdate]),
        [Where.ClientExpectServerHello] = ("Client.Tls13.ExpectServerHello", [HandshakeType.ServerHello]),
        [Where.ClientExpectEncryptedExtensions] = ("Client.Tls13.ExpectEncryptedExtensions", [HandshakeType.EncryptedExtensions]),
        // RFC 8879: where a Certificate belongs, a CompressedCertificate may come instead (both sides offer compression by default).
        [Where.ClientExpectCertificate] = ("Client.Tls13.ExpectCertificate", [HandshakeType.CertificateRequest, HandshakeType.Certificate, HandshakeType.CompressedCertificate]),
        [Where.ClientExpectCertificateAfterRequest] = ("Client.Tls13.ExpectCertificate", [HandshakeType.Certificate, HandshakeType.CompressedCertificate]),
        [Where.ClientExpectCertificateVerify] = ("Client.Tls13.ExpectCertificateVerify", [HandshakeType.CertificateVerify]),
        [Where.ClientExpectFinished] = ("Client.Tls13.ExpectFinished", [HandshakeType.Finished]),
        [Where.ClientConnected] = ("Client.Tls13.Connected", [HandshakeType.KeyUpdate, HandshakeType.NewSessionTicket]),
    };

    /// <summary>Every registered handshake type, plus unassigned values.</summary>
    private static readonly HandshakeType[] AllTypes =
        [.. Enum.GetValues<HandshakeType>(), (HandshakeType)7, (HandshakeType)99, (HandshakeType)255];

    public static TheoryData<Where, HandshakeType> Unexpected()
    {
        var data = new TheoryData<Where, HandshakeType>();
        foreach (var (where, (_, allowed)) in Table)
            foreach (var type in AllTypes)
                if (!allowed.Contains(type))
                    data.Add(where, type);
        return data;
    }

    [Theory]
    [MemberData(nameof(Unexpected))]
    public void UnexpectedMessageInEveryState(Where where, HandshakeType type)
    {
        var (state, _) = Table[where];
        byte[] injected = WireSurgery.Message(type);
        var failing = Inject(where, injected, out var peer);
        try
        {
            Failures.AssertGenerated(failing, AlertDescription.UnexpectedMessage, state, "");
            Assert.Equal(state, failing.Failure!.InternalState);
            if (peer is not null) Failures.AssertReceived(peer, AlertDescription.UnexpectedMessage);
        }
        finally
        {
            failing.Dispose();
            peer?.Dispose();
        }
    }

    /// <summary>Brings a connection to <paramref name="where"/> and delivers <paramref name="message"/> there.</summary>
    private static TlsConnection Inject(Where where, byte[] message, out TlsConnection? peer)
    {
        peer = null;
        var plaintext = WireSurgery.Record(ContentType.Handshake, message);
        switch (where)
        {
            case Where.ServerExpectClientHello:
                return NegativeTests.FeedServer(plaintext);
            case Where.ClientExpectServerHello:
            {
                var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
                client.Feed(plaintext);
                return client;
            }
            case Where.ServerExpectSecondClientHello:
            {
                var s = InMemoryPair.DefaultServer();
                s.Groups = [NamedGroup.Secp256r1];
                var pair = new InMemoryPair(s, InMemoryPair.DefaultClient());
                pair.ServerToClient = _ => [];
                pair.Pump();
                Assert.True(pair.Server.Info.HelloRetryRequested);
                pair.Server.Feed(plaintext);
                pair.Client.Dispose();
                return pair.Server;
            }
            case Where.ServerConnected or Where.ClientConnected:
            {
                bool toServer = where == Where.ServerConnected;
                var keys = new KeyCapture();
                var s = InMemoryPair.DefaultServer();
                s.KeyLog = keys;
                s.EnableSessionTickets = false;
                var pair = new InMemoryPair(s, InMemoryPair.DefaultClient());
                pair.Handshake();
                byte[] secret = keys[toServer ? KeyLogLabels.ClientTrafficSecret0 : KeyLogLabels.ServerTrafficSecret0];
                var target = toServer ? pair.Server : pair.Client;
                target.Feed(WireSurgery.Seal(CipherSuite.TLS_AES_128_GCM_SHA256, secret, ContentType.Handshake, message));
                pair.Pump();
                peer = toServer ? pair.Client : pair.Server;
                return target;
            }
            default:
            {
                var keys = new KeyCapture();
                var s = InMemoryPair.DefaultServer();
                s.KeyLog = keys;
                var c = InMemoryPair.DefaultClient();
                bool serverFlight = where.ToString().StartsWith("Client", StringComparison.Ordinal);
                if (where is Where.ServerExpectCertificate or Where.ServerExpectCertificateVerify or Where.ClientExpectCertificateAfterRequest)
                {
                    s.ClientCertificateMode = ClientCertificateMode.Required;
                    s.TrustedIssuers = UnitPki.Roots;
                    c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
                }
                var replaced = where switch
                {
                    Where.ServerExpectCertificate or Where.ClientExpectCertificate or Where.ClientExpectCertificateAfterRequest => HandshakeType.CompressedCertificate,
                    Where.ServerExpectCertificateVerify or Where.ClientExpectCertificateVerify => HandshakeType.CertificateVerify,
                    Where.ServerExpectFinished or Where.ClientExpectFinished => HandshakeType.Finished,
                    Where.ClientExpectEncryptedExtensions => HandshakeType.EncryptedExtensions,
                    _ => throw new ArgumentOutOfRangeException(nameof(where)),
                };
                var pair = new InMemoryPair(s, c);
                var rewrite = WireSurgery.RewriteHandshakeFlight(keys, serverFlight, CipherSuite.TLS_AES_128_GCM_SHA256,
                    WireSurgery.Replace(replaced, _ => message));
                if (serverFlight) pair.ServerToClient = rewrite;
                else pair.ClientToServer = rewrite;
                pair.Pump();
                peer = serverFlight ? pair.Server : pair.Client;
                return serverFlight ? pair.Client : pair.Server;
            }
        }
    }

    [Fact]
    public void AFullHandshakeFollowsTheTable()
    {
        var serverTrace = new HandshakeTraceCollector();
        var clientTrace = new HandshakeTraceCollector();
        var s = InMemoryPair.DefaultServer();
        s.ClientCertificateMode = ClientCertificateMode.Required;
        s.TrustedIssuers = UnitPki.Roots;
        s.Trace = serverTrace;
        var c = InMemoryPair.DefaultClient();
        c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
        c.Trace = clientTrace;
        using var pair = new InMemoryPair(s, c);
        pair.Handshake();
        pair.Client.UpdateKeys(requestPeer: true);
        pair.Pump();

        static HandshakeType[] Received(HandshakeTraceCollector t) =>
            t.Entries.Where(e => !e.Sent && e.ContentType == ContentType.Handshake).Select(e => (HandshakeType)e.Bytes[0]).ToArray();
        Assert.Equal(
            [HandshakeType.ClientHello, HandshakeType.CompressedCertificate, HandshakeType.CertificateVerify, HandshakeType.Finished, HandshakeType.KeyUpdate],
            Received(serverTrace));
        Assert.Equal(
            [
                HandshakeType.ServerHello, HandshakeType.EncryptedExtensions, HandshakeType.CertificateRequest, HandshakeType.CompressedCertificate,
                HandshakeType.CertificateVerify, HandshakeType.Finished, HandshakeType.NewSessionTicket, HandshakeType.NewSessionTicket,
                HandshakeType.KeyUpdate,
            ],
            Received(clientTrace));
    }
}
