using SharpTls.Hosting.Tests.Kestrel;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary><c>sharptls serve --metrics</c>: the SharpTls meter through OpenTelemetry's Prometheus exporter, scraped with curl.</summary>
public sealed class MetricsServeTests
{
    [Fact]
    public async Task Handshakes_by_binding_and_outcome_and_resumption_are_scraped_in_Prometheus_format()
    {
        string data = TestHome.NewDataDirectory();
        int port = ServeProcess.FreePort(), metrics = ServeProcess.FreePort();
        await using var serve = await ServeProcess.StartAsync(data, port, "--port", port.ToString(), "--metrics", "--metrics-address", $"127.0.0.1:{metrics}");
        await serve.WaitForOutputAsync($"metrics: curl http://127.0.0.1:{metrics}/metrics");
        string ca = Path.Combine(data, "demo", "demo-ca.pem");
        var ok = await Peer.CurlAsync("--cacert", ca, "--resolve", $"shop.contoso.test:{port}:127.0.0.1", $"https://shop.contoso.test:{port}/");
        Assert.True(ok.ExitCode == 0, ok.ToString());
        var refused = await Peer.CurlAsync("--tls-max", "1.1", "--cacert", ca, $"https://localhost:{port}/");
        Assert.NotEqual(0, refused.ExitCode);
        await serve.WaitForOutputAsync("[36870]");

        string text = "";
        var until = DateTime.UtcNow.AddSeconds(20); // the exporter caches a scrape for a moment
        while (DateTime.UtcNow < until)
        {
            text = (await Peer.CurlAsync($"http://127.0.0.1:{metrics}/metrics")).Stdout;
            if (text.Contains("error_type=\"protocol_version\"") && text.Contains($"sharptls_binding=\"hostnameport=shop.contoso.test:{port}\"")) break;
            await Task.Delay(500);
        }
        Assert.Contains("# TYPE sharptls_tls_handshakes_total counter", text);
        Assert.Contains("# TYPE sharptls_tls_handshake_duration_seconds histogram", text);
        Assert.Contains("sharptls_active_tls_handshakes", text);
        Assert.Contains("sharptls_active_tls_connections", text);
        Assert.Contains("sharptls_tls_resumption_ratio", text);
        var success = text.Split('\n').Single(l => l.StartsWith("sharptls_tls_handshakes_total{", StringComparison.Ordinal)
            && l.Contains($"sharptls_binding=\"hostnameport=shop.contoso.test:{port}\"") && l.Contains("sharptls_outcome=\"success\""));
        Assert.Contains("tls_protocol_version=\"1.3\"", success);
        Assert.Contains("tls_cipher=\"TLS_AES_128_GCM_SHA256\"", success);
        Assert.Contains("tls_resumed=\"false\"", success);
        Assert.Contains(text.Split('\n'), l => l.StartsWith("sharptls_tls_handshakes_total{", StringComparison.Ordinal)
            && l.Contains("sharptls_outcome=\"failure\"") && l.Contains("error_type=\"protocol_version\""));
    }
}
