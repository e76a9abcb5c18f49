using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;
using static SharpTls.Tests.Messages.MessageTestKit;

namespace SharpTls.Tests.Messages;

/// <summary>decode(encode(x)) has x's fields, and re-encoding is byte-identical, for every message and form.</summary>
public class MessageRoundTripTests
{
    private static readonly MessageContext Tls12 = new(ProtocolVersion.Tls12);
    private static readonly MessageContext Tls10 = new(ProtocolVersion.Tls10);
    private static readonly MessageContext Ssl3 = new(ProtocolVersion.Ssl3);

    private static byte[] Bytes(int n, byte seed = 1) => Enumerable.Range(0, n).Select(i => (byte)(seed + i)).ToArray();

    [Fact]
    public void ClientHelloWithoutExtensionsField()
    {
        var ch = RoundTrip(new ClientHello
        {
            LegacyVersion = ProtocolVersion.Ssl3, Random = Bytes(32), SessionId = Bytes(32, 9), CipherSuites = [0x000a, 0x002f],
            OmitExtensions = true,
        });
        Assert.True(ch.OmitExtensions);
        Assert.Equal(ProtocolVersion.Ssl3, ch.LegacyVersion);
        Assert.Equal(Bytes(32, 9), ch.SessionId);
        Assert.Equal(4 + 2 + 32 + 33 + 2 + 4 + 2, ch.Raw.Length);
    }

    [Fact]
    public void ClientHelloWithEmptyExtensionsFieldKeepsIt()
    {
        var ch = RoundTrip(new ClientHello { Random = Bytes(32), CipherSuites = [0xc02f] });
        Assert.False(ch.OmitExtensions);
        Assert.Empty(ch.Extensions);
    }

    [Fact]
    public void ClientHelloWithGreaseAndPskKeepsOrderAndComputesBinderTail()
    {
        var ch = RoundTrip(new ClientHello
        {
            Random = Bytes(32), SessionId = Bytes(32), CipherSuites = [0x2A2A, 0x1301],
            Extensions =
            [
                new UnknownExtension(0x1A1A, []),
                new SupportedVersionsExtension { Versions = [(ProtocolVersion)0x3A3A, ProtocolVersion.Tls13, ProtocolVersion.Tls12] },
                new UnknownExtension(0x4242, [1, 2, 3]),
                new PreSharedKeyExtension
                {
                    Identities = [new PskIdentity(Bytes(40), 12345), new PskIdentity(Bytes(1), 0)],
                    Binders = [Bytes(32), Bytes(48)],
                },
            ],
        });
        Assert.Equal([(ExtensionType)0x1A1A, ExtensionType.SupportedVersions, (ExtensionType)0x4242, ExtensionType.PreSharedKey], ch.Extensions.Types);
        Assert.True(((UnknownExtension)ch.Extensions[0]).IsGrease);
        Assert.Equal([1, 2, 3], ((UnknownExtension)ch.Extensions[2]).Data);
        var psk = ch.Extensions.Find<PreSharedKeyExtension>()!;
        Assert.Equal(12345u, psk.Identities[0].ObfuscatedTicketAge);
        Assert.Equal(2 + 33 + 49, psk.BindersLength);
        var truncated = ch.TruncatedForBinders();
        Assert.Equal(ch.Raw.Length - 84, truncated.Length);
        Assert.True(ch.Raw.Span.EndsWith(Bytes(48)));
    }

    [Fact]
    public void ServerHelloTls12WithoutExtensions()
    {
        var sh = RoundTrip(new ServerHello { LegacyVersion = ProtocolVersion.Ssl3, Random = Bytes(32), CipherSuite = 0x000a, OmitExtensions = true });
        Assert.True(sh.OmitExtensions);
        Assert.Equal(ProtocolVersion.Ssl3, sh.SelectedVersion);
    }

    [Fact]
    public void HelloRetryRequestIsRecognisedAndItsExtensionsUseTheHrrForms()
    {
        var hrr = RoundTrip(ServerHello.HelloRetryRequest(Bytes(32), 0x1301,
        [
            new SupportedVersionsExtension { Selected = ProtocolVersion.Tls13 },
            new KeyShareExtension { SelectedGroup = NamedGroup.Secp256r1 },
            new CookieExtension(Bytes(100)),
        ]));
        Assert.True(hrr.IsHelloRetryRequest);
        Assert.Equal(NamedGroup.Secp256r1, hrr.Extensions.Find<KeyShareExtension>()!.SelectedGroup);
        Assert.Equal(Bytes(100), hrr.Extensions.Find<CookieExtension>()!.Cookie);
        Assert.Equal(ProtocolVersion.Tls13, hrr.SelectedVersion);
        Assert.Equal(Convert.FromHexString("CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C"), hrr.Random);
    }

    [Fact]
    public void EmptyMessages()
    {
        Assert.Equal([0, 0, 0, 0], RoundTrip(new HelloRequest()).Raw.ToArray());
        Assert.Equal([14, 0, 0, 0], RoundTrip(new ServerHelloDone()).Raw.ToArray());
        Assert.Equal([5, 0, 0, 0], RoundTrip(new EndOfEarlyData()).Raw.ToArray());
    }

    [Fact]
    public void CertificateTls12AndEmpty()
    {
        var c = RoundTrip(CertificateMessage.Tls12([Bytes(300), Bytes(5)]), Tls12);
        Assert.False(c.IsTls13);
        Assert.Equal(2, c.Entries.Count);
        Assert.Equal(Bytes(5), c.Entries[1].Data);
        Assert.Empty(RoundTrip(CertificateMessage.Tls12([]), Ssl3).Entries);
    }

    [Fact]
    public void CertificateTls13WithPerEntryExtensions()
    {
        var c = RoundTrip(new CertificateMessage
        {
            RequestContext = Bytes(4),
            Entries =
            [
                new CertificateEntry(Bytes(200), [new StatusRequestExtension { OcspResponse = Bytes(50) },
                    new SignedCertificateTimestampExtension { Timestamps = [Bytes(10), Bytes(20)] }]),
                new CertificateEntry(Bytes(100)),
            ],
        }, MessageContext.Tls13);
        Assert.True(c.IsTls13);
        Assert.Equal(Bytes(4), c.RequestContext);
        Assert.Equal(Bytes(50), c.Entries[0].Extensions.Find<StatusRequestExtension>()!.OcspResponse);
        Assert.Equal(2, c.Entries[0].Extensions.Find<SignedCertificateTimestampExtension>()!.Timestamps.Count);
        Assert.Empty(c.Entries[1].Extensions);
    }

    [Fact]
    public void ServerKeyExchangeEcdheTls12AndTls10()
    {
        var ske = new ServerKeyExchange
        {
            KeyExchange = KeyExchangeKind.Ecdhe, Group = NamedGroup.X25519, PublicKey = Bytes(32),
            SignatureScheme = SignatureScheme.RsaPssRsaeSha256, Signature = Bytes(256),
        };
        var d = RoundTrip(ske, new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Ecdhe));
        Assert.Equal(NamedGroup.X25519, d.Group);
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, d.SignatureScheme);
        Assert.Equal([3, 0, 29, 32, .. Bytes(32)], d.EncodeParams());

        var old = RoundTrip(new ServerKeyExchange { Group = NamedGroup.Secp256r1, PublicKey = Bytes(65), Signature = Bytes(36) },
            new MessageContext(ProtocolVersion.Tls10, KeyExchangeKind.Ecdhe));
        Assert.Null(old.SignatureScheme);
        Assert.Equal(Bytes(36), old.Signature);
    }

    [Fact]
    public void ServerKeyExchangeDheSignedAndAnonymous()
    {
        var d = RoundTrip(new ServerKeyExchange
        {
            KeyExchange = KeyExchangeKind.Dhe, DhP = Bytes(256), DhG = [2], PublicKey = Bytes(256, 7),
            SignatureScheme = SignatureScheme.RsaPkcs1Sha256, Signature = Bytes(256),
        }, new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Dhe));
        Assert.Equal([2], d.DhG);
        Assert.Equal(Bytes(256, 7), d.PublicKey);

        var anon = RoundTrip(new ServerKeyExchange { KeyExchange = KeyExchangeKind.DhAnon, DhP = Bytes(64), DhG = [5], PublicKey = Bytes(64) },
            new MessageContext(ProtocolVersion.Ssl3, KeyExchangeKind.DhAnon));
        Assert.Empty(anon.Signature);
        Assert.Equal(anon.EncodeParams(), anon.Raw[4..].ToArray());
    }

    [Fact]
    public void CertificateRequestAllForms()
    {
        var r12 = RoundTrip(new CertificateRequest
        {
            CertificateTypes = [ClientCertificateType.RsaSign, ClientCertificateType.EcdsaSign],
            SignatureAlgorithms = [SignatureScheme.RsaPkcs1Sha256, SignatureScheme.EcdsaSecp256r1Sha256],
            CertificateAuthorities = [Bytes(40), Bytes(50)],
        }, Tls12);
        Assert.Equal(2, r12.SignatureAlgorithms!.Count);
        Assert.Equal(Bytes(50), r12.CertificateAuthorities[1]);

        var r10 = RoundTrip(new CertificateRequest { CertificateTypes = [ClientCertificateType.RsaSign] }, Tls10);
        Assert.Null(r10.SignatureAlgorithms);
        Assert.Empty(r10.CertificateAuthorities);

        var r13 = RoundTrip(new CertificateRequest
        {
            Context = [],
            Extensions =
            [
                new SignatureAlgorithmsExtension([SignatureScheme.Ed25519]),
                new CertificateAuthoritiesExtension([Bytes(20)]),
                new OidFiltersExtension([new OidFilter(Bytes(3), Bytes(4)), new OidFilter(Bytes(5), [])]),
                StatusRequestExtension.Ocsp(),
                new SignedCertificateTimestampExtension(),
            ],
        }, MessageContext.Tls13);
        Assert.True(r13.IsTls13);
        Assert.Equal(2, r13.Extensions.Find<OidFiltersExtension>()!.Filters.Count);
    }

    [Fact]
    public void ClientKeyExchangeAllForms()
    {
        var rsa = RoundTrip(new ClientKeyExchange { KeyExchange = KeyExchangeKind.Rsa, Exchange = Bytes(256) },
            new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Rsa));
        Assert.Equal(4 + 2 + 256, rsa.Raw.Length);

        var ssl3 = RoundTrip(new ClientKeyExchange { KeyExchange = KeyExchangeKind.Rsa, Exchange = Bytes(128), Ssl3Form = true },
            new MessageContext(ProtocolVersion.Ssl3, KeyExchangeKind.Rsa));
        Assert.True(ssl3.Ssl3Form);
        Assert.Equal(4 + 128, ssl3.Raw.Length);

        var ec = RoundTrip(new ClientKeyExchange { Exchange = Bytes(65) }, new MessageContext(ProtocolVersion.Tls11, KeyExchangeKind.Ecdhe));
        Assert.Equal(4 + 1 + 65, ec.Raw.Length);

        var dh = RoundTrip(new ClientKeyExchange { KeyExchange = KeyExchangeKind.Dhe, Exchange = Bytes(256) },
            new MessageContext(ProtocolVersion.Tls12, KeyExchangeKind.Dhe));
        Assert.Equal(Bytes(256), dh.Exchange);
    }

    [Fact]
    public void CertificateVerifyWithAndWithoutScheme()
    {
        var v13 = RoundTrip(new CertificateVerify { Scheme = SignatureScheme.EcdsaSecp256r1Sha256, Signature = Bytes(72) }, MessageContext.Tls13);
        Assert.Equal(SignatureScheme.EcdsaSecp256r1Sha256, v13.Scheme);
        var v10 = RoundTrip(new CertificateVerify { Signature = Bytes(36) }, Tls10);
        Assert.Null(v10.Scheme);
        Assert.Equal(4 + 2 + 36, v10.Raw.Length);
    }

    [Fact]
    public void FinishedKeepsVerifyData()
    {
        Assert.Equal(Bytes(12), RoundTrip(new Finished { VerifyData = Bytes(12) }, Tls12 with { VerifyDataLength = 12 }).VerifyData);
        Assert.Equal(Bytes(36), RoundTrip(new Finished { VerifyData = Bytes(36) }).VerifyData);
    }

    [Fact]
    public void NewSessionTicketBothForms()
    {
        var t12 = RoundTrip(new NewSessionTicket { Lifetime = 7200, Ticket = Bytes(180) }, Tls12);
        Assert.False(t12.IsTls13);
        Assert.Equal(7200u, t12.Lifetime);
        Assert.Empty(RoundTrip(new NewSessionTicket { Lifetime = 0 }, Tls12).Ticket);

        var t13 = RoundTrip(new NewSessionTicket
        {
            Lifetime = 604800, AgeAdd = 0xDEADBEEF, Nonce = [0, 1], Ticket = Bytes(64),
            Extensions = [new EarlyDataExtension { MaxEarlyDataSize = 16384 }, new UnknownExtension(0x0A0A, [])],
        }, MessageContext.Tls13);
        Assert.Equal(0xDEADBEEF, t13.AgeAdd);
        Assert.Equal(16384u, t13.Extensions.Find<EarlyDataExtension>()!.MaxEarlyDataSize);
    }

    [Fact]
    public void EncryptedExtensionsKeyUpdateCertificateStatus()
    {
        var ee = RoundTrip(new EncryptedExtensions
        {
            Extensions = [new AlpnExtension("h2"), new EarlyDataExtension(), new ServerNameExtension(), new MaxFragmentLengthExtension(MaxFragmentLength.Bytes4096)],
        });
        Assert.Equal(["h2"], ee.Extensions.Find<AlpnExtension>()!.ProtocolNames);
        Assert.Null(ee.Extensions.Find<EarlyDataExtension>()!.MaxEarlyDataSize);
        Assert.Equal(4096, ee.Extensions.Find<MaxFragmentLengthExtension>()!.Bytes);

        Assert.Equal(KeyUpdateRequest.UpdateRequested, RoundTrip(new KeyUpdate { RequestUpdate = KeyUpdateRequest.UpdateRequested }).RequestUpdate);
        Assert.Equal([24, 0, 0, 1, 0], RoundTrip(new KeyUpdate()).Raw.ToArray());

        var status = RoundTrip(new CertificateStatus { OcspResponse = Bytes(500) });
        Assert.Equal(Bytes(500), status.OcspResponse);
        Assert.Equal(4 + 1 + 3 + 500, status.Raw.Length);
    }

    [Fact]
    public void AlertAndChangeCipherSpec()
    {
        var alert = new AlertMessage(AlertLevel.Fatal, AlertDescription.DecodeError);
        Assert.Equal([2, 50], alert.Encode());
        Assert.Equal(alert, AlertMessage.Decode(alert.Encode()));
        Assert.Equal(new AlertMessage(AlertLevel.Warning, (AlertDescription)200), AlertMessage.Decode([1, 200]));
        Assert.Equal("Fatal decode_error", alert.ToString());

        Assert.Equal([1], ChangeCipherSpecMessage.Encode());
        ChangeCipherSpecMessage.Decode([1]);
    }
}
