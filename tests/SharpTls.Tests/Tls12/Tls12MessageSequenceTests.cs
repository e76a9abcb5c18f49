using SharpTls.Sessions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// The table of allowed TLS 1.2 message sequences (s2n-tls style), for the full handshake (with and without
/// client authentication, ECDHE and RSA key transport) and the abbreviated one: in each state reached with
/// plaintext handshake messages, every other message type, delivered there, ends in unexpected_message raised
/// by that very state; a handshake message where ChangeCipherSpec is due (a skipped ChangeCipherSpec) too.
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

    public static TheoryData<Where, HandshakeType> Unexpected()
    {
        var data = new TheoryData<Where, HandshakeType>();
        foreach (var (where, entry) in Table)
            foreach (var type in AllTypes)
                if (!entry.Allowed.Contains(type))
                    data.Add(where, type);
        return data;
    }

    [Theory]
    [MemberData(nameof(Unexpected))]
    public void Unexpected_message_in_every_tls12_state(Where where, HandshakeType type)
    {
        var (state, serverFlight, replaced, _) = Table[where];
        using var ring = new TicketKeyRing();
        var store = new ClientSessionStore();
        bool resumed = where is Where.ClientExpectResumedChangeCipherSpec or Where.ServerExpectResumedChangeCipherSpec;
        if (resumed)
        {
            using var first = Pair(where, ring, store);
            first.Handshake();
        }
        using var pair = Pair(where, ring, store);
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
    }

    private static InMemoryPair Pair(Where where, TicketKeyRing ring, ClientSessionStore store)
    {
        bool rsa = where == Where.ClientExpectServerHelloDoneRsa;
        bool clientAuth = where is Where.ServerExpectCertificate or Where.ServerExpectCertificateVerify;
        var s = InMemoryPair.DefaultServer(rsa ? UnitPki.RsaLeaf : UnitPki.EcdsaLeaf);
        s.Versions = TlsVersions.Tls12;
        s.TicketKeys = ring;
        s.SessionCache = null;
        if (clientAuth)
        {
            s.ClientCertificateMode = ClientCertificateMode.Required;
            s.TrustedIssuers = UnitPki.Roots;
        }
        var c = InMemoryPair.DefaultClient();
        c.Versions = TlsVersions.Tls12;
        c.CipherSuites = [rsa ? CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256 : CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256];
        bool tickets = where is Where.ClientExpectNewSessionTicket or Where.ClientExpectResumedChangeCipherSpec or Where.ServerExpectResumedChangeCipherSpec;
        c.SessionStore = tickets ? store : null;
        if (clientAuth) c.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
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
        return WireSurgery.Join(messages.Select(m => new WireRecord(ContentType.Handshake, 0x0303, m)).Concat(rest));
    }
}
