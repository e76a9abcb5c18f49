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
/// by bench/host/run.py.
/// </summary>
internal static class StaticSiteServer
{
    public static async Task<int> RunAsync(string tls, int port, string certPem, string keyPem, string www)
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
                if (tls == "sharptls") lo.UseSharpTls(new ServerCertificate(cert));
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
