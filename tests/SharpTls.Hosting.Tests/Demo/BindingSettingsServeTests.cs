using SharpTls.Hosting.Bindings;

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

    /// <summary>The receive window nghttp is given: the WINDOW_UPDATE on stream 0 that widens HTTP/2's 65,535-byte start.</summary>
    private static async Task<int> ConnectionWindowAsync(DemoServe serve)
    {
        var nghttp = await Peer.RunAsync("nghttp", ["-nv", $"https://localhost:{serve.Port}/?format=text"], TimeSpan.FromSeconds(20));
        Assert.True(nghttp.ExitCode == 0, nghttp.ToString());
        var update = System.Text.RegularExpressions.Regex.Match(nghttp.Stdout,
            @"recv WINDOW_UPDATE frame <length=4, flags=0x00, stream_id=0>\s*\(window_size_increment=(\d+)\)");
        Assert.True(update.Success, nghttp.Stdout);
        return 65535 + int.Parse(update.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string ExtendedPropertiesOf(string show)
    {
        int at = show.IndexOf(" Extended Properties:\n", StringComparison.Ordinal);
        Assert.True(at > 0, show);
        return show[at..].Split("\n\n")[0];
    }

    [Fact]
    public async Task The_receive_window_is_set_per_binding_with_http2receivewindow_and_nghttp_is_given_it()
    {
        await using var serve = await DemoServe.StartAsync();
        var show = await serve.CliAsync("http", "show", "sslcert", $"hostnameport=localhost:{serve.Port}");
        Assert.True(show.ExitCode == 0, show.ToString());
        Assert.Equal(" Extended Properties:\n    PropertyId                   : 0\n    Receive Window               : 1048576\n" +
            " Extended Properties:\n    PropertyId                   : 1\n    Max Settings Per Frame       : 2796202\n    Max Settings Per Minute      : 4294967295",
            ExtendedPropertiesOf(show.Stdout));
        Assert.Equal(1048576, await ConnectionWindowAsync(serve));

        // Windows sets it through the API; here `http update sslcert`. Kestrel reads its one window when serve starts.
        var update = await serve.CliAsync("http", "update", "sslcert", $"hostnameport=localhost:{serve.Port}", "http2receivewindow=4194304");
        Assert.True(update.ExitCode == 0, update.ToString());
        show = await serve.CliAsync("http", "show", "sslcert", $"hostnameport=localhost:{serve.Port}");
        Assert.Contains("    Receive Window               : 4194304\n", show.Stdout, StringComparison.Ordinal);
        var json = await serve.CliAsync("http", "show", "sslcert", $"hostnameport=localhost:{serve.Port}", "--json");
        Assert.Contains("\"http2receivewindow\": 4194304", json.Stdout, StringComparison.Ordinal);
        // While serve runs, the change is reported, not silently ignored.
        await serve.WaitForOutputAsync("[36909]");
        Assert.Contains("Restart sharptls serve to apply a changed window.", serve.Output, StringComparison.Ordinal);
        Assert.Equal(1048576, await ConnectionWindowAsync(serve));

        await serve.RestartAsync();
        Assert.Equal(4194304, await ConnectionWindowAsync(serve));
        // One window per server: the largest is applied, and the bindings that named another are listed.
        await serve.WaitForOutputAsync("[36909]");
        Assert.Contains($"not the 1048576 of hostnameport=www.contoso.test:{serve.Port}", serve.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Http2_settings_limits_close_a_connection_that_exceeds_them_and_leave_nghttp_and_other_bindings_served()
    {
        await using var serve = await DemoServe.StartAsync();
        int mark = serve.Mark;
        var update = await serve.CliAsync("http", "update", "sslcert", $"hostnameport=localhost:{serve.Port}",
            "http2maxsettingsperframe=7", "http2maxsettingsperminute=7");
        Assert.True(update.ExitCode == 0, update.ToString());
        await serve.WaitForOutputAfterAsync(mark, "SSL bindings in force");
        var show = await serve.CliAsync("http", "show", "sslcert", $"hostnameport=localhost:{serve.Port}");
        Assert.Contains("    Max Settings Per Frame       : 7\n    Max Settings Per Minute      : 7\n", show.Stdout, StringComparison.Ordinal);

        // A real HTTP/2 client's SETTINGS (nghttp sends a few parameters) is within the limits: its request is answered.
        var nghttp = await Peer.RunAsync("nghttp", ["-nv", $"https://localhost:{serve.Port}/?format=text"], TimeSpan.FromSeconds(20));
        Assert.True(nghttp.ExitCode == 0, nghttp.ToString());
        Assert.Contains("The negotiated protocol: h2", nghttp.Stdout, StringComparison.Ordinal);
        Assert.Contains(":status: 200", nghttp.Stdout, StringComparison.Ordinal);

        // Over SslStream (ALPN h2): 8 parameters in one frame close the connection on localhost; www (no limits) answers them.
        using (var limited = await H2Client.OpenAsync(serve, "localhost"))
        {
            await limited.SendAsync([.. H2Frames.Preface, .. H2Frames.Settings(8)]);
            Assert.True(await limited.ClosedAsync(), "localhost kept a connection that sent 8 SETTINGS parameters");
            Assert.False(limited.SawSettingsAck);
        }
        await serve.WaitForOutputAsync("[36908]");
        Assert.Contains($"exceeded the SETTINGS limits of binding hostnameport=localhost:{serve.Port}: a SETTINGS frame with 8 parameters (http2maxsettingsperframe=7)", serve.Output, StringComparison.Ordinal);

        using (var free = await H2Client.OpenAsync(serve, "www.contoso.test"))
        {
            await free.SendAsync([.. H2Frames.Preface, .. H2Frames.Settings(8)]);
            Assert.True(await free.AckedAsync(), "www did not acknowledge the client's SETTINGS");
        }

        // Per minute: 4 parameters, acknowledged, then 4 more exceed 7.
        using (var twice = await H2Client.OpenAsync(serve, "localhost"))
        {
            await twice.SendAsync([.. H2Frames.Preface, .. H2Frames.Settings(4)]);
            Assert.True(await twice.AckedAsync(), "localhost did not acknowledge 4 SETTINGS parameters");
            await twice.SendAsync(H2Frames.Settings(4));
            Assert.True(await twice.ClosedAsync(), "localhost kept a connection that sent 8 SETTINGS parameters within a minute");
        }
        await serve.WaitForOutputAsync("8 SETTINGS parameters within a minute (http2maxsettingsperminute=7)");
    }
}

/// <summary>An HTTP/2 connection over .NET's SslStream (ALPN h2) that sends hand-made frames and reads the server's frame headers.</summary>
internal sealed class H2Client : IDisposable
{
    private readonly System.Net.Sockets.TcpClient _tcp;
    private readonly System.Net.Security.SslStream _tls;
    private readonly List<byte> _received = [];
    private int _parsed;

    private H2Client(System.Net.Sockets.TcpClient tcp, System.Net.Security.SslStream tls)
    {
        _tcp = tcp;
        _tls = tls;
    }

    /// <summary>A SETTINGS acknowledgement (type 4, flag ACK) came from the server.</summary>
    public bool SawSettingsAck { get; private set; }

    public static async Task<H2Client> OpenAsync(DemoServe serve, string host)
    {
        var (tcp, tls) = await KeptConnection.Connect(serve.Port, host,
            System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(serve.Ca), System.Net.Security.SslApplicationProtocol.Http2);
        Assert.Equal(System.Net.Security.SslApplicationProtocol.Http2, tls.NegotiatedApplicationProtocol);
        return new H2Client(tcp, tls);
    }

    public async Task SendAsync(byte[] bytes)
    {
        await _tls.WriteAsync(bytes);
        await _tls.FlushAsync();
    }

    /// <summary>Reads until the server acknowledges a SETTINGS frame (true) or closes (false), 15 s at most.</summary>
    public async Task<bool> AckedAsync()
    {
        SawSettingsAck = false;
        return await ReadUntilAsync(() => SawSettingsAck) && SawSettingsAck;
    }

    /// <summary>Reads until the server closes the connection (true), or 15 s pass (false).</summary>
    public async Task<bool> ClosedAsync() => !await ReadUntilAsync(() => false);

    /// <summary>Reads frames until <paramref name="done"/>; false when the connection ended (EOF or reset), true when done, throws after 15 s.</summary>
    private async Task<bool> ReadUntilAsync(Func<bool> done)
    {
        var buffer = new byte[16384];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!done())
        {
            int n;
            try { n = await _tls.ReadAsync(buffer, cts.Token); }
            catch (OperationCanceledException) { return true; } // still open after 15 s
            catch (IOException) { return false; }
            if (n == 0) return false;
            _received.AddRange(buffer.AsSpan(0, n).ToArray());
            while (_received.Count - _parsed >= 9)
            {
                int length = (_received[_parsed] << 16) | (_received[_parsed + 1] << 8) | _received[_parsed + 2];
                if (_received.Count - _parsed < 9 + length) break;
                if (_received[_parsed + 3] == 0x4 && (_received[_parsed + 4] & 1) != 0) SawSettingsAck = true;
                _parsed += 9 + length;
            }
        }
        return true;
    }

    public void Dispose()
    {
        _tls.Dispose();
        _tcp.Dispose();
    }
}
