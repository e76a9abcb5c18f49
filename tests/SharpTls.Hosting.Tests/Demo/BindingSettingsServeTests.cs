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
    public async Task A_session_resumes_across_a_binding_table_swap_and_TLS12_session_ids_resume()
    {
        await using var serve = await DemoServe.StartAsync();
        string data = serve.Data, ca = serve.Ca;
        int port = serve.Port;
        string session = Path.Combine(data, "www.session");
        int table = 1;
        foreach (string version in new[] { "-tls1_3", "-tls1_2" })
        {
            var first = await Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "www.contoso.test", version, "-ign_eof", "-CAfile", ca, "-sess_out", session],
                TimeSpan.FromSeconds(20), stdin: "GET /?format=text HTTP/1.1\r\nHost: www.contoso.test\r\nConnection: close\r\n\r\n");
            Assert.Contains("New, TLSv1.", first.Stdout);
            // A change of the table (another binding updated) swaps in new policies; the ticket keys stay the listener's.
            var store = serve.Store;
            store.Update(serve.Key("localhost"), b => b with { DisableHttp2 = !b.DisableHttp2 });
            await serve.WaitForOutputAsync($"SSL bindings in force (table {++table})"); // the swap happened
            var again = await Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "www.contoso.test", version, "-ign_eof", "-CAfile", ca, "-sess_in", session],
                TimeSpan.FromSeconds(20), stdin: "GET /?format=text HTTP/1.1\r\nHost: www.contoso.test\r\nConnection: close\r\n\r\n");
            Assert.True(again.Stdout.Contains("Reused, TLSv1."), $"{version} did not resume: {again}\n{serve.Output}");
            Assert.Contains("Resumed: yes", again.Stdout);
        }
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
}
