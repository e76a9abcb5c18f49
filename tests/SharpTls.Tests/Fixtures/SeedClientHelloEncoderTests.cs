using System.Buffers.Binary;
using SharpTls.Diagnostics;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Tests.Dissect;
using SharpTls.Wire;

namespace SharpTls.Tests.Fixtures;

/// <summary>
/// Seed 001's TLS 1.0 ClientHello built with the typed encoder (ClientHello + typed extensions),
/// not by hand: the same bytes as the hand-built one, and the dissector prints the seed's listing.
/// </summary>
public class SeedClientHelloEncoderTests
{
    /// <summary>The 12 suites of seed 001, in its order.</summary>
    private static readonly CipherSuite[] SeedSuites =
    [
        CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_RSA_WITH_AES_256_CBC_SHA, CipherSuite.TLS_RSA_WITH_RC4_128_SHA,
        CipherSuite.TLS_RSA_WITH_3DES_EDE_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA, CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA, CipherSuite.TLS_DHE_DSS_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_DHE_DSS_WITH_AES_256_CBC_SHA, CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA, CipherSuite.TLS_RSA_WITH_RC4_128_MD5,
    ];

    /// <summary>The seed's ClientHello, typed.</summary>
    internal static ClientHello SeedHello()
    {
        // gmt_unix_time: Aug 3, 2013 06:45:04 India Standard Time; then the seed's random bytes (28, the last 4 not shown).
        var random = new byte[32];
        BinaryPrimitives.WriteUInt32BigEndian(random, (uint)new DateTimeOffset(2013, 8, 3, 6, 45, 4, TimeSpan.FromHours(5.5)).ToUnixTimeSeconds());
        Convert.FromHexString("894966609a64a0b0ba0b4cd5adcc431aad77f0ff6108590e").CopyTo(random, 4);
        return new ClientHello
        {
            LegacyVersion = ProtocolVersion.Tls10,
            Random = random,
            CipherSuites = [.. SeedSuites.Select(s => (ushort)s)],
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
    }

    private static byte[] InRecord(byte[] message)
    {
        var w = new TlsWriter();
        w.WriteUInt8((byte)ContentType.Handshake);
        w.WriteUInt16((ushort)ProtocolVersion.Tls10);
        w.WriteVector(2, message, 1, 0x4000);
        return w.ToArray();
    }

    [Fact]
    public void EncoderBuildsTheSameBytesAsTheHandBuiltSeedHello()
    {
        var message = SeedHello().Encode();
        Assert.Equal(124 + 4, message.Length); // "Length: 124" under the handshake header
        Assert.Equal(DissectorTests.SeedClientHello(), InRecord(message));
        var decoded = HandshakeMessage.Decode<ClientHello>(message, MessageContext.None);
        Assert.Equal(message, decoded.Encode());
        Assert.Equal("www.contoso.in", decoded.Extensions.Find<ServerNameExtension>()!.HostName);
    }

    [Fact]
    public void DissectorPrintsTheSeedListing()
    {
        var text = string.Concat(Dissector.DissectStream(InRecord(SeedHello().Encode())).Select(n => n.ToString()));
        var lines = text.Split('\n').Select(l => l.Trim()).ToList();
        // Lines of seed 001's listing (the record/handshake part), as the seed prints them.
        string[] listing =
        [
            "Content Type: Handshake (22)", "Version: TLS 1.0 (0x0301)", "Length: 128",
            "Handshake Type: Client Hello (1)", "Length: 124",
            "Session ID Length: 0", "Cipher Suites Length: 24", "Cipher Suites (12 suites)",
            .. SeedSuites.Select(s => $"Cipher Suite: {CipherSuites.Name(s)} (0x{(ushort)s:x4})"),
            "Compression Methods Length: 1", "Compression Methods (1 method)", "Extensions Length: 59",
        ];
        foreach (var line in listing)
            Assert.Contains(line, lines);
        Assert.Equal("Cipher Suite: TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA (0x0013)", lines.First(l => l.EndsWith("(0x0013)", StringComparison.Ordinal)));
        // The six extensions in the seed's order, under the names the seed's Wireshark gave them.
        string[] extensions = ["renegotiation_info", "server_name", "status_request", "elliptic_curves", "ec_point_formats", "SessionTicket TLS"];
        var shown = lines.Where(l => l.StartsWith("Extension: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(extensions.Length, shown.Count);
        Assert.All(extensions.Zip(shown), pair => Assert.Contains(pair.First, pair.Second));
        Assert.Contains(lines, l => l.StartsWith("gmt_unix_time: Aug  3, 2013 01:15:04", StringComparison.Ordinal));
        Assert.Contains("Server Name: www.contoso.in", text);
    }
}
