using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace SharpTls.Benchmarks.Servers;

/// <summary>
/// The .NET peer: a minimal Kestrel app with UseHttps (SslStream over the system OpenSSL), HTTP/1.1,
/// serving the same two fixed responses. Run in its own process (`serve kestrel`).
/// </summary>
internal static class KestrelServer
{
    /// <param name="tls">False: the same app over plain HTTP (`serve kestrel-plain`), the floor under Kestrel's TLS
    /// servers in the memory figures (what an idle Kestrel connection costs without any TLS).</param>
    /// <param name="plainPort">Also listen there over plain HTTP (the same app, no UseHttps): the plain-TCP row.</param>
    public static async Task<int> RunAsync(int port, string certPem, string keyPem, string www, string? clientCaPem = null, bool tls = true, int? plainPort = null)
    {
        var responses = new FixedResponses(www);
        var cert = X509Certificate2.CreateFromPemFile(certPem, keyPem);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certPem);
        var chain = new X509Certificate2Collection();
        foreach (var c in all.Skip(1)) chain.Add(c);
        var clientCa = new X509Certificate2Collection();
        if (clientCaPem is not null) clientCa.ImportFromPemFile(clientCaPem);
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            ApplyLimits(k);
            k.Listen(IPAddress.Loopback, port, lo =>
            {
                lo.Protocols = HttpProtocols.Http1;
                if (tls) lo.UseHttps(new HttpsConnectionAdapterOptions
                {
                    ServerCertificate = cert,
                    ServerCertificateChain = chain,
                    ClientCertificateMode = clientCaPem is null ? Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.NoCertificate : Microsoft.AspNetCore.Server.Kestrel.Https.ClientCertificateMode.AllowCertificate,
                    // Verified against the bench CA (custom trust), as the other servers do.
                    ClientCertificateValidation = (c, _, _) =>
                    {
                        using var verify = new X509Chain();
                        verify.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        verify.ChainPolicy.CustomTrustStore.AddRange(clientCa);
                        verify.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        return verify.Build(c);
                    },
                });
            });
            if (plainPort is { } plain) k.Listen(IPAddress.Loopback, plain, lo => lo.Protocols = HttpProtocols.Http1);
        });
        return await ServeAsync(builder.Build(), responses);
    }

    /// <summary>Kestrel's limits for every bench Kestrel app (this one and the scaling bench's Kestrel+SharpTls): no
    /// server header, no connection cap, ten-minute keep-alive and header timeouts so idle connections stay open
    /// while they are counted.</summary>
    internal static void ApplyLimits(KestrelServerOptions k)
    {
        k.AddServerHeader = false;
        k.Limits.MaxConcurrentConnections = null;
        k.Limits.KeepAliveTimeout = TimeSpan.FromMinutes(10);
        k.Limits.RequestHeadersTimeout = TimeSpan.FromMinutes(10);
    }

    /// <summary>Maps the fixed responses (GET /1k, /1m), starts the app, answers "gc" on stdin, prints "ready" and
    /// runs until shut down.</summary>
    internal static async Task<int> ServeAsync(WebApplication app, FixedResponses responses)
    {
        foreach (var name in responses.Bodies.Keys)
        {
            byte[] body = responses.Bodies[name];
            app.MapGet("/" + name, (HttpContext ctx) =>
            {
                ctx.Response.ContentType = "application/octet-stream";
                ctx.Response.ContentLength = body.Length;
                return ctx.Response.Body.WriteAsync(body).AsTask();
            });
        }
        await app.StartAsync();
        CollectOnRequest.Start();
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        await app.WaitForShutdownAsync();
        return 0;
    }
}
