using SharpTls.Sessions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// The table of allowed TLS 1.2 message sequences (s2n-tls style), for the full handshake (with and without
/// client authentication, ECDHE and RSA key transport) and the abbreviated one: in each state reached with
/// plaintext handshake messages, every other message type, delivered there, ends in unexpected_message raised
/// by that very state; a handshake message where ChangeCipherSpec is due (a skipped ChangeCipherSpec) too.
/// The same table runs at TLS 1.1, TLS 1.0 and SSL 3.0 (their switches on at both sides, CBC suites; DHE instead of
/// ECDHE at SSL 3.0, which has no extensions to negotiate curves, and resumption by session ID there, as it has no
/// tickets); unexpected_message is one of the alerts SSL 3.0 has (RFC 6101 §5.4.2).
/// </summary>
public class Tls12MessageSequenceTests
{
    public enum Where
    {
        ServerExpectCertificate,
        ServerExpectClientKeyExchange,
        ServerExpectCertificateVerify,
        ServerExpectChangeCipherSpec,
        ClientExpectCertificate,
        ClientExpectServerKeyExchange,
        ClientExpectServerHelloDone,
        ClientExpectServerHelloDoneRsa,
        ClientExpectNewSessionTicket,
        ClientExpectChangeCipherSpec,
        ClientExpectResumedChangeCipherSpec,
        ServerExpectResumedChangeCipherSpec,
    }

    /// <summary>The state, the side whose flight is altered, the message replaced (null: inserted before ChangeCipherSpec), and the types it accepts.</summary>
    private static readonly Dictionary<Where, (string State, bool ServerFlight, HandshakeType? Replaced, HandshakeType[] Allowed)> Table = new()
    {
        [Where.ServerExpectCertificate] = ("Server.Tls12.ExpectCertificate", false, HandshakeType.Certificate, [HandshakeType.Certificate]),
        [Where.ServerExpectClientKeyExchange] = ("Server.Tls12.ExpectClientKeyExchange", false, HandshakeType.ClientKeyExchange, [HandshakeType.ClientKeyExchange]),
        [Where.ServerExpectCertificateVerify] = ("Server.Tls12.ExpectCertificateVerify", false, HandshakeType.CertificateVerify, [HandshakeType.CertificateVerify]),
        [Where.ServerExpectChangeCipherSpec] = ("Server.Tls12.ExpectChangeCipherSpec", false, null, []),
        [Where.ClientExpectCertificate] = ("Client.Tls12.ExpectCertificate", true, HandshakeType.Certificate, [HandshakeType.Certificate]),
        [Where.ClientExpectServerKeyExchange] = ("Client.Tls12.ExpectServerKeyExchange", true, HandshakeType.ServerKeyExchange, [HandshakeType.ServerKeyExchange]),
        [Where.ClientExpectServerHelloDone] = ("Client.Tls12.ExpectServerHelloDone", true, HandshakeType.ServerHelloDone, [HandshakeType.CertificateRequest, HandshakeType.ServerHelloDone]),
        [Where.ClientExpectServerHelloDoneRsa] = ("Client.Tls12.ExpectServerHelloDone", true, HandshakeType.ServerHelloDone, [HandshakeType.CertificateRequest, HandshakeType.ServerHelloDone]),
        [Where.ClientExpectNewSessionTicket] = ("Client.Tls12.ExpectNewSessionTicket", true, HandshakeType.NewSessionTicket, [HandshakeType.NewSessionTicket]),
        [Where.ClientExpectChangeCipherSpec] = ("Client.Tls12.ExpectChangeCipherSpec", true, null, []),
        [Where.ClientExpectResumedChangeCipherSpec] = ("Client.Tls12.ExpectResumedChangeCipherSpec", true, null, []),
        [Where.ServerExpectResumedChangeCipherSpec] = ("Server.Tls12.ExpectResumedChangeCipherSpec", false, null, []),
    };

    private static readonly HandshakeType[] AllTypes =
        [.. Enum.GetValues<HandshakeType>(), (HandshakeType)7, (HandshakeType)99, (HandshakeType)255];

    private static readonly ProtocolVersion[] Versions = [ProtocolVersion.Tls12, ProtocolVersion.Tls11, ProtocolVersion.Tls10, ProtocolVersion.Ssl3];

    public static TheoryData<ProtocolVersion, Where, HandshakeType> Unexpected()
    {
        var data = new TheoryData<ProtocolVersion, Where, HandshakeType>();
        foreach (var version in Versions)
            foreach (var (where, entry) in Table)
                // SSL 3.0 has no NewSessionTicket (no extensions, so no session_ticket).
                if (!(version == ProtocolVersion.Ssl3 && where == Where.ClientExpectNewSessionTicket))
                    foreach (var type in AllTypes)
                        if (!entry.Allowed.Contains(type) && !Ssl3AlsoAllows(version, where, type))
                            data.Add(version, where, type);
        return data;
    }

    /// <summary>An SSL 3.0 client without a certificate sends none (a no_certificate warning at most, RFC 6101 §5.6.6):
    /// ClientKeyExchange may come where Certificate is due, and the policy then decides (LegacyVersionTests).</summary>
    private static bool Ssl3AlsoAllows(ProtocolVersion version, Where where, HandshakeType type)
        => version == ProtocolVersion.Ssl3 && where == Where.ServerExpectCertificate && type == HandshakeType.ClientKeyExchange;

    [Theory]
    [MemberData(nameof(Unexpected))]
    public void Unexpected_message_in_every_tls12_and_legacy_state(ProtocolVersion version, Where where, HandshakeType type)
    {
        var (state, serverFlight, replaced, _) = Table[where];
        using var ring = new TicketKeyRing();
        var store = new ClientSessionStore();
        var cache = new MemorySessionCache();
        bool resumed = where is Where.ClientExpectResumedChangeCipherSpec or Where.ServerExpectResumedChangeCipherSpec;
        if (resumed)
        {
            using var first = Pair(version, where, ring, store, cache);
            first.Handshake();
            Assert.Equal(version, first.Client.Info.Version);
        }
        using var pair = Pair(version, where, ring, store, cache);
        bool done = false;
        Func<byte[], byte[]> alter = wire =>
        {
            if (done || !(resumed ? Contains(wire, ContentType.ChangeCipherSpec) : replaced is null ? Contains(wire, ContentType.ChangeCipherSpec) : ContainsMessage(wire, replaced.Value)))
                return wire;
            done = true;
            return Rewrite(wire, replaced, WireSurgery.Message(type));
        };
        if (serverFlight) pair.ServerToClient = alter;
        else pair.ClientToServer = alter;
        pair.Pump();
        Assert.True(done, "the flight to alter never came");
        var failing = serverFlight ? pair.Client : pair.Server;
        Failures.AssertGenerated(failing, AlertDescription.UnexpectedMessage, state, "");
        Assert.Equal(state, failing.Failure!.InternalState);
        Assert.Equal(version, failing.Info.Version);
        Failures.AssertReceived(serverFlight ? pair.Server : pair.Client, AlertDescription.UnexpectedMessage);
        Assert.Equal(resumed, pair.Server.Info.Resumed);
    }

    private static InMemoryPair Pair(ProtocolVersion version, Where where, TicketKeyRing ring, ClientSessionStore store, MemorySessionCache cache)
    {
        bool ssl3 = version == ProtocolVersion.Ssl3;
        bool rsa = where == Where.ClientExpectServerHelloDoneRsa;
        bool clientAuth = where is Where.ServerExpectCertificate or Where.ServerExpectCertificateVerify;
        var s = InMemoryPair.DefaultServer(rsa || ssl3 ? UnitPki.RsaLeaf : UnitPki.EcdsaLeaf);
        s.Versions = SharpTls.Handshake.VersionSwitches.Flag(version);
        s.TicketKeys = ring;
        s.SessionCache = ssl3 ? cache : null;
        if (clientAuth)
        {
            s.ClientCertificateMode = ClientCertificateMode.Required;
            s.TrustedIssuers = UnitPki.Roots;
        }
        var c = InMemoryPair.DefaultClient();
        c.Versions = s.Versions;
        c.CipherSuites = [(version, rsa) switch
        {
            (ProtocolVersion.Tls12, true) => CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256,
            (ProtocolVersion.Tls12, false) => CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            (_, true) => CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA,
            (ProtocolVersion.Ssl3, false) => CipherSuite.TLS_DHE_RSA_WITH_AES_128_CBC_SHA,
            _ => CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        }];
        bool tickets = where is Where.ClientExpectNewSessionTicket or Where.ClientExpectResumedChangeCipherSpec or Where.ServerExpectResumedChangeCipherSpec;
        c.SessionStore = tickets ? store : null;
        // SSL 3.0 has no ECDSA client certificates (RFC 4492 is TLS only).
        if (clientAuth) c.ClientCertificate = new ServerCertificate(ssl3 ? UnitPki.RsaClientLeaf : UnitPki.ClientLeaf);
        return new InMemoryPair(s, c);
    }

    private static bool Contains(byte[] wire, ContentType type) => WireSurgery.Split(wire).Any(r => r.Type == type);

    private static bool ContainsMessage(byte[] wire, HandshakeType type)
        => PlaintextMessages(WireSurgery.Split(wire)).Any(m => m[0] == (byte)type);

    private static List<byte[]> PlaintextMessages(List<WireRecord> records)
    {
        var stream = records.TakeWhile(r => r.Type != ContentType.ChangeCipherSpec).Where(r => r.Type == ContentType.Handshake).SelectMany(r => r.Fragment).ToArray();
        return WireSurgery.Messages(stream);
    }

    /// <summary>Re-emits the plaintext handshake messages one per record, with <paramref name="replaced"/> swapped for <paramref name="injected"/>, or <paramref name="injected"/> inserted just before ChangeCipherSpec.</summary>
    private static byte[] Rewrite(byte[] wire, HandshakeType? replaced, byte[] injected)
    {
        var records = WireSurgery.Split(wire);
        var messages = PlaintextMessages(records);
        if (replaced is { } type)
        {
            int i = messages.FindIndex(m => m[0] == (byte)type);
            messages[i] = injected;
        }
        else
        {
            messages.Add(injected);
        }
        var rest = records.SkipWhile(r => r.Type != ContentType.ChangeCipherSpec);
        ushort version = records.First(r => r.Type == ContentType.Handshake).Version; // the negotiated version's record version
        return WireSurgery.Join(messages.Select(m => new WireRecord(ContentType.Handshake, version, m)).Concat(rest));
    }
}
