using System.Text.Json;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// The SharpTls meter of <c>sharptls serve</c>: through OpenTelemetry's Prometheus exporter (<c>--metrics</c>), scraped with
/// curl, and read by <c>dotnet-counters</c> (the repository's local tool) attached to the running process.
/// </summary>
public sealed class MetricsServeTests
{
    [Fact]
    public async Task Handshakes_by_binding_and_outcome_and_resumption_are_scraped_in_Prometheus_format()
    {
        int metrics = ServeProcess.FreePort();
        await using var serve = await DemoServe.StartAsync("--metrics", "--metrics-address", $"127.0.0.1:{metrics}");
        await serve.WaitForOutputAsync($"metrics: curl http://127.0.0.1:{metrics}/metrics");
        string ca = serve.Ca;
        int port = serve.Port;
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

    [Fact]
    public async Task Dotnet_counters_attached_to_serve_reads_handshakes_by_binding_and_the_open_connections()
    {
        await using var serve = await DemoServe.StartAsync();
        string ca = serve.Ca;
        int port = serve.Port;

        // A connection opened before dotnet-counters attaches: the active-connections instrument must count it.
        using var kept = await KeptConnection.OpenAsync(port, "www.contoso.test", ca);
        Assert.Contains("Site: www.contoso.test", await kept.GetAsync());

        string output = Path.Combine(TestHome.Home, $"counters-{Guid.NewGuid():N}.json");
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "SharpTls.slnx"))) root = root.Parent;
        Assert.NotNull(root);
        var collect = Peer.RunAsync("dotnet", ["tool", "run", "--allow-roll-forward", "dotnet-counters", "--", "collect", "--process-id", serve.Serve.Pid.ToString(),
                "--counters", "SharpTls", "--format", "json", "--output", output, "--refresh-interval", "1", "--duration", "00:00:00:08"],
            TimeSpan.FromSeconds(90), env: new Dictionary<string, string> { ["HOME"] = TestHome.OriginalHome ?? TestHome.Home, ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1" },
            workingDirectory: root!.FullName);
        // Handshakes until it has collected (attaching can take seconds on a loaded machine: a fixed number of them could all
        // come before it listens).
        for (int i = 0; i < 6 || !collect.IsCompleted; i++)
        {
            var ok = await Peer.CurlAsync("--cacert", ca, "--resolve", $"shop.contoso.test:{port}:127.0.0.1", $"https://shop.contoso.test:{port}/");
            Assert.True(ok.ExitCode == 0, ok.ToString());
            await Task.Delay(500);
        }
        var result = await collect;
        Assert.True(result.ExitCode == 0 && File.Exists(output), $"dotnet-counters failed: {result}");

        using var json = JsonDocument.Parse(File.ReadAllText(output));
        var events = json.RootElement.GetProperty("Events").EnumerateArray()
            .Select(e => (Name: e.GetProperty("name").GetString()!, Tags: e.GetProperty("tags").GetString()!, Value: e.GetProperty("value").GetDouble())).ToList();
        var handshakes = events.Where(e => e.Name.StartsWith("sharptls.tls_handshakes ", StringComparison.Ordinal)
            && e.Tags.Contains($"sharptls.binding=hostnameport=shop.contoso.test:{port}") && e.Tags.Contains("sharptls.outcome=success")).ToList();
        Assert.True(handshakes.Sum(e => e.Value) >= 1, $"no shop handshakes seen by dotnet-counters: {File.ReadAllText(output)}");
        Assert.Contains(handshakes, e => e.Tags.Contains("tls.protocol.version=1.3"));
        Assert.Contains(events, e => e.Name.StartsWith("sharptls.tls_handshake.duration", StringComparison.Ordinal) && e.Tags.Contains("Percentile=99"));
        var connections = events.Where(e => e.Name.StartsWith("sharptls.active_tls_connections", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(connections);
        Assert.All(connections, e => Assert.True(e.Value >= 1, $"active_tls_connections read {e.Value} while a connection was open"));
    }
}
