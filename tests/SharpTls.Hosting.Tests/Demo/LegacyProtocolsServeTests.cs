using System.Text.RegularExpressions;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// TLS 1.0 and 1.1 on a running <c>sharptls serve</c>, switched as an IIS administrator would: the server's switches
/// (Schannel's <c>Protocols\&lt;name&gt;\Server\Enabled</c>, here <c>sharptls http update protocols</c>) turn a version on for
/// every binding, a binding's <c>disablelegacytls</c> takes it away again. Checked with openssl s_client (-tls1, -tls1_1 at
/// @SECLEVEL=0), gnutls-cli, curl, and NSS's tstclnt for SSL 3.0 (OpenSSL 3.0 and GnuTLS here have none); each refusal is protocol_version and one event 36870 naming the switch that is off.
/// </summary>
public sealed partial class LegacyProtocolsServeTests
{
    private const string Request = "GET /?format=text HTTP/1.1\r\nHost: {0}\r\nConnection: close\r\n\r\n";

    private static Task<PeerResult> OpenSslAsync(DemoServe serve, string host, string version)
        => Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{serve.Port}", "-servername", host, version, "-cipher", "DEFAULT@SECLEVEL=0",
            "-CAfile", serve.Ca, "-verify_return_error", "-ign_eof"], TimeSpan.FromSeconds(20), stdin: string.Format(null, Request, host));

    private static Task<PeerResult> GnutlsAsync(DemoServe serve, string host, string version)
        => Peer.RunAsync("gnutls-cli", ["--priority", $"NORMAL:-VERS-ALL:+VERS-{version}", "--x509cafile", serve.Ca, "--port", serve.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--sni-hostname", host, "--verify-hostname", host, "127.0.0.1"], TimeSpan.FromSeconds(20), stdin: string.Format(null, Request, host));

    private static int Refusals(DemoServe serve) => VersionRefused().Matches(serve.Output).Count;

    [GeneratedRegex(@"SharpTls\.Hosting\[36870\]")]
    private static partial Regex VersionRefused();

    [Fact]
    public async Task The_server_switches_turn_TLS10_and_TLS11_on_while_serving_and_disablelegacytls_takes_them_off_a_binding()
    {
        await using var serve = await DemoServe.StartAsync();

        // Off by default: protocol_version, and one event that says which command would switch it on.
        var off = await OpenSslAsync(serve, "www.contoso.test", "-tls1");
        Assert.Contains("alert protocol version", off.Stderr);
        await serve.WaitForOutputAsync("SharpTls.Hosting[36870]");
        Assert.Contains("TLS 1.0 is switched off here, 'sharptls http update protocols tls1.0=enable' (the server's switch; Schannel: Protocols\\TLS 1.0\\Server\\Enabled=1) would allow it", serve.Output);
        Assert.Equal(1, Refusals(serve));

        // Switched on for every binding while serving (no restart).
        int mark = serve.Mark;
        var on = await serve.CliAsync("http", "update", "protocols", "tls1.0=enable", "tls1.1=enable");
        Assert.True(on.ExitCode == 0, on.ToString());
        await serve.WaitForOutputAfterAsync(mark, "server protocols TLS 1.0, TLS 1.1, TLS 1.2, TLS 1.3");
        var tls10 = await OpenSslAsync(serve, "www.contoso.test", "-tls1");
        Assert.True(tls10.Stdout.Contains("Protocol: TLS 1.0"), $"{tls10}\n{serve.Output}");
        Assert.Contains("Site: www.contoso.test", tls10.Stdout);
        Assert.Contains("Protocol  : TLSv1\n", tls10.Stdout);
        var tls11 = await OpenSslAsync(serve, "shop.contoso.test", "-tls1_1");
        Assert.True(tls11.Stdout.Contains("Protocol: TLS 1.1"), $"{tls11}\n{serve.Output}");
        var gnutls = await GnutlsAsync(serve, "www.contoso.test", "TLS1.1");
        Assert.True(gnutls.Stdout.Contains("Protocol: TLS 1.1"), $"{gnutls}\n{serve.Output}");
        Assert.Contains("- Description: (TLS1.1", gnutls.Stdout);
        // curl offers h2 and http/1.1: below TLS 1.2 it gets HTTP/1.1 (RFC 9113 §9.2), the page, not a dropped connection.
        var curl = await serve.CurlAsync("www.contoso.test", "/?format=text", "--tlsv1.0", "--tls-max", "1.0", "--ciphers", "DEFAULT@SECLEVEL=0", "--http2");
        Assert.True(curl.ExitCode == 0, $"{curl}\n{serve.Output}");
        Assert.Contains("Protocol: TLS 1.0", curl.Stdout);
        Assert.Contains("ALPN: http/1.1", curl.Stdout);
        Assert.Equal(1, Refusals(serve));

        // show sslcert says so, after netsh's blocks.
        var show = await serve.CliAsync("http", "show", "sslcert", $"hostnameport=www.contoso.test:{serve.Port}");
        Assert.Contains("    TLS 1.0                      : Enabled\n    TLS 1.1                      : Enabled\n", show.Stdout);
        Assert.Contains("    Disable Legacy TLS Versions  : Not Set\n", show.Stdout);

        // One binding opts out: refused there (the event names the binding's switch), still served on the others.
        mark = serve.Mark;
        var optOut = await serve.CliAsync("http", "update", "sslcert", $"hostnameport=www.contoso.test:{serve.Port}", "disablelegacytls=enable");
        Assert.True(optOut.ExitCode == 0, optOut.ToString());
        await serve.WaitForOutputAfterAsync(mark, "SSL bindings in force");
        var refused = await Peer.UntilAsync(() => GnutlsAsync(serve, "www.contoso.test", "TLS1.1"), r => !r.Stdout.Contains("Protocol: TLS 1.1")); // within a second or so
        Assert.Contains("Received alert [70]", refused.Stdout + refused.Stderr);
        Assert.DoesNotContain("Protocol: TLS 1.1", refused.Stdout);
        await serve.WaitForOutputAsync($"'sharptls http update sslcert hostnameport=www.contoso.test:{serve.Port} disablelegacytls=disable' (the binding's disablelegacytls) would allow it");
        Assert.Equal(2, Refusals(serve));
        var shop = await OpenSslAsync(serve, "shop.contoso.test", "-tls1");
        Assert.True(shop.Stdout.Contains("Protocol: TLS 1.0"), $"{shop}\n{serve.Output}");
        Assert.Contains("    Disable Legacy TLS Versions  : Set\n", (await serve.CliAsync("http", "show", "sslcert", $"hostnameport=www.contoso.test:{serve.Port}")).Stdout);

        // And off again for everyone.
        mark = serve.Mark;
        Assert.Equal(0, (await serve.CliAsync("http", "update", "protocols", "tls1.0=disable", "tls1.1=disable")).ExitCode);
        await serve.WaitForOutputAfterAsync(mark, "server protocols TLS 1.2, TLS 1.3");
        var offAgain = await OpenSslAsync(serve, "shop.contoso.test", "-tls1");
        Assert.Contains("alert protocol version", offAgain.Stderr);
        Assert.DoesNotContain("Protocol: TLS 1.0", offAgain.Stdout);
        await serve.WaitForOutputAfterAsync(mark, "TLS 1.0 is switched off here, 'sharptls http update protocols tls1.0=enable'");
    }

    [Fact]
    public async Task Ssl3_on_the_ip_binding_with_an_RSA_certificate_serves_NSS_tstclnt_once_the_server_switch_is_on()
    {
        await using var serve = await DemoServe.StartAsync();
        // SSL 3.0 has no SNI and no extensions, so no ECDHE: the IP binding gets an RSA certificate.
        var rsa = await serve.CliAsync("cert", "new", "--dns", "localhost", "--key", "rsa", "--ca", serve.CaPfx);
        Assert.True(rsa.ExitCode == 0, rsa.ToString());
        string hash = rsa.Stdout.Trim().Split('\n')[^1].Trim();
        int mark = serve.Mark;
        Assert.Equal(0, (await serve.CliAsync("http", "update", "sslcert", $"ipport=127.0.0.1:{serve.Port}", $"certhash={hash}")).ExitCode);
        await serve.WaitForOutputAfterAsync(mark, "SSL bindings in force");
        string db = Path.Combine(serve.Data, "nssdb");
        Directory.CreateDirectory(db);
        var created = await Peer.RunAsync("certutil", ["-N", "-d", "sql:" + db, "--empty-password"], TimeSpan.FromSeconds(30));
        Assert.True(created.ExitCode == 0, created.ToString());
        Task<PeerResult> Tstclnt() => Peer.RunAsync("tstclnt", ["-d", "sql:" + db, "-h", "127.0.0.1", "-p", serve.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-V", "ssl3:ssl3", "-o"], TimeSpan.FromSeconds(30), stdin: "GET /?format=text HTTP/1.0\r\nHost: localhost\r\n\r\n");

        var refused = await Tstclnt();
        Assert.DoesNotContain("Protocol: SSL 3.0", refused.Stdout);
        Assert.Contains("SSL_ERROR_PROTOCOL_VERSION_ALERT", refused.Stdout + refused.Stderr);
        await serve.WaitForOutputAsync("SSL 3.0 is switched off here, 'sharptls http update protocols ssl3=enable'");

        mark = serve.Mark;
        Assert.Equal(0, (await serve.CliAsync("http", "update", "protocols", "ssl3=enable")).ExitCode);
        await serve.WaitForOutputAfterAsync(mark, "server protocols SSL 3.0, TLS 1.2, TLS 1.3");
        var served = await Tstclnt();
        Assert.True(served.Stdout.Contains("Protocol: SSL 3.0"), $"{served}\n{serve.Output}");
        Assert.Contains($"Binding: ipport=127.0.0.1:{serve.Port}", served.Stdout);
        Assert.Contains($"thumbprint {hash}", served.Stdout);
        Assert.Equal(1, Refusals(serve));
    }
}
