using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Messages;

/// <summary>
/// Limits on sizes a peer controls that the wire format bounds only by 2^16-1 (issue 10): the count of
/// certificate_authorities, the length of a session ticket and of a PSK identity, the count of PSK identities (<see cref="PeerLimits"/>). At the limit a
/// message is taken; one past it is illegal_parameter, with the limit in the reason (the 36888 event).
/// </summary>
public class PeerLimitsTests
{
    private static readonly MessageContext Tls12 = MessageContext.Negotiated(ProtocolVersion.Tls12, (ushort)CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256);

    /// <summary><paramref name="count"/> distinct minimal names (DER of an empty Name is 30 00; these carry a counter).</summary>
    private static byte[][] Names(int count) => [.. Enumerable.Range(0, count).Select(i => new byte[] { 0x30, 0x02, (byte)(i >> 8), (byte)i })];

    private static void AssertOverLimit(Action decode, string reason)
    {
        var e = Assert.Throws<TlsProtocolException>(decode);
        Assert.Equal(AlertDescription.IllegalParameter, e.Alert);
        Assert.Contains(reason, e.Reason);
    }

    [Fact]
    public void Rfc5246_7_4_4_a_certificate_request_with_more_authorities_than_the_limit_is_illegal_parameter()
    {
        var request = (int n) => new CertificateRequest
        {
            CertificateTypes = [ClientCertificateType.EcdsaSign],
            SignatureAlgorithms = [SignatureScheme.EcdsaSecp256r1Sha256],
            CertificateAuthorities = Names(n),
        }.Encode();
        var taken = HandshakeMessage.Decode<CertificateRequest>(request(PeerLimits.MaxCertificateAuthorities), Tls12);
        Assert.Equal(PeerLimits.MaxCertificateAuthorities, taken.CertificateAuthorities.Count);
        AssertOverLimit(() => HandshakeMessage.Decode<CertificateRequest>(request(PeerLimits.MaxCertificateAuthorities + 1), Tls12),
            $"{PeerLimits.MaxCertificateAuthorities + 1} certificate authorities; at most {PeerLimits.MaxCertificateAuthorities}");
    }

    [Fact]
    public void Rfc8446_4_2_4_a_certificate_authorities_extension_past_the_limit_is_illegal_parameter()
    {
        var request = (int n) => new CertificateRequest
        {
            Context = [],
            Extensions = [new SignatureAlgorithmsExtension([SignatureScheme.EcdsaSecp256r1Sha256]), new CertificateAuthoritiesExtension(Names(n))],
        }.Encode();
        var taken = HandshakeMessage.Decode<CertificateRequest>(request(PeerLimits.MaxCertificateAuthorities), MessageContext.Tls13);
        Assert.Equal(PeerLimits.MaxCertificateAuthorities, taken.Extensions.Find<CertificateAuthoritiesExtension>()!.Authorities.Count);
        AssertOverLimit(() => HandshakeMessage.Decode<CertificateRequest>(request(PeerLimits.MaxCertificateAuthorities + 1), MessageContext.Tls13),
            "certificate_authorities: 1025 certificate authorities");
    }

    [Fact]
    public void Rfc8446_4_3_2_our_client_refuses_a_server_asking_with_too_many_authorities()
    {
        // The server's real CertificateRequest, its certificate_authorities replaced by 1,025 names.
        var keys = new KeyCapture();
        var server = InMemoryPair.DefaultServer();
        server.KeyLog = keys;
        server.ClientCertificateMode = ClientCertificateMode.Required;
        server.TrustedIssuers = [.. UnitPki.Roots];
        var client = InMemoryPair.DefaultClient();
        client.ClientCertificate = new ServerCertificate(UnitPki.ClientLeaf);
        using var pair = new InMemoryPair(server, client);
        pair.ServerToClient = WireSurgery.RewriteHandshakeFlight(keys, serverFlight: true, CipherSuite.TLS_AES_128_GCM_SHA256,
            WireSurgery.Replace(HandshakeType.CertificateRequest, m =>
            {
                var r = HandshakeMessage.Decode<CertificateRequest>(m, MessageContext.Tls13);
                Assert.NotNull(r.Extensions.Find<CertificateAuthoritiesExtension>());
                return new CertificateRequest
                {
                    Context = r.Context,
                    Extensions = HelloRetryRequestTests.With(r.Extensions, ExtensionType.CertificateAuthorities,
                        new CertificateAuthoritiesExtension(Names(PeerLimits.MaxCertificateAuthorities + 1))),
                }.Encode();
            }));
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectCertificate", "at most 1024 are accepted");
    }

    [Fact]
    public void Rfc8446_4_6_1_a_new_session_ticket_longer_than_the_limit_is_illegal_parameter()
    {
        var ticket = (int n) => new NewSessionTicket { Lifetime = 600, AgeAdd = 1, Nonce = [0], Ticket = new byte[n] }.Encode();
        Assert.Equal(PeerLimits.MaxTicketLength, HandshakeMessage.Decode<NewSessionTicket>(ticket(PeerLimits.MaxTicketLength), MessageContext.Tls13).Ticket.Length);
        AssertOverLimit(() => HandshakeMessage.Decode<NewSessionTicket>(ticket(PeerLimits.MaxTicketLength + 1), MessageContext.Tls13),
            $"NewSessionTicket.ticket of {PeerLimits.MaxTicketLength + 1} bytes; at most {PeerLimits.MaxTicketLength}");
    }

    [Fact]
    public void Rfc5077_3_3_a_tls12_new_session_ticket_longer_than_the_limit_is_illegal_parameter()
    {
        var ticket = (int n) => new NewSessionTicket { Lifetime = 600, Ticket = new byte[n] }.Encode();
        Assert.Equal(PeerLimits.MaxTicketLength, HandshakeMessage.Decode<NewSessionTicket>(ticket(PeerLimits.MaxTicketLength), Tls12).Ticket.Length);
        AssertOverLimit(() => HandshakeMessage.Decode<NewSessionTicket>(ticket(0xFFFF), Tls12), "NewSessionTicket.ticket of 65535 bytes");
    }

    [Fact]
    public void Rfc8446_4_2_11_our_server_refuses_a_psk_identity_longer_than_the_limit()
    {
        // Our client's ClientHello with a pre_shared_key (the last extension) whose identity is one byte past the limit.
        var client = InMemoryPair.DefaultClient();
        client.Crypto = new ScriptedCryptoProvider("long-psk-identity")
        {
            ClientHelloReplay = h => HelloRetryRequestTests.Rebuild(h, x => HelloRetryRequestTests.With(x.Extensions, ExtensionType.PreSharedKey,
                new PreSharedKeyExtension
                {
                    Identities = [new PskIdentity(new byte[PeerLimits.MaxTicketLength + 1], 0)],
                    Binders = [new byte[32]],
                })),
        };
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.HandshakeFails(pair.Server, AlertDescription.IllegalParameter, "Server.ExpectClientHello",
            $"PskIdentity.identity of {PeerLimits.MaxTicketLength + 1} bytes; at most {PeerLimits.MaxTicketLength}");
    }

    /// <summary>A pre_shared_key with <paramref name="count"/> identities (and as many binders), in a ClientHello.</summary>
    private static PreSharedKeyExtension Identities(int count) => new()
    {
        Identities = [.. Enumerable.Range(0, count).Select(i => new PskIdentity([(byte)i, (byte)(i >> 8), 1, 2, 3, 4, 5, 6], (uint)i))],
        Binders = [.. Enumerable.Range(0, count).Select(_ => new byte[32])],
    };

    [Fact]
    public void Rfc8446_4_2_11_a_pre_shared_key_with_more_identities_than_the_limit_is_illegal_parameter()
    {
        var hello = (int n) => new ClientHello
        {
            CipherSuites = [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256],
            Extensions = [new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13] }, Identities(n)],
        }.Encode();
        var taken = HandshakeMessage.Decode<ClientHello>(hello(PeerLimits.MaxPskIdentities), MessageContext.None);
        Assert.Equal(PeerLimits.MaxPskIdentities, taken.Extensions.Find<PreSharedKeyExtension>()!.Identities.Count);
        AssertOverLimit(() => HandshakeMessage.Decode<ClientHello>(hello(PeerLimits.MaxPskIdentities + 1), MessageContext.None),
            $"pre_shared_key: {PeerLimits.MaxPskIdentities + 1} identities; at most {PeerLimits.MaxPskIdentities} are accepted");
        // The count in the reason is the whole list's, not where reading stopped.
        AssertOverLimit(() => HandshakeMessage.Decode<ClientHello>(hello(1000), MessageContext.None), "pre_shared_key: 1000 identities");
    }

    [Fact]
    public void Rfc8446_4_2_11_our_server_refuses_a_hello_with_more_psk_identities_than_the_limit()
    {
        // Our client's ClientHello with a pre_shared_key (the last extension) of 17 identities: refused before any ticket is opened.
        var client = InMemoryPair.DefaultClient();
        client.Crypto = new ScriptedCryptoProvider("many-psk-identities")
        {
            ClientHelloReplay = h => HelloRetryRequestTests.Rebuild(h, x => HelloRetryRequestTests.With(x.Extensions, ExtensionType.PreSharedKey,
                Identities(PeerLimits.MaxPskIdentities + 1))),
        };
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.HandshakeFails(pair.Server, AlertDescription.IllegalParameter, "Server.ExpectClientHello",
            $"{PeerLimits.MaxPskIdentities + 1} identities; at most {PeerLimits.MaxPskIdentities} are accepted");
    }

    [Fact]
    public void Rfc8446_4_2_11_a_psk_identity_at_the_limit_is_taken()
    {
        var identity = new PreSharedKeyExtension { Identities = [new PskIdentity(new byte[PeerLimits.MaxTicketLength], 0)], Binders = [new byte[32]] };
        var hello = new ClientHello
        {
            CipherSuites = [(ushort)CipherSuite.TLS_AES_128_GCM_SHA256],
            Extensions = [new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13] }, identity],
        };
        var back = HandshakeMessage.Decode<ClientHello>(hello.Encode(), MessageContext.None);
        Assert.Equal(PeerLimits.MaxTicketLength, back.Extensions.Find<PreSharedKeyExtension>()!.Identities[0].Identity.Length);
    }
}
