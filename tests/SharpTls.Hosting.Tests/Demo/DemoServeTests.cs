
namespace SharpTls.Hosting.Tests.Demo;

/// <summary>The embedded default of the real <c>sharptls serve</c>, against curl and openssl.</summary>
public sealed class DemoServeTests
{
    [Fact]
    public async Task Three_names_on_one_port_get_their_certificate_and_page_and_a_second_start_reuses_them()
    {
        string data = TestHome.NewDataDirectory();
        int port = ServeProcess.FreePort();
        string ca = Path.Combine(data, "demo", "demo-ca.pem");
        string firstCa;
        await using (var serve = await ServeProcess.StartAsync(data, port, "--port", port.ToString()))
        {
            await serve.WaitForOutputAsync("(no SNI: the ipport binding)");
            Assert.Contains($"the demo CA is {ca}", serve.Output);
            Assert.Contains("created:", serve.Output);
            Assert.Contains($"curl --cacert {ca} --resolve www.contoso.test:{port}:127.0.0.1 https://www.contoso.test:{port}/", serve.Output);
            firstCa = await File.ReadAllTextAsync(ca);
            foreach (string name in new[] { "localhost", "www.contoso.test", "shop.contoso.test" })
            {
                Assert.Equal($"subject=CN = {name}", await Peer.ServedSubjectAsync(port, name, ca));
                var page = await Peer.CurlAsync("--cacert", ca, "--resolve", $"{name}:{port}:127.0.0.1", $"https://{name}:{port}/");
                Assert.True(page.ExitCode == 0, page.ToString());
                Assert.Contains($"<h1>{name}</h1>", page.Stdout);
                Assert.Contains($"<tr><th>SNI</th><td>{name}</td></tr>", page.Stdout);
                Assert.Contains($"<tr><th>Binding</th><td>hostnameport={name}:{port}</td></tr>", page.Stdout);
                Assert.Contains($"SNI {name} matched hostnameport={name}:{port} exactly", page.Stdout);
                Assert.Contains("<tr><th>Protocol</th><td>TLS 1.3</td></tr>", page.Stdout);
                Assert.Contains("<tr><th>ALPN</th><td>h2</td></tr>", page.Stdout);
            }
            // A client without SNI is served by the ipport binding (the localhost certificate).
            Assert.Equal("subject=CN = localhost", await Peer.ServedSubjectAsync(port, null, ca));
            var noSni = await Peer.CurlAsync("--cacert", ca, $"https://127.0.0.1:{port}/?format=text");
            Assert.True(noSni.ExitCode == 0, noSni.ToString());
            Assert.Contains($"Binding: ipport=127.0.0.1:{port}", noSni.Stdout);
            Assert.Contains("SNI: none", noSni.Stdout);
            // A client that sends its IP address as SNI (wrk does; RFC 6066 does not permit it) is served as one without SNI.
            Assert.Equal("subject=CN = localhost", await Peer.ServedSubjectAsync(port, "127.0.0.1", ca));

            // HTTP/1.1 by ALPN when the client offers only it.
            var h1 = await Peer.CurlAsync("--http1.1", "--cacert", ca, $"https://localhost:{port}/?format=text");
            Assert.Contains("ALPN: http/1.1", h1.Stdout);
            Assert.Contains("HTTP/1.1, Host localhost", h1.Stdout);

            // The Host names another site than the SNI chose: 421, and the event says so.
            var misdirected = await Peer.CurlAsync("--cacert", ca, "--resolve", $"www.contoso.test:{port}:127.0.0.1", "-H", $"Host: shop.contoso.test:{port}",
                "-o", "/dev/null", "-w", "%{http_code}", $"https://www.contoso.test:{port}/");
            Assert.Equal("421", misdirected.Stdout);
            await serve.WaitForOutputAsync("[36895]");

            // A name with no hostnameport binding falls back to the ipport binding, in HTTP.sys order.
            Assert.Equal("subject=CN = localhost", await Peer.ServedSubjectAsync(port, "nobody.example", ca));
        }

        await using (var again = await ServeProcess.StartAsync(data, port, "--port", port.ToString()))
        {
            await again.WaitForOutputAsync("(no SNI: the ipport binding)");
            Assert.Contains("reusing the demo CA, certificates and bindings made before", again.Output);
            Assert.Equal(firstCa, await File.ReadAllTextAsync(ca));
            Assert.Equal("subject=CN = shop.contoso.test", await Peer.ServedSubjectAsync(port, "shop.contoso.test", ca));
        }
    }
}
