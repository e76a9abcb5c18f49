using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using SharpTls.Hosting;

namespace SharpTls.Benchmarks.Servers;

/// <summary>
/// The host rows (issue 11): one Kestrel app serving a folder of static files with ASP.NET Core's static-file
/// middleware, HTTP/1.1 and HTTP/2 by ALPN, Kestrel's defaults otherwise, no logging providers. Only the TLS layer
/// differs: <c>sslstream</c> is Kestrel's <c>UseHttps</c> (SslStream over the system OpenSSL), <c>sharptls</c> is
/// <c>UseSharpTls</c> (the host library's connection middleware). Run as <c>static sharptls|sslstream PORT CERT KEY WWW</c>
/// by bench/host/run.py; <c>... WWW tls12</c> restricts the server to TLS 1.2 (its HTTP/2 over TLS 1.2 rows: h2load cannot
/// be restricted from the client side, it ignores OPENSSL_CONF).
/// </summary>
internal static class StaticSiteServer
{
    public static async Task<int> RunAsync(string tls, int port, string certPem, string keyPem, string www, bool tls12Only = false)
    {
        var cert = X509Certificate2.CreateFromPemFile(certPem, keyPem);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (tls == "sharptls") builder.Services.AddSharpTls();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port, lo =>
            {
                if (tls == "sharptls")
                    lo.UseSharpTls(o =>
                    {
                        o.ServerOptions.Certificates.Add(new ServerCertificate(cert));
                        if (tls12Only) o.ServerOptions.Versions = TlsVersions.Tls12;
                    });
                else if (tls12Only)
                    lo.UseHttps(new Microsoft.AspNetCore.Server.Kestrel.Https.HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = cert,
                        SslProtocols = System.Security.Authentication.SslProtocols.Tls12,
                    });
                else lo.UseHttps(cert);
            });
        });
        var app = builder.Build();
        var files = new PhysicalFileProvider(Path.GetFullPath(www));
        app.UseStaticFiles(new StaticFileOptions { FileProvider = files, ServeUnknownFileTypes = true });
        await app.StartAsync();
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        await app.WaitForShutdownAsync();
        return 0;
    }
}
