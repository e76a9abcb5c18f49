using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// What a host needs from the engine once it serves the legacy versions: h2 is never chosen below TLS 1.2 (RFC 9113 §9.2),
/// and a refused version names the host's own switch (<see cref="TlsServerOptions.VersionSwitchHint"/>).
/// </summary>
public class LegacyHostHooksTests
{
    private static InMemoryPair Pair(TlsVersions server, TlsVersions client, string[] serverAlpn, string[] clientAlpn, Func<TlsVersions, string>? hint = null)
    {
        var so = InMemoryPair.DefaultServer(UnitPki.EcdsaLeaf);
        so.Versions = server;
        so.ApplicationProtocols = serverAlpn;
        so.VersionSwitchHint = hint;
        var co = InMemoryPair.DefaultClient();
        co.Versions = client;
        co.ApplicationProtocols = clientAlpn;
        return new InMemoryPair(so, co);
    }

    [Theory]
    [InlineData(TlsVersions.Tls10, "http/1.1")]
    [InlineData(TlsVersions.Tls11, "http/1.1")]
    [InlineData(TlsVersions.Tls12, "h2")]
    [InlineData(TlsVersions.Tls13, "h2")]
    public void H2_is_chosen_only_from_TLS_12_on(TlsVersions version, string expected)
    {
        using var pair = Pair(TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Default, version, ["h2", "http/1.1"], ["h2", "http/1.1"]);
        pair.Handshake();
        Assert.Equal(expected, pair.Server.Info.ApplicationProtocol);
        Assert.Equal(expected, pair.Client.Info.ApplicationProtocol);
    }

    [Fact]
    public void A_server_with_only_h2_refuses_a_TLS_10_client_with_no_application_protocol()
    {
        using var pair = Pair(TlsVersions.Tls10 | TlsVersions.Default, TlsVersions.Tls10, ["h2"], ["h2", "http/1.1"]);
        pair.HandshakeFails(pair.Server, AlertDescription.NoApplicationProtocol, "Server.AwaitPolicy", "no application protocol in common");
    }

    [Fact]
    public void The_refusal_names_the_hosts_switch_when_the_policy_gives_one()
    {
        var asked = new List<TlsVersions>();
        using var pair = Pair(TlsVersions.Default, TlsVersions.Tls10 | TlsVersions.Tls11, [], [], flag => { asked.Add(flag); return $"'host enable {flag}'"; });
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.ProtocolVersion, "Server.AwaitPolicy", "no protocol version in common");
        Assert.Contains("TLS 1.1 is switched off here, 'host enable Tls11' would allow it", failure.Reason);
        Assert.DoesNotContain("sharptls listen", failure.Reason);
        Assert.Equal([TlsVersions.Tls11], asked); // the version the client wanted most
    }
}
