using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>
/// <c>HttpContext.Connection.GetClientCertificateAsync()</c> on a connection whose handshake asked for no certificate:
/// on TLS 1.2 the host renegotiates to ask for one (as Kestrel with SslStream does under
/// ClientCertificateMode.DelayCertificate, and HTTP.sys when a resource needs one), against curl; never on HTTP/2.
/// </summary>
public sealed class DelayedClientCertificateTests : IDisposable
{
    private readonly TestCerts _certs = new();

    public void Dispose() => _certs.Dispose();

    private SharpTlsConnectionOptions Options()
    {
        var options = new SharpTlsConnectionOptions();
        options.ServerOptions.Certificates.Add(_certs.Server("localhost"));
        options.ServerOptions.TrustedIssuers = [_certs.ClientCa]; // the handshake asks for nothing (mode None)
        return options;
    }

    private static void Map(WebApplication app)
    {
        app.MapGet("/", (HttpContext ctx) => $"before={ctx.Connection.ClientCertificate?.Subject ?? "none"}");
        app.MapGet("/secure", async (HttpContext ctx) =>
        {
            string before = ctx.Connection.ClientCertificate?.Subject ?? "none";
            var certificate = await ctx.Connection.GetClientCertificateAsync(ctx.RequestAborted);
            var info = ctx.Features.Get<ISharpTlsFeature>()!.Info;
            return $"before={before} after={certificate?.Subject ?? "none"} renegotiations={info.Renegotiations} verdict={info.ClientCertificateVerdict?.Status.ToString() ?? "-"} {ctx.Request.Protocol}";
        });
    }

    [Fact]
    public async Task Tls12_GetClientCertificateAsync_renegotiates_and_curl_sends_its_certificate()
    {
        await using var host = await KestrelHost.StartAsync(Options(), Map);
        var (cert, key) = _certs.Client("alice", _certs.ClientCa);
        var r = await Peer.CurlAsync("--http1.1", "--tlsv1.2", "--tls-max", "1.2", "--cacert", _certs.CaPath, "--cert", cert, "--key", key,
            $"https://localhost:{host.Port}/", $"https://localhost:{host.Port}/secure");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("before=none", r.Stdout);
        Assert.Contains("before=none after=CN=alice renegotiations=1 verdict=Verified HTTP/1.1", r.Stdout);
    }

    [Fact]
    public async Task Tls12_a_client_without_a_certificate_renegotiates_and_the_app_gets_none()
    {
        await using var host = await KestrelHost.StartAsync(Options(), Map);
        var r = await Peer.CurlAsync("--http1.1", "--tlsv1.2", "--tls-max", "1.2", "--cacert", _certs.CaPath, $"https://localhost:{host.Port}/secure");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("before=none after=none renegotiations=1", r.Stdout);
    }

    [Fact]
    public async Task Http2_never_renegotiates()
    {
        await using var host = await KestrelHost.StartAsync(Options(), Map);
        var (cert, key) = _certs.Client("alice", _certs.ClientCa);
        var r = await Peer.CurlAsync("--http2", "--tlsv1.2", "--tls-max", "1.2", "--cacert", _certs.CaPath, "--cert", cert, "--key", key, $"https://localhost:{host.Port}/secure");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Contains("before=none after=none renegotiations=0 verdict=- HTTP/2", r.Stdout);
    }
}
