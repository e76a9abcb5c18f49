using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;
using CodecMessage = SharpTls.Messages.HandshakeMessage;

namespace SharpTls.Tests.Fixtures;

/// <summary>
/// Every plaintext handshake message of every captured handshake decodes with the negotiated
/// context and re-encodes to exactly the bytes on the wire; the flights hold the messages the
/// RFCs prescribe; the ClientHellos carry what the peers were told to send. (The same fields
/// against tshark: SharpTls.Interop.Tests/Fixtures.)
/// </summary>
public class FixtureRoundTripTests
{
    public static TheoryData<string> Names() => FixtureKit.NameData();

    [Fact]
    public void EveryScenarioIsThere()
        => Assert.Equal(
            ["chromium-tls13", "curl-tls13", "gnutls-tls13", "openssl-tls10", "openssl-tls12-alert", "openssl-tls12-ecdhe-ecdsa",
             "openssl-tls12-ecdhe-rsa", "openssl-tls13", "openssl-tls13-hrr", "python-tls13"],
            FixtureKit.Names);

    [Theory]
    [MemberData(nameof(Names))]
    public void EveryPlaintextMessageReencodesByteIdentical(string name)
    {
        var h = CapturedHandshake.Load(name);
        Assert.NotEmpty(h.Client.Messages);
        Assert.NotEmpty(h.Server.Messages);
        foreach (var bytes in h.AllMessages)
        {
            var message = CodecMessage.Decode(bytes, FixtureKit.ContextFor(h, bytes));
            Assert.Equal((HandshakeType)bytes[0], message.Type);
            Assert.Equal(bytes, message.Raw.ToArray());
            Assert.Equal(bytes, message.Encode());
            // Decoding what we encoded gives the same bytes once more.
            Assert.Equal(bytes, CodecMessage.Decode(message.Encode(), FixtureKit.ContextFor(h, bytes)).Encode());
        }
        foreach (var alert in h.Client.Alerts.Concat(h.Server.Alerts))
            Assert.Equal(alert, AlertMessage.Decode(alert).Encode());
    }

    [Theory]
    [InlineData("openssl-tls13", "1", "2")]
    [InlineData("curl-tls13", "1", "2")]
    [InlineData("gnutls-tls13", "1", "2")]
    [InlineData("python-tls13", "1", "2")]
    [InlineData("chromium-tls13", "1", "2")]
    [InlineData("openssl-tls13-hrr", "1 1", "2 2")]
    [InlineData("openssl-tls12-ecdhe-rsa", "1 16", "2 11 12 14 4")]
    [InlineData("openssl-tls12-ecdhe-ecdsa", "1 16", "2 11 12 14 4")]
    [InlineData("openssl-tls10", "1 16", "2 11 12 14 4")]
    [InlineData("openssl-tls12-alert", "1", "2 11 12 14")]
    public void FlightsHoldTheExpectedMessages(string name, string client, string server)
    {
        var h = CapturedHandshake.Load(name);
        Assert.Equal(client, string.Join(' ', h.Client.Messages.Select(m => m[0])));
        Assert.Equal(server, string.Join(' ', h.Server.Messages.Select(m => m[0])));
        Assert.Equal(name == "openssl-tls12-alert" ? 1 : 0, h.Client.Alerts.Count);
        if (name == "openssl-tls12-alert")
        {
            var alert = AlertMessage.Decode(h.Client.Alerts[0]);
            Assert.Equal((AlertLevel.Fatal, AlertDescription.UnknownCa), (alert.Level, alert.Description));
        }
        // Protected records follow on both sides, except where the client gave up with its alert.
        bool aborted = name == "openssl-tls12-alert";
        Assert.Equal(aborted, h.Client.EncryptedFrom == h.ClientToServer.Length);
        Assert.Equal(aborted, h.Server.EncryptedFrom == h.ServerToClient.Length);
    }

    [Theory]
    [InlineData("openssl-tls13", 0x0304, 0x1302)]
    [InlineData("openssl-tls13-hrr", 0x0304, 0x1302)]
    [InlineData("chromium-tls13", 0x0304, 0x1301)]
    [InlineData("openssl-tls12-ecdhe-rsa", 0x0303, 0xc02f)]
    [InlineData("openssl-tls12-ecdhe-ecdsa", 0x0303, 0xc02c)]
    [InlineData("openssl-tls10", 0x0301, 0xc014)]
    public void NegotiatedContextComesFromTheServerHello(string name, int version, int suite)
    {
        var h = CapturedHandshake.Load(name);
        Assert.Equal((ProtocolVersion)version, h.Version);
        Assert.Equal(suite, h.CipherSuite);
        Assert.Equal(version == 0x0304 ? KeyExchangeKind.None : KeyExchangeKind.Ecdhe, h.Context.KeyExchange);
        if (version != 0x0304)
        {
            var ske = h.Server.Messages.Select(m => CodecMessage.Decode(m, FixtureKit.ContextFor(h, m))).OfType<ServerKeyExchange>().Single();
            Assert.Equal(NamedGroup.X25519, ske.Group);
            Assert.Equal(32, ske.PublicKey.Length);
            // TLS 1.0 signs with MD5+SHA-1 and names no scheme; TLS 1.2 names it.
            Assert.Equal(version == 0x0303, ske.SignatureScheme is not null);
            var cke = h.Client.Messages.Select(m => CodecMessage.Decode(m, FixtureKit.ContextFor(h, m))).OfType<ClientKeyExchange>().Single();
            Assert.Equal(32, cke.Exchange.Length);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ClientHellosCarryWhatThePeersWereToldToSend(string name)
    {
        var h = CapturedHandshake.Load(name);
        var hellos = h.Client.Messages.Where(m => m[0] == 1).Select(m => CodecMessage.Decode<ClientHello>(m, MessageContext.None)).ToList();
        foreach (var ch in hellos)
        {
            Assert.Equal("www.contoso.test", ch.Extensions.Find<ServerNameExtension>()!.HostName);
            Assert.Equal([CompressionMethod.Null], ch.CompressionMethods);
            Assert.Contains(h.CipherSuite, ch.CipherSuites);
            var groups = ch.Extensions.Find<SupportedGroupsExtension>()!.Groups;
            Assert.Contains(NamedGroup.X25519, groups);
            var versions = ch.Extensions.Find<SupportedVersionsExtension>()?.Versions ?? [];
            if (h.Version == ProtocolVersion.Tls13)
            {
                Assert.Contains(ProtocolVersion.Tls13, versions);
                Assert.Equal(ProtocolVersion.Tls12, ch.LegacyVersion);
                // Each key share is for a group the client supports (RFC 8446 §4.2.8).
                var shares = ch.Extensions.Find<KeyShareExtension>()!.ClientShares;
                Assert.NotEmpty(shares);
                Assert.All(shares, s => Assert.Contains(s.Group, groups));
            }
        }
        if (name == "openssl-tls13-hrr")
        {
            // The server asked for secp256r1: the second ClientHello offers exactly that share, same random.
            Assert.Equal(2, hellos.Count);
            var hrr = CodecMessage.Decode<ServerHello>(h.Server.Messages[0], MessageContext.None);
            Assert.True(hrr.IsHelloRetryRequest);
            Assert.Equal(NamedGroup.Secp256r1, hrr.Extensions.Find<KeyShareExtension>()!.SelectedGroup);
            Assert.Equal(NamedGroup.Secp256r1, Assert.Single(hellos[1].Extensions.Find<KeyShareExtension>()!.ClientShares).Group);
            Assert.Equal(hellos[0].Random, hellos[1].Random);
        }
        if (name == "chromium-tls13")
        {
            var ch = hellos[0];
            Assert.Contains(ch.CipherSuites, Grease.IsGrease);
            Assert.Contains(ch.Extensions.Types, t => Grease.IsGrease((ushort)t));
            Assert.Contains(ExtensionType.EncryptedClientHello, ch.Extensions.Types);
            Assert.Contains(ExtensionType.ApplicationSettings, ch.Extensions.Types);
            Assert.Equal("application_settings", ExtensionTypes.Name(0x44CD));
            Assert.Contains(ch.Extensions.Find<KeyShareExtension>()!.ClientShares, s => s.Group == NamedGroup.X25519MlKem768 && s.KeyExchange.Length == 1216);
            Assert.Equal(["h2", "http/1.1"], ch.Extensions.Find<AlpnExtension>()!.ProtocolNames);
        }
    }
}
