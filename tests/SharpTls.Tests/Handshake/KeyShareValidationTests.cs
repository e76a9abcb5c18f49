using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Bad key shares from either side (RFC 8446 §4.2.8.1-§4.2.8.2, RFC 7748 §6.1): wrong lengths,
/// points off the curve, the all-zero X25519 result. Each ends in illegal_parameter, never in an
/// exception escaping <see cref="TlsConnection.Feed"/>.
/// </summary>
public class KeyShareValidationTests
{
    /// <summary>
    /// Bad shares by group. "ones" (0x04 FF..FF) is off every NIST curve and out of range for an
    /// ML-KEM key, but it is a valid X25519 u-coordinate and a valid ML-KEM ciphertext (decapsulation
    /// cannot fail): there the handshake fails later, at the first record, and is not listed.
    /// </summary>
    public static TheoryData<NamedGroup, string> BadShares(bool server)
    {
        var data = new TheoryData<NamedGroup, string>();
        foreach (var group in Tls13MatrixTests.Groups)
            foreach (string kind in new[] { "one byte", "one short", "one long", "zeros", "ones" })
                if (!(kind == "ones" && (group == NamedGroup.X25519 || server && group == NamedGroup.X25519MlKem768)))
                    data.Add(group, kind);
        return data;
    }

    private static int Length(NamedGroup group) => group switch
    {
        NamedGroup.X25519 => 32,
        NamedGroup.Secp256r1 => 65,
        NamedGroup.Secp384r1 => 97,
        NamedGroup.Secp521r1 => 133,
        NamedGroup.X25519MlKem768 => 1184 + 32,
        _ => throw new ArgumentOutOfRangeException(nameof(group)),
    };

    private static byte[] Bad(int length, string kind) => kind switch
    {
        "one byte" => [4],
        "one short" => Filled(length - 1, 4),
        "one long" => Filled(length + 1, 4),
        "zeros" => new byte[length],
        "ones" => Filled(length, 0xFF),
        _ => throw new ArgumentException(kind),
    };

    private static byte[] Filled(int length, byte first)
    {
        var bytes = new byte[length];
        Array.Fill(bytes, (byte)0xFF);
        bytes[0] = first;
        return bytes;
    }

    /// <summary>The server's share length: the same as the client's, but an ML-KEM ciphertext for the hybrid.</summary>
    private static int ServerLength(NamedGroup group) => group == NamedGroup.X25519MlKem768 ? 1088 + 32 : Length(group);

    [Theory]
    [MemberData(nameof(BadShares), false)]
    public void BadClientShare(NamedGroup group, string kind)
    {
        var client = InMemoryPair.DefaultClient();
        client.Groups = [group];
        client.KeyShareGroups = [group];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        byte[] bad = Bad(Length(group), kind);
        pair.ClientToServer = wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
            r.Type != ContentType.Handshake || r.Fragment[0] != (byte)HandshakeType.ClientHello ? r : r with
            {
                Fragment = HelloRetryRequestTests.Rebuild(HandshakeMessage.Decode<ClientHello>(r.Fragment, MessageContext.None),
                    h => HelloRetryRequestTests.With(h.Extensions, ExtensionType.KeyShare,
                        new KeyShareExtension { ClientShares = [new KeyShareEntry(group, bad)] })).Raw.ToArray(),
            }));
        pair.HandshakeFails(pair.Server, AlertDescription.IllegalParameter, "Server.", "");
    }

    [Theory]
    [MemberData(nameof(BadShares), true)]
    public void BadServerShare(NamedGroup group, string kind)
    {
        var client = InMemoryPair.DefaultClient();
        client.Groups = [group];
        client.KeyShareGroups = [group];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        byte[] bad = Bad(ServerLength(group), kind);
        pair.ServerToClient = wire =>
        {
            var records = WireSurgery.Split(wire);
            // Only the ServerHello is replaced; the encrypted flight after it does not matter any more.
            int i = records.FindIndex(r => r.Type == ContentType.Handshake && r.Fragment[0] == (byte)HandshakeType.ServerHello);
            if (i < 0) return wire;
            var sh = HandshakeMessage.Decode<ServerHello>(records[i].Fragment, MessageContext.None);
            var forged = new ServerHello
            {
                Random = sh.Random,
                SessionId = sh.SessionId,
                CipherSuite = sh.CipherSuite,
                Extensions = HelloRetryRequestTests.With(sh.Extensions, ExtensionType.KeyShare,
                    new KeyShareExtension { ServerShare = new KeyShareEntry(group, bad) }),
            };
            records[i] = records[i] with { Fragment = forged.Encode() };
            return WireSurgery.Join(records);
        };
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Client.Tls13.ExpectServerHello", "");
    }
}
