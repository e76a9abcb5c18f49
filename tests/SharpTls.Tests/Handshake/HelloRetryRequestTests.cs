using System.Text;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>HelloRetryRequest (RFC 8446 §4.1.4) and the rules on the second ClientHello (§4.1.2).</summary>
public class HelloRetryRequestTests
{
    [Theory]
    [InlineData(NamedGroup.Secp256r1)]
    [InlineData(NamedGroup.Secp384r1)]
    [InlineData(NamedGroup.X25519MlKem768)]
    public void ShareForAnUnacceptedGroupLeadsToRetryThenSuccess(NamedGroup serverGroup)
    {
        var server = InMemoryPair.DefaultServer();
        server.Groups = [serverGroup];
        var client = InMemoryPair.DefaultClient();
        client.KeyShareGroups = [NamedGroup.X25519];
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        foreach (var side in new[] { pair.Client, pair.Server })
        {
            Assert.True(side.Info.HelloRetryRequested);
            Assert.Equal(serverGroup, side.Info.Group);
        }
        Assert.Equal("after retry"u8.ToArray(), pair.Send(pair.Client, pair.Server, "after retry"u8.ToArray()));
        Assert.Equal("back"u8.ToArray(), pair.Send(pair.Server, pair.Client, "back"u8.ToArray()));
    }

    [Fact]
    public void NoRetryWhenTheShareFits()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient());
        pair.Handshake();
        Assert.False(pair.Client.Info.HelloRetryRequested);
        Assert.False(pair.Server.Info.HelloRetryRequested);
    }

    /// <summary>Rebuilds a ClientHello with changes (its binders, if any, are left as they were).</summary>
    internal static ClientHello Rebuild(ClientHello h, Func<ClientHello, ExtensionList>? extensions = null,
        byte[]? random = null, byte[]? sessionId = null, IReadOnlyList<ushort>? suites = null)
    {
        var hello = new ClientHello
        {
            LegacyVersion = h.LegacyVersion,
            Random = random ?? h.Random,
            SessionId = sessionId ?? h.SessionId,
            CipherSuites = suites ?? h.CipherSuites,
            CompressionMethods = h.CompressionMethods,
            Extensions = extensions is null ? h.Extensions : extensions(h),
        };
        hello.Encode();
        return hello;
    }

    /// <summary>The extensions with one replaced (or removed, when <paramref name="replacement"/> is null), order kept.</summary>
    internal static ExtensionList With(ExtensionList list, ExtensionType type, TlsExtension? replacement)
    {
        var result = new ExtensionList();
        bool done = false;
        foreach (var e in list)
        {
            if (e.Type == type)
            {
                if (replacement is not null) result.Add(replacement);
                done = true;
            }
            else if (e.Type == ExtensionType.PreSharedKey && !done && replacement is not null && replacement.Type == type)
            {
                result.Add(replacement);
                done = true;
                result.Add(e);
            }
            else
            {
                result.Add(e);
            }
        }
        if (!done && replacement is not null) result.Add(replacement);
        return result;
    }

    public static TheoryData<string> SecondHelloChanges() =>
    [
        "cipher suites", "random", "session id", "no cookie", "other cookie", "share for the first group",
        "two shares", "server name", "alpn", "signature algorithms", "supported groups", "early data", "no supported_versions 1.3",
    ];

    [Theory]
    [MemberData(nameof(SecondHelloChanges))]
    public void SecondClientHelloThatChangesWhatItMustNotIsIllegalParameter(string change)
    {
        var server = InMemoryPair.DefaultServer();
        server.Groups = [NamedGroup.Secp256r1];
        var client = InMemoryPair.DefaultClient();
        client.ApplicationProtocols = ["h2", "http/1.1"];
        server.ApplicationProtocols = ["h2"];
        using var pair = new InMemoryPair(server, client);
        int hellos = 0;
        pair.ClientToServer = wire =>
        {
            var records = WireSurgery.Split(wire);
            for (int i = 0; i < records.Count; i++)
            {
                if (records[i].Type != ContentType.Handshake || records[i].Fragment[0] != (byte)HandshakeType.ClientHello) continue;
                if (++hellos != 2) continue;
                var second = HandshakeMessage.Decode<ClientHello>(records[i].Fragment, MessageContext.None);
                var changed = Change(second, change);
                records[i] = records[i] with { Fragment = changed.Raw.ToArray() };
            }
            return WireSurgery.Join(records);
        };
        pair.HandshakeFails(pair.Server, AlertDescription.IllegalParameter, "Tls13.ExpectSecondClientHello", "second ClientHello");
        Assert.Equal(2, hellos);
    }

    private static ClientHello Change(ClientHello h, string change)
    {
        var shares = h.Extensions.Find<KeyShareExtension>()!.ClientShares;
        return change switch
        {
            "cipher suites" => Rebuild(h, suites: h.CipherSuites.Reverse().ToArray()),
            "random" => Rebuild(h, random: new byte[32]),
            "session id" => Rebuild(h, sessionId: new byte[32]),
            "no cookie" => Rebuild(h, x => With(x.Extensions, ExtensionType.Cookie, null)),
            "other cookie" => Rebuild(h, x => With(x.Extensions, ExtensionType.Cookie, new CookieExtension(new byte[32]))),
            "share for the first group" => Rebuild(h, x => With(x.Extensions, ExtensionType.KeyShare,
                new KeyShareExtension { ClientShares = [new KeyShareEntry(NamedGroup.X25519, new byte[32])] })),
            "two shares" => Rebuild(h, x => With(x.Extensions, ExtensionType.KeyShare,
                new KeyShareExtension { ClientShares = [.. shares, new KeyShareEntry(NamedGroup.X25519, new byte[32])] })),
            "server name" => Rebuild(h, x => With(x.Extensions, ExtensionType.ServerName, new ServerNameExtension("localhost"))),
            "alpn" => Rebuild(h, x => With(x.Extensions, ExtensionType.ApplicationLayerProtocolNegotiation,
                new AlpnExtension([Encoding.ASCII.GetBytes("h2")]))),
            "signature algorithms" => Rebuild(h, x => With(x.Extensions, ExtensionType.SignatureAlgorithms,
                new SignatureAlgorithmsExtension([SignatureScheme.EcdsaSecp256r1Sha256]))),
            "supported groups" => Rebuild(h, x => With(x.Extensions, ExtensionType.SupportedGroups,
                new SupportedGroupsExtension([NamedGroup.Secp256r1, NamedGroup.X25519]))),
            "early data" => Rebuild(h, x => With(x.Extensions, ExtensionType.EarlyData, new EarlyDataExtension())),
            "no supported_versions 1.3" => Rebuild(h, x => With(x.Extensions, ExtensionType.SupportedVersions,
                new SupportedVersionsExtension { Versions = [ProtocolVersion.Tls12] })),
            _ => throw new ArgumentException(change),
        };
    }

    [Fact]
    public void UntouchedSecondHelloPassesTheSameHook()
    {
        // The tampering hook itself is transparent when it changes nothing.
        var server = InMemoryPair.DefaultServer();
        server.Groups = [NamedGroup.Secp256r1];
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        pair.ClientToServer = wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
            r.Type == ContentType.Handshake && r.Fragment[0] == 1
                ? r with { Fragment = Rebuild(HandshakeMessage.Decode<ClientHello>(r.Fragment, MessageContext.None)).Raw.ToArray() }
                : r));
        pair.Handshake();
        Assert.True(pair.Server.Info.HelloRetryRequested);
    }

    [Fact]
    public void RetryForAGroupTheClientAlreadySentIsIllegalParameter()
    {
        var server = InMemoryPair.DefaultServer();
        server.Groups = [NamedGroup.Secp256r1];
        using var pair = new InMemoryPair(server, InMemoryPair.DefaultClient());
        pair.ServerToClient = wire => WireSurgery.Join(WireSurgery.Split(wire).Select(r =>
        {
            if (r.Type != ContentType.Handshake || r.Fragment[0] != (byte)HandshakeType.ServerHello) return r;
            var hrr = HandshakeMessage.Decode<ServerHello>(r.Fragment, MessageContext.None);
            var forged = ServerHello.HelloRetryRequest(hrr.SessionId, hrr.CipherSuite,
                With(hrr.Extensions, ExtensionType.KeyShare, new KeyShareExtension { SelectedGroup = NamedGroup.X25519 }));
            return r with { Fragment = forged.Encode() };
        }));
        pair.HandshakeFails(pair.Client, AlertDescription.IllegalParameter, "Tls13.ExpectServerHello", "HelloRetryRequest asks for x25519");
    }
}
