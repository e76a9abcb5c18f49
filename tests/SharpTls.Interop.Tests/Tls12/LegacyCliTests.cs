using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls12;

/// <summary>
/// The legacy switches on the command line: <c>sharptls listen --protocols</c> (a real listen process) serves openssl
/// s_client at TLS 1.0 only when the switch is on, and <c>sharptls connect --protocols tls1.1</c> talks to openssl s_server
/// at TLS 1.1 (trace and resumption); an unknown version name is refused with the list of names; and what listen logs when
/// a client offers no suite the server has (NULL suites at TLS 1.2 and TLS 1.0, RC4 from gnutls-cli): Schannel's 36874, as at TLS 1.3.
/// </summary>
public class LegacyCliTests
{
    private static readonly TestPki Pki = TestPki.Shared;
    private static string Cli => Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");

    private static Task<PeerProcess> ListenAsync(int port, params string[] extra) => SharpTlsCli.ListenAsync(port, ["--echo", .. extra], TimeSpan.FromMinutes(2));

    [Fact]
    public async Task Listen_Protocols_SwitchesTls10OnAndOff()
    {
        int on = Ports.Free();
        await using (var listen = await ListenAsync(on, "--protocols", "tls1.0,tls1.2"))
        {
            var c = await OpenSslClient.RunAsync(new() { Port = on, Version = ProtocolVersion.Tls10, SecurityLevel0 = true }, "cli-tls10", "cli-tls10");
            Assert.True(c.HandshakeCompleted, c.ToString() + listen.Output);
            Assert.Equal(ProtocolVersion.Tls10, c.Version);
        }
        int off = Ports.Free();
        await using var byDefault = await ListenAsync(off);
        var refused = await OpenSslClient.RunAsync(new() { Port = off, Version = ProtocolVersion.Tls10, SecurityLevel0 = true });
        Assert.False(refused.HandshakeCompleted, refused.ToString());
        Assert.Contains("alert protocol version", refused.Output);
        // The event on the listen side names the switch.
        Assert.True(await byDefault.TryWaitUntilAsync(o => o.Contains("sharptls listen --protocols tls1.0", StringComparison.Ordinal), "the switch in the event", TimeSpan.FromSeconds(10)),
            "the listen event did not name the switch:\n" + byDefault.Output);
        Assert.Contains("Protocols\\TLS 1.0\\Server\\Enabled", byDefault.Output);
    }

    [Fact]
    public async Task Connect_Protocols_Tls11_Trace_And_Resume()
    {
        await using var server = await OpenSslServer.StartAsync(new()
        {
            Version = ProtocolVersion.Tls11, Certificate = Pki.ServerRsa, Cipher = "DHE-RSA-AES128-SHA", SecurityLevel0 = true, MaxConnections = 2,
        });
        await using var connect = PeerProcess.Start("dotnet", [Cli, "connect", $"127.0.0.1:{server.Port}", "--servername", "localhost", "--cafile", Pki.RootCaPath,
            "--protocols", "tls1.1", "--ciphers", "TLS_DHE_RSA_WITH_AES_128_CBC_SHA", "--resume"], new PeerProcessOptions { DisplayName = "sharptls connect" });
        int exit = await connect.WaitForExitAsync(TimeSpan.FromSeconds(60));
        string output = connect.StandardOutput;
        Assert.True(exit == 0, output + connect.StandardError);
        Assert.Contains("Handshake Protocol: Server Key Exchange", output);
        Assert.Contains("Handshake Protocol: Finished [decrypted]", output);
        Assert.Equal(2, output.Split("Protocol: TLS 1.1 (0x0302)").Length - 1);
        Assert.Contains("Resumed: yes", output);
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls12, "tls1.2")]
    [InlineData(ProtocolVersion.Tls10, "tls1.0,tls1.2")]
    public async Task Listen_NoCipherSuiteInCommon_IsEvent36874_AtTls12AndLegacyVersions(ProtocolVersion version, string protocols)
    {
        int port = Ports.Free();
        await using var listen = await ListenAsync(port, "--protocols", protocols);
        // NULL-SHA256 is TLS 1.2 only; at TLS 1.0 the client offers NULL-SHA: suites OpenSSL still has, which we never negotiate.
        string cipher = version == ProtocolVersion.Tls12 ? "NULL-SHA256:@SECLEVEL=0" : "NULL-SHA:@SECLEVEL=0";
        var c = await OpenSslClient.RunAsync(new() { Port = port, Version = version, Cipher = cipher });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Contains("handshake failure", c.Output);
        Assert.True(await listen.TryWaitUntilAsync(o => o.Contains("[36874]", StringComparison.Ordinal), "event 36874", TimeSpan.FromSeconds(10)),
            "listen did not log 36874:\n" + listen.Output);
        Assert.Contains("no cipher suite in common at " + ProtocolVersions.Name((ushort)version), listen.Output);
        Assert.Contains(version == ProtocolVersion.Tls12 ? "TLS_RSA_WITH_NULL_SHA256" : "TLS_RSA_WITH_NULL_SHA", listen.Output);
        Assert.DoesNotContain("[36888]", listen.Output);
    }

    [Fact]
    public async Task Listen_Rc4OnlyClient_IsHandshakeFailureAndEvent36874ListingTheOffer()
    {
        // Issue 9's negative check as written: a client offering only RC4. OpenSSL 3.0's libssl has no RC4 left;
        // gnutls-cli 3.7 still offers it when asked.
        int port = Ports.Free();
        await using var listen = await ListenAsync(port);
        var c = await GnuTlsClient.RunAsync(new() { Port = port, Priority = "NONE:+VERS-TLS1.2:+ARCFOUR-128:+SHA1:+MD5:+RSA:+COMP-NULL:+SIGN-ALL:+CURVE-ALL" });
        Assert.False(c.HandshakeCompleted, c.ToString());
        Assert.Contains("Received alert [40]", c.Output);
        Assert.True(await listen.TryWaitUntilAsync(o => o.Contains("[36874]", StringComparison.Ordinal), "event 36874", TimeSpan.FromSeconds(10)),
            "listen did not log 36874:\n" + listen.Output);
        Assert.Contains("the client offers TLS_RSA_WITH_RC4_128_SHA, TLS_RSA_WITH_RC4_128_MD5", listen.Output);
    }

    [Theory]
    [InlineData("listen")]
    [InlineData("connect")]
    public async Task Protocols_UnknownName_IsAnErrorListingTheNames(string verb)
    {
        string[] args = verb == "listen"
            ? [Cli, "listen", "--port", Ports.Free().ToString(), "--cert", Pki.ServerRsa.FullChainPath, "--key", Pki.ServerRsa.KeyPath, "--protocols", "ssl2"]
            : [Cli, "connect", "127.0.0.1:1", "--protocols", "ssl2"];
        await using var p = PeerProcess.Start("dotnet", args, new PeerProcessOptions { DisplayName = "sharptls " + verb });
        int exit = await p.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, exit);
        Assert.Contains("--protocols takes ssl3, tls1.0, tls1.1, tls1.2 and tls1.3", p.StandardError);
    }
}
