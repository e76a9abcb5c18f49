using SharpTls.Crypto;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Key-exchange groups (issue 10): X448, the RFC 7919 groups as TLS 1.3 shares (RFC 8446 §4.2.8.1), the ML-KEM hybrids
/// of draft-ietf-tls-ecdhe-mlkem, and ClientHellos naming obsolete or unknown groups (RFC 8446 §4.2.7: unknown groups are
/// ignored; §4.1.1: a HelloRetryRequest when a group we take is listed without a share; handshake_failure when none is).
/// X448 and FFDHE are also run against openssl and gnutls (Interop.Tests, Group_*); the three ML-KEM hybrids against
/// OpenSSL 3.5 in Node.js 26 and Firefox ESR's NSS (Interop.Tests, HybridGroupInteropTests and NssInteropTests):
/// Debian's OpenSSL 3.0 and GnuTLS 3.7.9 have no ML-KEM.
/// </summary>
public class GroupNegotiationTests
{
    public static TheoryData<NamedGroup> NewGroups => new()
    {
        NamedGroup.X448, NamedGroup.Ffdhe2048, NamedGroup.Ffdhe3072, NamedGroup.Ffdhe4096, NamedGroup.Ffdhe6144,
        NamedGroup.Ffdhe8192, NamedGroup.SecP256r1MlKem768, NamedGroup.SecP384r1MlKem1024, NamedGroup.X25519MlKem768,
    };

    [Theory]
    [MemberData(nameof(NewGroups))]
    public void Each_group_completes_a_tls13_handshake_and_carries_data(NamedGroup group)
    {
        var server = InMemoryPair.DefaultServer();
        var client = InMemoryPair.DefaultClient();
        if (NamedGroups.IsFfdhe(group))
        {
            // FFDHE is opt-in on both sides (Defaults.Groups says why).
            server.Groups = [NamedGroup.X25519, group];
            client.Groups = [group];
        }
        client.KeyShareGroups = [group];
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Equal((group, group, false), (pair.Client.Info.Group, pair.Server.Info.Group, pair.Server.Info.HelloRetryRequested));
        Assert.Equal("ping"u8.ToArray(), pair.Send(pair.Client, pair.Server, "ping"u8.ToArray()));
        Assert.Equal("pong"u8.ToArray(), pair.Send(pair.Server, pair.Client, "pong"u8.ToArray()));
    }

    /// <summary>A group reached through a HelloRetryRequest: the server takes only it, the client shared X25519 first.</summary>
    [Theory]
    [InlineData(NamedGroup.X448)]
    [InlineData(NamedGroup.Ffdhe2048)]
    [InlineData(NamedGroup.SecP256r1MlKem768)]
    [InlineData(NamedGroup.SecP384r1MlKem1024)]
    public void Each_group_is_reached_by_hello_retry_request(NamedGroup group)
    {
        var server = InMemoryPair.DefaultServer();
        server.Groups = [group];
        var client = InMemoryPair.DefaultClient();
        if (NamedGroups.IsFfdhe(group)) client.Groups = [NamedGroup.X25519, group];
        client.KeyShareGroups = [NamedGroup.X25519];
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Equal((group, true, true), (pair.Client.Info.Group, pair.Client.Info.HelloRetryRequested, pair.Server.Info.HelloRetryRequested));
    }

    /// <summary>Under the default order a share the client sent for any post-quantum hybrid wins over X25519.</summary>
    [Theory]
    [InlineData(NamedGroup.SecP256r1MlKem768)]
    [InlineData(NamedGroup.SecP384r1MlKem1024)]
    public void A_share_for_a_secp_hybrid_is_preferred_to_x25519(NamedGroup hybrid)
    {
        var client = InMemoryPair.DefaultClient();
        client.KeyShareGroups = [NamedGroup.X25519, hybrid];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.Handshake();
        Assert.Equal(hybrid, pair.Server.Info.Group);
    }

    [Theory]
    [InlineData((ushort)NamedGroup.Secp384r1)]
    [InlineData((ushort)NamedGroup.SecP384r1MlKem1024)]
    public void Rfc8446_4_2_8_a_client_configured_without_the_default_share_groups_shares_its_first_group(ushort code)
    {
        // Once an empty key_share: every such handshake paid a HelloRetryRequest round trip for nothing.
        var group = (NamedGroup)code;
        var client = InMemoryPair.DefaultClient();
        client.Groups = [group, NamedGroup.Secp256r1];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.Handshake();
        Assert.Equal((group, false), (pair.Server.Info.Group!.Value, pair.Server.Info.HelloRetryRequested));
        // KeyShareGroups = [] still means "no shares": the server asks for one.
        var empty = InMemoryPair.DefaultClient();
        empty.Groups = [group];
        empty.KeyShareGroups = [];
        using var retried = new InMemoryPair(InMemoryPair.DefaultServer(), empty);
        retried.Handshake();
        Assert.Equal((group, true), (retried.Server.Info.Group!.Value, retried.Server.Info.HelloRetryRequested));
    }

    [Fact]
    public void Ffdhe_is_opt_in_a_default_server_does_not_take_it()
    {
        var client = InMemoryPair.DefaultClient();
        client.Groups = [NamedGroup.Ffdhe2048];
        client.KeyShareGroups = [NamedGroup.Ffdhe2048];
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.", "no key exchange group in common");
    }

    private const NamedGroup Unassigned = (NamedGroup)0x1234;

    /// <summary>Our client's hello with obsolete and unassigned groups put in front (and, first time, shares for them).</summary>
    private static Func<ClientHello, ClientHello> WithObsoleteGroups(NamedGroup[] extraGroups, bool shares)
    {
        int hellos = 0;
        return h =>
        {
            var groups = h.Extensions.Find<SupportedGroupsExtension>()!.Groups;
            var keyShare = h.Extensions.Find<KeyShareExtension>()!;
            List<KeyShareEntry> entries = shares && hellos++ == 0
                ? [.. extraGroups.Select(g => new KeyShareEntry(g, new byte[g == NamedGroup.BrainpoolP256r1 ? 65 : 17])), .. keyShare.ClientShares]
                : [.. keyShare.ClientShares];
            var extensions = HelloRetryRequestTests.With(h.Extensions, ExtensionType.SupportedGroups, new SupportedGroupsExtension([.. extraGroups, .. groups]));
            extensions = HelloRetryRequestTests.With(extensions, ExtensionType.KeyShare, new KeyShareExtension { ClientShares = entries });
            return HelloRetryRequestTests.Rebuild(h, _ => extensions);
        };
    }

    private static readonly NamedGroup[] Obsolete = [NamedGroup.BrainpoolP256r1, NamedGroup.Sect571r1, NamedGroup.Secp256k1, Unassigned];

    [Fact]
    public void Obsolete_and_unknown_groups_and_their_shares_are_ignored()
    {
        var client = InMemoryPair.DefaultClient();
        client.KeyShareGroups = [NamedGroup.X25519];
        client.Crypto = new ScriptedCryptoProvider("obsolete") { ClientHelloReplay = WithObsoleteGroups(Obsolete, shares: true) };
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        pair.Handshake();
        Assert.Equal((NamedGroup.X25519, false), (pair.Server.Info.Group, pair.Server.Info.HelloRetryRequested));
    }

    [Fact]
    public void Obsolete_groups_with_shares_and_a_supported_group_without_one_get_a_hello_retry_request()
    {
        var server = InMemoryPair.DefaultServer();
        server.Groups = [NamedGroup.Secp256r1];
        var client = InMemoryPair.DefaultClient();
        client.KeyShareGroups = [NamedGroup.X25519];
        client.Crypto = new ScriptedCryptoProvider("obsolete-hrr") { ClientHelloReplay = WithObsoleteGroups(Obsolete, shares: true) };
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Equal((NamedGroup.Secp256r1, true), (pair.Server.Info.Group, pair.Server.Info.HelloRetryRequested));
    }

    [Fact]
    public async Task Only_obsolete_and_unknown_groups_is_handshake_failure()
    {
        using var probe = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        var ours = HandshakeMessage.Decode<ClientHello>(WireSurgery.Messages(WireSurgery.Split(probe.PendingOutput.ToArray())[0].Fragment)[0], MessageContext.None);
        var extensions = HelloRetryRequestTests.With(ours.Extensions, ExtensionType.SupportedGroups, new SupportedGroupsExtension([.. Obsolete]));
        extensions = HelloRetryRequestTests.With(extensions, ExtensionType.KeyShare, new KeyShareExtension
        {
            ClientShares = [new KeyShareEntry(NamedGroup.BrainpoolP256r1, new byte[65]), new KeyShareEntry(Unassigned, new byte[17])],
        });
        var hello = HelloRetryRequestTests.Rebuild(ours, _ => extensions);
        var options = InMemoryPair.DefaultServer();
        options.Versions = TlsVersions.Tls13;
        using var server = TlsConnection.CreateServer(options);
        InMemoryPair.FeedAll(server, WireSurgery.Record(ContentType.Handshake, hello.Encode(), 0x0301));
        if (server.Status == TlsStatus.WaitingForHost)
            await server.AnswerHostRequestAsync(CancellationToken.None);
        Failures.AssertGenerated(server, AlertDescription.HandshakeFailure, "Server.", "no key exchange group in common");
        Assert.Contains("brainpoolP256r1", server.Failure!.Reason);
        // The alert is all the server sent: no ServerHello first.
        var records = WireSurgery.Split(server.PendingOutput.ToArray());
        Assert.Equal([ContentType.Alert], records.Select(r => r.Type));
    }
}
