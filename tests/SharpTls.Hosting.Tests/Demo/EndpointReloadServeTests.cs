using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Tests.Bindings;
using SharpTls.Hosting.Tests.Kestrel;

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
        string data = TestHome.NewDataDirectory();
        int port = ServeProcess.FreePort();
        await using var serve = await ServeProcess.StartAsync(data, port, "--port", port.ToString());
        await serve.WaitForOutputAsync("(no SNI: the ipport binding)");
        string ca = Path.Combine(data, "demo", "demo-ca.pem");
        string caPfx = Path.Combine(data, "demo", "demo-ca.pfx");

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

    /// <summary>An HTTP/1.1 keep-alive connection over .NET's SslStream, for requests before and after a change.</summary>
    private sealed class KeptConnection : IDisposable
    {
        private readonly TcpClient _tcp;
        private readonly SslStream _tls;
        private readonly string _host;

        private KeptConnection(TcpClient tcp, SslStream tls, string host)
        {
            _tcp = tcp;
            _tls = tls;
            _host = host;
        }

        public static async Task<KeptConnection> OpenAsync(int port, string host, string caFile)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync("127.0.0.1", port);
            var ca = X509CertificateLoader.LoadCertificateFromFile(caFile);
            var tls = new SslStream(tcp.GetStream(), false);
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                ApplicationProtocols = [SslApplicationProtocol.Http11],
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            });
            return new KeptConnection(tcp, tls, host);
        }

        /// <summary>One GET of the text page; returns the response (Content-Length or chunked).</summary>
        public async Task<string> GetAsync()
        {
            await _tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /?format=text HTTP/1.1\r\nHost: {_host}\r\n\r\n"));
            var received = new List<byte>();
            var buffer = new byte[16384];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (true)
            {
                string text = Encoding.UTF8.GetString([.. received]);
                int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    var length = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                    if (length is null ? text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal) // chunked: the last chunk came
                        : Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
                        return text;
                }
                int n = await _tls.ReadAsync(buffer, cts.Token);
                Assert.True(n > 0, $"the kept connection was closed: {text}");
                received.AddRange(buffer.AsSpan(0, n).ToArray());
            }
        }

        public void Dispose()
        {
            _tls.Dispose();
            _tcp.Dispose();
        }
    }
}
