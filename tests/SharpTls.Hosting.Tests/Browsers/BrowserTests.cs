using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace SharpTls.Hosting.Tests.Browsers;

/// <summary>
/// Real browsers against the real <c>sharptls serve</c>: headless Chromium and Firefox ESR, each trusting the
/// demo CA through its own NSS database under a temporary HOME or profile, names mapped to 127.0.0.1 without
/// DNS, load two sites on one port; the test reads each page's text and keeps a screenshot under TestResults/.
/// </summary>
public sealed class BrowserTests
{
    private static readonly string[] Sites = ["www.contoso.test", "shop.contoso.test"];

    [Fact]
    public async Task Chromium_loads_two_sites_on_one_port_trusting_the_demo_CA()
    {
        string data = TestHome.NewDataDirectory();
        int port = ServeProcess.FreePort();
        await using var serve = await ServeProcess.StartAsync(data, port, "--port", port.ToString());
        string ca = Path.Combine(data, "demo", "demo-ca.pem");
        string home = NewTemp("chromium-home");
        await TrustAsync(Path.Combine(home, ".pki", "nssdb"), ca);
        foreach (string site in Sites)
        {
            string url = $"https://{site}:{port}/";
            string[] common =
            [
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", $"--user-data-dir={NewTemp("chromium-profile")}",
                "--host-resolver-rules=MAP *.contoso.test 127.0.0.1, MAP * ~NOTFOUND",
            ];
            var env = new Dictionary<string, string> { ["HOME"] = home };
            var dom = await Peer.RunAsync("chromium", [.. common, "--dump-dom", url], TimeSpan.FromSeconds(90), env: env);
            Assert.True(dom.Stdout.Contains($"<h1>{site}</h1>"), $"Chromium did not show {site}: {dom}\nserver: {serve.Output}");
            Assert.Contains($"<td>hostnameport={site}:{port}</td>", dom.Stdout);
            Assert.Contains("<th>Protocol</th><td>TLS 1.3</td>", dom.Stdout);
            Assert.Contains("<th>ALPN</th><td>h2</td>", dom.Stdout);
            // RFC 8879: Chromium offers brotli certificate compression, and the server's Certificate went compressed.
            Assert.Contains("<th>Certificate compression</th><td>brotli</td>", dom.Stdout);
            // Chromium sends an X25519MLKEM768 share first, and the server prefers the hybrid when a share for it came.
            Assert.Contains("<th>Key exchange group</th><td>X25519MLKEM768</td>", dom.Stdout);
            string shot = TestArtifacts.PathFor("browsers", $"chromium-{site}.png");
            var s = await Peer.RunAsync("chromium", [.. common, "--window-size=1100,1100", $"--screenshot={shot}", url], TimeSpan.FromSeconds(90), env: env);
            Assert.True(File.Exists(shot) && new FileInfo(shot).Length > 1000, $"no screenshot: {s}");
        }
    }

    /// <summary>
    /// Firefox ESR 153 offers compress_certificate with zlib, brotli and zstd (in that order; prefs
    /// <c>security.tls.enable_certificate_compression_{zlib,brotli,zstd}</c>, all on by default). The server takes brotli
    /// first; with Firefox's brotli off it sends zlib, which Firefox must inflate to load the page; with zlib off too, zstd
    /// (RFC 8878); with all three off, the Certificate goes plain (RFC 8879 §3).
    /// </summary>
    [Theory]
    [InlineData(true, true, true, "brotli")]
    [InlineData(false, true, true, "zlib")]
    [InlineData(false, false, true, "zstd")]
    [InlineData(false, false, false, "none")]
    public async Task Firefox_loads_two_sites_on_one_port_trusting_the_demo_CA(bool brotli, bool zlib, bool zstd, string compression)
    {
        string data = TestHome.NewDataDirectory();
        int port = ServeProcess.FreePort();
        await using var serve = await ServeProcess.StartAsync(data, port, "--port", port.ToString());
        string ca = Path.Combine(data, "demo", "demo-ca.pem");
        string profile = NewTemp("firefox-profile");
        await TrustAsync(profile, ca);
        await File.WriteAllTextAsync(Path.Combine(profile, "user.js"), string.Join("\n",
            $"user_pref(\"network.dns.localDomains\", \"{string.Join(",", Sites)}\");",
            "user_pref(\"network.proxy.type\", 0);",
            "user_pref(\"network.http.http3.enable\", false);",
            "user_pref(\"security.OCSP.enabled\", 0);",
            "user_pref(\"browser.shell.checkDefaultBrowser\", false);",
            "user_pref(\"datareporting.policy.dataSubmissionEnabled\", false);",
            "user_pref(\"toolkit.telemetry.reportingpolicy.firstRun\", false);",
            "user_pref(\"browser.startup.homepage_override.mstone\", \"ignore\");",
            "user_pref(\"app.update.disabledForTesting\", true);",
            "user_pref(\"network.captive-portal-service.enabled\", false);",
            "user_pref(\"network.connectivity-service.enabled\", false);",
            $"user_pref(\"security.tls.enable_certificate_compression_brotli\", {(brotli ? "true" : "false")});",
            $"user_pref(\"security.tls.enable_certificate_compression_zlib\", {(zlib ? "true" : "false")});",
            $"user_pref(\"security.tls.enable_certificate_compression_zstd\", {(zstd ? "true" : "false")});",
            "") + "\n");
        int debugPort = ServeProcess.FreePort();
        var psi = new ProcessStartInfo("firefox-esr") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { "--headless", "--no-remote", "--profile", profile, "--remote-debugging-port", debugPort.ToString(), "about:blank" })
            psi.ArgumentList.Add(a);
        psi.Environment["HOME"] = NewTemp("firefox-home");
        psi.Environment["MOZ_CRASHREPORTER_DISABLE"] = "1";
        using var firefox = Process.Start(psi)!;
        var log = new StringBuilder();
        var listening = new TaskCompletionSource();
        firefox.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.Contains("WebDriver BiDi listening on")) listening.TrySetResult();
        };
        firefox.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        firefox.BeginErrorReadLine();
        firefox.BeginOutputReadLine();
        try
        {
            await listening.Task.WaitAsync(TimeSpan.FromSeconds(90));
            await using var bidi = await BiDi.ConnectAsync(new Uri($"ws://127.0.0.1:{debugPort}/session"));
            await bidi.SendAsync("session.new", new JsonObject { ["capabilities"] = new JsonObject() });
            var tree = await bidi.SendAsync("browsingContext.getTree", new JsonObject());
            string context = tree["contexts"]![0]!["context"]!.GetValue<string>();
            // The default prefs load both sites; the other two cases need one page to show what went on the wire.
            foreach (string site in brotli && zlib ? Sites : Sites[..1])
            {
                string url = $"https://{site}:{port}/";
                await bidi.SendAsync("browsingContext.navigate", new JsonObject { ["context"] = context, ["url"] = url, ["wait"] = "complete" });
                var text = await bidi.SendAsync("script.evaluate", new JsonObject
                {
                    ["expression"] = "document.querySelector('h1') ? document.querySelector('h1').innerText + '\\n' + document.body.innerText : document.documentElement.outerHTML",
                    ["target"] = new JsonObject { ["context"] = context },
                    ["awaitPromise"] = false,
                });
                string body = text["result"]?["value"]?.GetValue<string>() ?? text.ToJsonString();
                Assert.True(body.StartsWith(site + "\n", StringComparison.Ordinal), $"Firefox did not show {site}: {body}\nserver: {serve.Output}");
                Assert.Contains($"hostnameport={site}:{port}", body);
                Assert.Contains("TLS 1.3", body);
                Assert.Contains($"SNI {site} matched", body);
                // innerText separates a row's cells with a tab.
                Assert.Contains($"Certificate compression\t{compression}\n", body);
                // Firefox sends an X25519MLKEM768 share first (security.tls.enable_kyber), and the server takes it.
                Assert.Contains("Key exchange group\tX25519MLKEM768\n", body);
                var shot = await bidi.SendAsync("browsingContext.captureScreenshot", new JsonObject { ["context"] = context });
                byte[] png = Convert.FromBase64String(shot["data"]!.GetValue<string>());
                Assert.True(png.Length > 1000, "empty screenshot");
                await File.WriteAllBytesAsync(TestArtifacts.PathFor("browsers", $"firefox-{compression}-{site}.png"), png);
            }
            try { await bidi.SendAsync("session.end", new JsonObject()); } catch (WebSocketException) { }
        }
        catch (Exception e) when (e is TimeoutException or WebSocketException or InvalidOperationException)
        {
            lock (log) throw new Xunit.Sdk.XunitException($"Firefox: {e.Message}\n{log}\nserver: {serve.Output}");
        }
        finally
        {
            if (!firefox.HasExited) firefox.Kill(entireProcessTree: true);
            await firefox.WaitForExitAsync();
        }
    }

    /// <summary>An NSS database in <paramref name="dir"/> that trusts <paramref name="caPem"/> for TLS servers.</summary>
    private static async Task TrustAsync(string dir, string caPem)
    {
        Directory.CreateDirectory(dir);
        var create = await Peer.RunAsync("certutil", ["-d", $"sql:{dir}", "-N", "--empty-password"], TimeSpan.FromSeconds(30));
        Assert.True(create.ExitCode == 0, $"certutil -N: {create}");
        var add = await Peer.RunAsync("certutil", ["-d", $"sql:{dir}", "-A", "-t", "C,,", "-n", "SharpTls Demo CA", "-i", caPem], TimeSpan.FromSeconds(30));
        Assert.True(add.ExitCode == 0, $"certutil -A: {add}");
    }

    private static string NewTemp(string what)
    {
        string dir = Path.Combine(TestHome.Home, $"{what}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(dir);
        return dir;
    }

}

/// <summary>A minimal WebDriver BiDi client (commands and their results; events are ignored).</summary>
internal sealed class BiDi : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private int _id;

    public static async Task<BiDi> ConnectAsync(Uri uri)
    {
        var b = new BiDi();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await b._socket.ConnectAsync(uri, cts.Token);
        return b;
    }

    public async Task<JsonNode> SendAsync(string method, JsonObject parameters)
    {
        int id = ++_id;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await _socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cts.Token);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            using var ms = new MemoryStream();
            WebSocketReceiveResult r;
            do
            {
                r = await _socket.ReceiveAsync(buffer, cts.Token);
                if (r.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("the browser closed the BiDi connection");
                ms.Write(buffer, 0, r.Count);
            } while (!r.EndOfMessage);
            var node = JsonNode.Parse(ms.ToArray())!;
            if (node["id"]?.GetValue<int>() != id) continue; // an event
            if (node["type"]?.GetValue<string>() == "error")
                throw new InvalidOperationException($"{method}: {node["error"]} {node["message"]}");
            return node["result"]!;
        }
    }

    public ValueTask DisposeAsync()
    {
        _socket.Dispose();
        return ValueTask.CompletedTask;
    }
}
