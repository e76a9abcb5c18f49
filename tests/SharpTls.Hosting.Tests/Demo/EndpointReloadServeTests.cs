using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// SSL bindings on endpoints the running <c>sharptls serve</c> did not listen on: <c>http add sslcert</c> makes it listen
/// there without a restart, <c>http delete sslcert</c> closes the port again, and a connection on an endpoint that stays
/// keeps working through both changes. Checked with openssl s_client (the certificate served), curl (HTTP through the new
/// endpoint) and .NET's SslStream (the connection kept open).
/// </summary>
public sealed class EndpointReloadServeTests
{
    private const string AppId = "{6d3f1c2a-5b4e-4c8d-9a7f-0e1d2c3b4a59}";

    [Fact]
    public async Task Bindings_on_new_ports_are_listened_on_while_serving_and_deleting_them_closes_the_ports()
    {
        await using var serve = await DemoServe.StartAsync();
        string data = serve.Data, ca = serve.Ca;
        int port = serve.Port;
        string caPfx = serve.CaPfx;

        // A connection on the demo's endpoint, open before the changes and used after them.
        using var kept = await KeptConnection.OpenAsync(port, "www.contoso.test", ca);
        Assert.Contains("Site: www.contoso.test", await kept.GetAsync());

        var blog = Cli.Run(data, "cert", "new", "--dns", "blog.contoso.test", "--ca", caPfx);
        blog.AssertOk();
        string blogHash = blog.Out.Trim().Split('\n')[^1].Trim();
        var api = Cli.Run(data, "cert", "new", "--dns", "api.contoso.test", "--ca", caPfx);
        api.AssertOk();
        string apiHash = api.Out.Trim().Split('\n')[^1].Trim();

        // An ipport binding on a new port of 127.0.0.1, and a hostnameport binding on another new port (every address).
        int ipPort = ServeProcess.FreePort();
        int namePort = ServeProcess.FreePort();
        Assert.Equal(7, (await Peer.CurlAsync("--cacert", ca, $"https://127.0.0.1:{ipPort}/")).ExitCode); // nothing listens yet
        Cli.Run(data, "http", "add", "sslcert", $"ipport=127.0.0.1:{ipPort}", $"certhash={blogHash}", $"appid={AppId}").AssertOk();
        Cli.Run(data, "http", "add", "sslcert", $"hostnameport=api.contoso.test:{namePort}", $"certhash={apiHash}", $"appid={AppId}").AssertOk();
        await serve.WaitForOutputAsync($"https://*:{namePort}/", TimeSpan.FromSeconds(20));
        Assert.Contains($"https://127.0.0.1:{ipPort}/", serve.Output);

        // curl reaches the new ipport endpoint over TLS, verified against the demo CA; no site names it, so the router's 404 answers.
        var onIp = await Peer.CurlUntilAsync(r => r.ExitCode == 0, "--cacert", ca, "--resolve", $"blog.contoso.test:{ipPort}:127.0.0.1", $"https://blog.contoso.test:{ipPort}/");
        Assert.True(onIp.ExitCode == 0, $"the new ipport endpoint is not served: {onIp}\n{serve.Output}");
        Assert.Contains($"no site is bound to https 127.0.0.1:{ipPort} for Host blog.contoso.test", onIp.Stdout);
        Assert.Equal("subject=CN = blog.contoso.test", await Peer.ServedSubjectAsync(ipPort, null, ca));
        await WaitUntilServedAsync(namePort, "api.contoso.test", ca);
        Assert.Equal("subject=CN = api.contoso.test", await Peer.ServedSubjectAsync(namePort, "api.contoso.test", ca));

        // Deleting the ipport binding closes its port; the hostnameport one and the demo's stay.
        Cli.Run(data, "http", "delete", "sslcert", $"ipport=127.0.0.1:{ipPort}").AssertOk();
        await serve.WaitForOutputAsync($"removed [https://127.0.0.1:{ipPort}/]", TimeSpan.FromSeconds(20));
        var gone = await Peer.CurlUntilAsync(r => r.ExitCode == 7, "--cacert", ca, $"https://127.0.0.1:{ipPort}/");
        Assert.True(gone.ExitCode == 7, $"the deleted binding's port still answers: {gone}");
        Assert.Equal("subject=CN = api.contoso.test", await Peer.ServedSubjectAsync(namePort, "api.contoso.test", ca));

        // The connection made before the changes still works, on the endpoint that stayed.
        Assert.Contains("Site: www.contoso.test", await kept.GetAsync());
        Cli.Run(data, "http", "delete", "sslcert", $"hostnameport=api.contoso.test:{namePort}").AssertOk();
        await serve.WaitForOutputAsync($"removed [https://*:{namePort}/]", TimeSpan.FromSeconds(20));
        Assert.Contains("Site: www.contoso.test", await kept.GetAsync());
    }

    private static async Task WaitUntilServedAsync(int port, string serverName, string ca)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < until)
        {
            var r = await Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", serverName, "-CAfile", ca], TimeSpan.FromSeconds(20), stdin: "");
            if (r.Stdout.Contains("Verify return code: 0 (ok)")) return;
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"port {port} did not serve {serverName} within 20 s");
    }
}
