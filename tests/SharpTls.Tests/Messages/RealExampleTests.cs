using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;
using static SharpTls.Tests.Messages.MessageTestKit;

namespace SharpTls.Tests.Messages;

/// <summary>Real messages: RFC 8448 §3 (simple 1-RTT handshake) and seed 001's TLS 1.0 capture.</summary>
public class RealExampleTests
{
    // RFC 8448 §3, "{client} construct a ClientHello handshake message".
    internal static readonly byte[] Rfc8448ClientHello = Hex("""
        01 00 00 c0 03 03 cb 34 ec b1 e7 81 63 ba 1c 38 c6 da cb 19 6a 6d ff a2 1a 8d 99 12 ec 18 a2 ef 62 83
        02 4d ec e7 00 00 06 13 01 13 03 13 02 01 00 00 91 00 00 00 0b 00 09 00 00 06 73 65 72 76 65 72 ff 01
        00 01 00 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 23 00 00 00 33 00
        26 00 24 00 1d 00 20 99 38 1d e5 60 e4 bd 43 d2 3d 8e 43 5a 7d ba fe b3 c0 6e 51 c1 3c ae 4d 54 13 69
        1e 52 9a af 2c 00 2b 00 03 02 03 04 00 0d 00 20 00 1e 04 03 05 03 06 03 02 03 08 04 08 05 08 06 04 01
        05 01 06 01 02 01 04 02 05 02 06 02 02 02 00 2d 00 02 01 01 00 1c 00 02 40 01
        """);

    // RFC 8448 §3, "{server} construct a ServerHello handshake message".
    internal static readonly byte[] Rfc8448ServerHello = Hex("""
        02 00 00 56 03 03 a6 af 06 a4 12 18 60 dc 5e 6e 60 24 9c d3 4c 95 93 0c 8a c5 cb 14 34 da c1 55 77 2e
        d3 e2 69 28 00 13 01 00 00 2e 00 33 00 24 00 1d 00 20 c9 82 88 76 11 20 95 fe 66 76 2b db f7 c6 72 e1
        56 d6 cc 25 3b 83 3d f1 dd 69 b1 b0 4e 75 1f 0f 00 2b 00 02 03 04
        """);

    // RFC 8448 §3, "{server} construct an EncryptedExtensions handshake message".
    internal static readonly byte[] Rfc8448EncryptedExtensions = Hex("""
        08 00 00 24 00 22 00 0a 00 14 00 12 00 1d 00 17 00 18 00 19 01 00 01 01 01 02 01 03 01 04 00 1c 00 02
        40 01 00 00 00 00
        """);

    [Fact]
    public void Rfc8448ClientHelloDecodesAndReencodesByteIdentical()
    {
        var ch = HandshakeMessage.Decode<ClientHello>(Rfc8448ClientHello, MessageContext.None);
        Assert.Equal(Rfc8448ClientHello, ch.Raw.ToArray());
        Assert.Equal(Rfc8448ClientHello, ch.Encode());

        Assert.Equal(ProtocolVersion.Tls12, ch.LegacyVersion);
        Assert.Equal(Hex("cb34ecb1e78163ba1c38c6dacb196a6dffa21a8d9912ec18a2ef6283024dece7"), ch.Random);
        Assert.Empty(ch.SessionId);
        Assert.Equal(new ushort[] { 0x1301, 0x1303, 0x1302 }, ch.CipherSuites);
        Assert.Equal([CompressionMethod.Null], ch.CompressionMethods);
        Assert.Equal(
            [ExtensionType.ServerName, ExtensionType.RenegotiationInfo, ExtensionType.SupportedGroups, ExtensionType.SessionTicket,
             ExtensionType.KeyShare, ExtensionType.SupportedVersions, ExtensionType.SignatureAlgorithms,
             ExtensionType.PskKeyExchangeModes, ExtensionType.RecordSizeLimit],
            ch.Extensions.Types);
        Assert.Equal("server", ch.Extensions.Find<ServerNameExtension>()!.HostName);
        Assert.Empty(ch.Extensions.Find<RenegotiationInfoExtension>()!.RenegotiatedConnection);
        Assert.Equal(
            [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1, NamedGroup.Ffdhe2048,
             NamedGroup.Ffdhe3072, NamedGroup.Ffdhe4096, NamedGroup.Ffdhe6144, NamedGroup.Ffdhe8192],
            ch.Extensions.Find<SupportedGroupsExtension>()!.Groups);
        Assert.Empty(ch.Extensions.Find<SessionTicketExtension>()!.Ticket);
        var share = Assert.Single(ch.Extensions.Find<KeyShareExtension>()!.ClientShares);
        Assert.Equal(NamedGroup.X25519, share.Group);
        Assert.Equal(Hex("99381de560e4bd43d23d8e435a7dbafeb3c06e51c13cae4d5413691e529aaf2c"), share.KeyExchange);
        Assert.Equal([ProtocolVersion.Tls13], ch.Extensions.Find<SupportedVersionsExtension>()!.Versions);
        var schemes = ch.Extensions.Find<SignatureAlgorithmsExtension>()!.Schemes;
        Assert.Equal(15, schemes.Count);
        Assert.Equal(SignatureScheme.EcdsaSecp256r1Sha256, schemes[0]);
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, schemes[4]);
        Assert.Equal("dsa_sha1", SignatureSchemes.Name(schemes[^1]));
        Assert.Equal([PskKeyExchangeMode.PskDheKe], ch.Extensions.Find<PskKeyExchangeModesExtension>()!.Modes);
        Assert.Equal(0x4001, ch.Extensions.Find<RecordSizeLimitExtension>()!.Limit);
    }

    [Fact]
    public void Rfc8448ServerHelloDecodesAndReencodesByteIdentical()
    {
        var sh = HandshakeMessage.Decode<ServerHello>(Rfc8448ServerHello, MessageContext.None);
        Assert.Equal(Rfc8448ServerHello, sh.Encode());
        Assert.False(sh.IsHelloRetryRequest);
        Assert.Equal(0x1301, sh.CipherSuite);
        Assert.Equal(ProtocolVersion.Tls13, sh.SelectedVersion);
        var share = sh.Extensions.Find<KeyShareExtension>()!.ServerShare!;
        Assert.Equal(NamedGroup.X25519, share.Group);
        Assert.Equal(Hex("c9828876112095fe66762bdbf7c672e156d6cc253b833df1dd69b1b04e751f0f"), share.KeyExchange);
    }

    [Fact]
    public void Rfc8448EncryptedExtensionsDecodesAndReencodesByteIdentical()
    {
        var ee = HandshakeMessage.Decode<EncryptedExtensions>(Rfc8448EncryptedExtensions, MessageContext.Tls13);
        Assert.Equal(Rfc8448EncryptedExtensions, ee.Encode());
        Assert.Equal([ExtensionType.SupportedGroups, ExtensionType.RecordSizeLimit, ExtensionType.ServerName], ee.Extensions.Types);
        Assert.Empty(ee.Extensions.Find<ServerNameExtension>()!.Names);
    }

    /// <summary>
    /// Seed 001's ClientHello, rebuilt with the encoder: TLS 1.0, no session id, the 12 suites
    /// listed, null compression, and renegotiation_info, server_name, status_request,
    /// elliptic_curves, ec_point_formats, SessionTicket TLS. The capture shows handshake
    /// "Length: 124", "Extensions Length: 59" and record "Length: 128". The host name is
    /// redacted there; a 14-character name and the three NIST curves make the sizes add up.
    /// </summary>
    [Fact]
    public void Seed001ClientHelloHasTheCapturedLengths()
    {
        ushort[] suites = [0x002f, 0x0035, 0x0005, 0x000a, 0xc013, 0xc014, 0xc009, 0xc00a, 0x0032, 0x0038, 0x0013, 0x0004];
        var ch = new ClientHello
        {
            LegacyVersion = ProtocolVersion.Tls10,
            Random = Hex("51fc5a48894966609a64a0b0ba0b4cd5adcc431aad77f0ff6108590e00000000"),
            CipherSuites = suites,
            Extensions =
            [
                new RenegotiationInfoExtension(),
                new ServerNameExtension("www.contoso.in"),
                StatusRequestExtension.Ocsp(),
                new SupportedGroupsExtension([NamedGroup.Secp256r1, NamedGroup.Secp384r1, NamedGroup.Secp521r1]),
                new EcPointFormatsExtension([EcPointFormat.Uncompressed]),
                new SessionTicketExtension(),
            ],
        };
        var bytes = ch.Encode();
        Assert.Equal(124, (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]);
        Assert.Equal(128, bytes.Length);                       // the record's fragment: header + body
        int extensionsAt = 4 + 2 + 32 + 1 + 2 + 24 + 2;
        Assert.Equal(59, (bytes[extensionsAt] << 8) | bytes[extensionsAt + 1]);
        Assert.Equal(24, (bytes[4 + 2 + 32 + 1] << 8) | bytes[4 + 2 + 32 + 2]);

        var decoded = RoundTrip(ch);
        Assert.Equal(suites, decoded.CipherSuites);
        Assert.Equal(["renegotiation_info", "server_name", "status_request", "elliptic_curves", "ec_point_formats", "SessionTicket TLS"],
            decoded.Extensions.Select(e => ExtensionTypes.LegacyName(e.Type)));
        Assert.Equal("www.contoso.in", decoded.Extensions.Find<ServerNameExtension>()!.HostName);
    }

    /// <summary>Seed 001's server flight: ServerHello "Length: 81", Certificate "Length: 1565", ServerHelloDone, record "Length: 1658".</summary>
    [Fact]
    public void Seed001ServerFlightHasTheCapturedLengths()
    {
        var sh = new ServerHello
        {
            LegacyVersion = ProtocolVersion.Tls10,
            Random = new byte[32],
            SessionId = Hex("8d0a0000efffe1ad6a82edc6d6a8967bd759cd0f3bdf70e9000102030405060708")[..32],
            CipherSuite = 0x0005,
            Extensions = [new RenegotiationInfoExtension(), new ServerNameExtension()],
        };
        var cert = CertificateMessage.Tls12([new byte[1559]]);
        var done = new ServerHelloDone();
        var shBytes = RoundTrip(sh).Raw;
        var certBytes = RoundTrip(cert, new MessageContext(ProtocolVersion.Tls10)).Raw;
        var doneBytes = RoundTrip(done).Raw;
        Assert.Equal(81 + 4, shBytes.Length);
        Assert.Equal(1565 + 4, certBytes.Length);
        Assert.Equal(1562, (certBytes.Span[4] << 16) | (certBytes.Span[5] << 8) | certBytes.Span[6]);
        Assert.Equal(4, doneBytes.Length);
        Assert.Equal(1658, shBytes.Length + certBytes.Length + doneBytes.Length);
    }
}
