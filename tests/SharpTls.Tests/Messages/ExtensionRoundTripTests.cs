using SharpTls.Messages.Extensions;
using SharpTls.Wire;
using static SharpTls.Tests.Messages.MessageTestKit;
using Ctx = SharpTls.Messages.Extensions.ExtensionContext;

namespace SharpTls.Tests.Messages;

/// <summary>Every typed extension, in every form, round-trips byte-identically in the message it belongs to.</summary>
public class ExtensionRoundTripTests
{
    private static byte[] Bytes(int n) => Enumerable.Range(1, n).Select(i => (byte)i).ToArray();

    [Fact]
    public void ServerName()
    {
        var sni = RoundTripExtension(new ServerNameExtension("example.com"), Ctx.ClientHello);
        Assert.Equal("example.com", sni.HostName);
        var two = RoundTripExtension(new ServerNameExtension { Names = [new ServerName(0, "a"u8.ToArray()), new ServerName(7, [1, 2])] }, Ctx.ClientHello);
        Assert.Null(two.Names[1].HostName);
        Assert.Empty(RoundTripExtension(new ServerNameExtension(), Ctx.ServerHello).Names);
        Assert.Empty(new ServerNameExtension().EncodeData());
    }

    [Fact]
    public void StatusRequestForms()
    {
        var req = RoundTripExtension(new StatusRequestExtension
        {
            StatusType = CertificateStatusType.Ocsp, ResponderIds = [Bytes(3), Bytes(4)], RequestExtensions = Bytes(5),
        }, Ctx.ClientHello);
        Assert.Equal(2, req.ResponderIds.Count);
        Assert.Equal([1, 0, 0, 0, 0], StatusRequestExtension.Ocsp().EncodeData());
        var other = RoundTripExtension(new StatusRequestExtension { StatusType = CertificateStatusType.OcspMulti, OtherRequest = Bytes(6) }, Ctx.ClientHello);
        Assert.Equal(Bytes(6), other.OtherRequest);
        Assert.Null(RoundTripExtension(new StatusRequestExtension(), Ctx.ServerHello).StatusType);
        Assert.Equal(Bytes(9), RoundTripExtension(new StatusRequestExtension { OcspResponse = Bytes(9) }, Ctx.Certificate).OcspResponse);
        RoundTripExtension(StatusRequestExtension.Ocsp(), Ctx.CertificateRequest);
    }

    [Fact]
    public void ListExtensions()
    {
        Assert.Equal([NamedGroup.X25519MlKem768, (NamedGroup)0x2A2A],
            RoundTripExtension(new SupportedGroupsExtension([NamedGroup.X25519MlKem768, (NamedGroup)0x2A2A]), Ctx.ClientHello).Groups);
        RoundTripExtension(new SupportedGroupsExtension([NamedGroup.X25519]), Ctx.EncryptedExtensions);
        Assert.Equal(3, RoundTripExtension(new EcPointFormatsExtension([0, (EcPointFormat)1, (EcPointFormat)2]), Ctx.ServerHello).Formats.Count);
        Assert.Equal([SignatureScheme.Ed448], RoundTripExtension(new SignatureAlgorithmsExtension([SignatureScheme.Ed448]), Ctx.ClientHello).Schemes);
        Assert.Equal([SignatureScheme.RsaPssPssSha384],
            RoundTripExtension(new SignatureAlgorithmsCertExtension([SignatureScheme.RsaPssPssSha384]), Ctx.CertificateRequest).Schemes);
        Assert.Equal([CertificateCompressionAlgorithm.Brotli, CertificateCompressionAlgorithm.Zstd],
            RoundTripExtension(new CompressCertificateExtension([CertificateCompressionAlgorithm.Brotli, CertificateCompressionAlgorithm.Zstd]), Ctx.ClientHello).Algorithms);
        Assert.Equal([PskKeyExchangeMode.PskKe, PskKeyExchangeMode.PskDheKe],
            RoundTripExtension(new PskKeyExchangeModesExtension([PskKeyExchangeMode.PskKe, PskKeyExchangeMode.PskDheKe]), Ctx.ClientHello).Modes);
        Assert.Equal(2, RoundTripExtension(new CertificateAuthoritiesExtension([Bytes(30), Bytes(1)]), Ctx.ClientHello).Authorities.Count);
        Assert.Empty(RoundTripExtension(new OidFiltersExtension([]), Ctx.CertificateRequest).Filters);
    }

    [Fact]
    public void Alpn()
    {
        Assert.Equal(["h2", "http/1.1"], RoundTripExtension(new AlpnExtension("h2", "http/1.1"), Ctx.ClientHello).ProtocolNames);
        Assert.Equal(["http/1.1"], RoundTripExtension(new AlpnExtension("http/1.1"), Ctx.ServerHello).ProtocolNames);
    }

    [Fact]
    public void SctPaddingEmptiesAndScalars()
    {
        Assert.Empty(RoundTripExtension(new SignedCertificateTimestampExtension(), Ctx.ClientHello).Timestamps);
        Assert.Single(RoundTripExtension(new SignedCertificateTimestampExtension { Timestamps = [Bytes(40)] }, Ctx.ServerHello).Timestamps);
        Assert.Equal(200, RoundTripExtension(new PaddingExtension(200), Ctx.ClientHello).Length);
        Assert.Equal(0, RoundTripExtension(new PaddingExtension(0), Ctx.ClientHello).Length);
        RoundTripExtension(new EncryptThenMacExtension(), Ctx.ServerHello);
        RoundTripExtension(new ExtendedMasterSecretExtension(), Ctx.ClientHello);
        RoundTripExtension(new PostHandshakeAuthExtension(), Ctx.ClientHello);
        Assert.Equal(16385, RoundTripExtension(new RecordSizeLimitExtension(16385), Ctx.EncryptedExtensions).Limit);
        Assert.Equal(MaxFragmentLength.Bytes512, RoundTripExtension(new MaxFragmentLengthExtension(MaxFragmentLength.Bytes512), Ctx.ClientHello).Value);
        Assert.Equal(HeartbeatMode.PeerNotAllowedToSend, RoundTripExtension(new HeartbeatExtension(HeartbeatMode.PeerNotAllowedToSend), Ctx.ServerHello).Mode);
        Assert.Equal(Bytes(12), RoundTripExtension(new RenegotiationInfoExtension(Bytes(12)), Ctx.ServerHello).RenegotiatedConnection);
        Assert.Equal(Bytes(100), RoundTripExtension(new SessionTicketExtension { Ticket = Bytes(100) }, Ctx.ClientHello).Ticket);
        Assert.Empty(RoundTripExtension(new SessionTicketExtension(), Ctx.ServerHello).Ticket);
        Assert.Equal(Bytes(1), RoundTripExtension(new CookieExtension(Bytes(1)), Ctx.ClientHello).Cookie);
    }

    [Fact]
    public void VersionedForms()
    {
        Assert.Equal([ProtocolVersion.Tls13, ProtocolVersion.Tls12],
            RoundTripExtension(new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls13, ProtocolVersion.Tls12] }, Ctx.ClientHello).Versions);
        Assert.Equal(ProtocolVersion.Tls13, RoundTripExtension(new SupportedVersionsExtension { Selected = ProtocolVersion.Tls13 }, Ctx.ServerHello).Selected);

        var shares = RoundTripExtension(new KeyShareExtension
        {
            ClientShares = [new KeyShareEntry(NamedGroup.X25519MlKem768, Bytes(1216)), new KeyShareEntry(NamedGroup.X25519, Bytes(32))],
        }, Ctx.ClientHello);
        Assert.Equal(1216, shares.ClientShares[0].KeyExchange.Length);
        Assert.Empty(RoundTripExtension(new KeyShareExtension(), Ctx.ClientHello).ClientShares);
        Assert.Equal(NamedGroup.Secp384r1,
            RoundTripExtension(new KeyShareExtension { ServerShare = new KeyShareEntry(NamedGroup.Secp384r1, Bytes(97)) }, Ctx.ServerHello).ServerShare!.Group);

        Assert.Equal((ushort)1, RoundTripExtension(new PreSharedKeyExtension { SelectedIdentity = 1 }, Ctx.ServerHello).SelectedIdentity);
        Assert.Equal(4096u, RoundTripExtension(new EarlyDataExtension { MaxEarlyDataSize = 4096 }, Ctx.NewSessionTicket).MaxEarlyDataSize);
        Assert.Null(RoundTripExtension(new EarlyDataExtension(), Ctx.ClientHello).MaxEarlyDataSize);
    }

    [Fact]
    public void AKnownExtensionOutsideItsMessagesIsKeptRawInHellosAndRefusedInTls13Messages()
    {
        var block = Block(ExtensionType.Padding, 0, 0);
        Assert.IsType<UnknownExtension>(Assert.Single(ReadExtensions(block, Ctx.ServerHello)));
        Fails(AlertDescription.IllegalParameter, () => ReadExtensions(block, Ctx.EncryptedExtensions), "padding");
        Fails(AlertDescription.IllegalParameter, () => ReadExtensions(Block(ExtensionType.KeyShare, 0, 29), Ctx.EncryptedExtensions));
        Assert.IsType<UnknownExtension>(Assert.Single(ReadExtensions(Block((ExtensionType)0x7777, 1), Ctx.EncryptedExtensions)));
    }

    [Fact]
    public void DefinedForFollowsTheRfc8446Table()
    {
        Assert.True(ExtensionList.IsDefinedFor(ExtensionType.KeyShare, Ctx.HelloRetryRequest));
        Assert.False(ExtensionList.IsDefinedFor(ExtensionType.KeyShare, Ctx.EncryptedExtensions));
        Assert.True(ExtensionList.IsDefinedFor(ExtensionType.EarlyData, Ctx.NewSessionTicket));
        Assert.True(ExtensionList.IsDefinedFor(ExtensionType.OidFilters, Ctx.CertificateRequest));
        Assert.False(ExtensionList.IsDefinedFor(ExtensionType.OidFilters, Ctx.ClientHello));
        Assert.False(ExtensionList.IsDefinedFor((ExtensionType)0x0A0A, Ctx.ClientHello));
    }

    [Fact]
    public void ExtensionListFindAndGet()
    {
        var list = new ExtensionList { new ServerNameExtension("a"), new UnknownExtension(0x0A0A, []) };
        Assert.NotNull(list.Find<ServerNameExtension>());
        Assert.Null(list.Find<KeyShareExtension>());
        Assert.IsType<UnknownExtension>(list.Get((ExtensionType)0x0A0A));
        Assert.True(list.Contains(ExtensionType.ServerName));
        Assert.Throws<InvalidOperationException>(() => list.Add(new ServerNameExtension("b")));
        Assert.Equal("server_name, Reserved (GREASE)", list.ToString());
    }
}
