using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Tests.Kestrel;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>Per-binding protocol switches seen through Kestrel by curl: disablehttp2 gives HTTP/1.1 by ALPN, disabletls13 gives TLS 1.2.</summary>
public sealed class BindingSettingsServeTests
{
    [Fact]
    public async Task Disablehttp2_and_disabletls13_on_one_binding_give_curl_HTTP11_over_TLS12_and_leave_the_others()
    {
        await using var serve = await DemoServe.StartAsync();
        string ca = serve.Ca;
        int port = serve.Port;
        serve.Store
            .Update(serve.Key("shop.contoso.test"), b => b with { DisableHttp2 = true, DisableTls13 = true });
        string[] shop = ["--http2", "--cacert", ca, "--resolve", $"shop.contoso.test:{port}:127.0.0.1", $"https://shop.contoso.test:{port}/?format=text"];
        string page = "";
        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until && !page.Contains("ALPN: http/1.1"))
        {
            await Task.Delay(250);
            page = (await Peer.CurlAsync(shop)).Stdout;
        }
        Assert.Contains("ALPN: http/1.1", page);
        Assert.Contains("HTTP/1.1, Host shop.contoso.test", page);
        Assert.Contains("Protocol: TLS 1.2", page);
        Assert.Contains("Cipher suite: TLS_ECDHE_ECDSA_WITH_", page);

        var www = await Peer.CurlAsync("--http2", "--cacert", ca, "--resolve", $"www.contoso.test:{port}:127.0.0.1", $"https://www.contoso.test:{port}/?format=text");
        Assert.Contains("ALPN: h2", www.Stdout);
        Assert.Contains("Protocol: TLS 1.3", www.Stdout);
    }

    [Fact]
    public async Task Sessions_resume_across_a_table_swap_and_enablesessionticket_and_disablesessionid_turn_each_kind_off()
    {
        await using var serve = await DemoServe.StartAsync();
        string session = Path.Combine(serve.Data, "www.session");
        Task<PeerResult> Connect(string version, string sessionOption) => Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{serve.Port}",
                "-servername", "www.contoso.test", version, "-ign_eof", "-CAfile", serve.Ca, sessionOption, session],
            TimeSpan.FromSeconds(20), stdin: "GET /?format=text HTTP/1.1\r\nHost: www.contoso.test\r\nConnection: close\r\n\r\n");
        async Task<(PeerResult First, PeerResult Again)> Twice(string version, Func<Task>? between = null)
        {
            var first = await Connect(version, "-sess_out");
            Assert.True(first.Stdout.Contains("New, TLSv1."), $"{first}\n{serve.Output}");
            if (between is not null) await between();
            return (first, await Connect(version, "-sess_in"));
        }
        async Task Change(Func<SslBinding, SslBinding> change, BindingKey? key = null)
        {
            int mark = serve.Mark;
            serve.Store.Update(key ?? serve.Key("www.contoso.test"), change);
            await serve.WaitForOutputAfterAsync(mark, "SSL bindings in force");
        }

        foreach (string version in new[] { "-tls1_3", "-tls1_2" })
        {
            // A change of the table (another binding updated) swaps in new policies; the ticket keys stay the listener's.
            var (_, again) = await Twice(version, () => Change(b => b with { DisableHttp2 = !b.DisableHttp2 }, serve.Key("localhost")));
            Assert.True(again.Stdout.Contains("Reused, TLSv1."), $"{version} did not resume: {again}\n{serve.Output}");
            Assert.Contains("Resumed: yes", again.Stdout);
        }

        // enablesessionticket=disable: no ticket is issued; TLS 1.3 cannot resume, TLS 1.2 still resumes by session ID.
        await Change(b => b with { EnableSessionTicket = false });
        var noTicket = await Peer.UntilAsync(() => Connect("-tls1_3", "-sess_out"), r => !r.Stdout.Contains("TLS session ticket:")); // in force within a second or so
        Assert.DoesNotContain("TLS session ticket:", noTicket.Stdout);
        var (tls13, tls13Again) = await Twice("-tls1_3");
        Assert.DoesNotContain("TLS session ticket:", tls13.Stdout);
        Assert.True(tls13Again.Stdout.Contains("New, TLSv1.3"), $"TLS 1.3 resumed without tickets: {tls13Again}");
        var (tls12, tls12Again) = await Twice("-tls1_2");
        Assert.DoesNotContain("TLS session ticket:", tls12.Stdout);
        Assert.True(tls12Again.Stdout.Contains("Reused, TLSv1.2"), $"TLS 1.2 did not resume by session ID: {tls12Again}\n{serve.Output}");

        // disablesessionid too: TLS 1.2 has nothing left to resume with (in force within a second or so).
        await Change(b => b with { DisableSessionId = true });
        var noId = await Peer.UntilAsync(async () => (await Twice("-tls1_2")).Again, r => r.Stdout.Contains("New, TLSv1.2"));
        Assert.True(noId.Stdout.Contains("New, TLSv1.2"), $"TLS 1.2 resumed with session IDs off: {noId}");
        Assert.Contains("Resumed: no", noId.Stdout);
    }

    [Fact]
    public async Task Logextendedevents_logs_the_bindings_successful_handshakes_and_only_its_own()
    {
        await using var serve = await DemoServe.StartAsync();
        string ca = serve.Ca;
        int port = serve.Port;
        serve.Store
            .Update(serve.Key("www.contoso.test"), b => b with { LogExtendedEvents = true });
        await serve.WaitForOutputAsync("SSL bindings in force (table 2)");
        var shop = await Peer.CurlAsync("--cacert", ca, "--resolve", $"shop.contoso.test:{port}:127.0.0.1", $"https://shop.contoso.test:{port}/");
        Assert.True(shop.ExitCode == 0, shop.ToString());
        var www = await Peer.CurlAsync("--cacert", ca, "--resolve", $"www.contoso.test:{port}:127.0.0.1", $"https://www.contoso.test:{port}/");
        Assert.True(www.ExitCode == 0, www.ToString());
        await serve.WaitForOutputAsync($"SharpTls.Hosting[36880] A TLS server handshake completed successfully on binding hostnameport=www.contoso.test:{port}");
        Assert.DoesNotContain("successfully on binding hostnameport=shop.contoso.test", serve.Output);
    }

    [Fact]
    public async Task The_receive_window_show_sslcert_prints_as_an_extended_property_is_the_one_nghttp_is_given()
    {
        await using var serve = await DemoServe.StartAsync();
        var show = await serve.CliAsync("http", "show", "sslcert", $"hostnameport=localhost:{serve.Port}");
        Assert.True(show.ExitCode == 0, show.ToString());
        var block = show.Stdout.Split('\n');
        int at = Array.IndexOf(block, "    Extended Properties:");
        Assert.True(at > 0, show.Stdout);
        Assert.Equal("    PropertyId                   : 0", block[at + 1]);
        Assert.StartsWith("    Receive Window               : ", block[at + 2], StringComparison.Ordinal);
        int window = int.Parse(block[at + 2].Split(':')[1].Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.DoesNotContain("Max Settings Per Frame", show.Stdout); // no Kestrel counterpart

        // HTTP/2 starts every connection with a 65,535-byte window; the server widens it with a WINDOW_UPDATE on stream 0.
        var nghttp = await Peer.RunAsync("nghttp", ["-nv", $"https://localhost:{serve.Port}/?format=text"], TimeSpan.FromSeconds(20));
        Assert.True(nghttp.ExitCode == 0, nghttp.ToString());
        var update = System.Text.RegularExpressions.Regex.Match(nghttp.Stdout,
            @"recv WINDOW_UPDATE frame <length=4, flags=0x00, stream_id=0>\s*\(window_size_increment=(\d+)\)");
        Assert.True(update.Success, nghttp.Stdout);
        Assert.Equal(window, 65535 + int.Parse(update.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
    }
}
