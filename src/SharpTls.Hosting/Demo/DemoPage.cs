using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using SharpTls.Hosting.Sites;
using SharpTls.Wire;

namespace SharpTls.Hosting.Demo;

/// <summary>
/// The demo sites' page: what the handshake of this very connection negotiated (protocol, suite, group,
/// signature scheme, ALPN, SNI, the binding that matched and why, resumption, the client certificate),
/// as HTML a browser reads, or as plain text for <c>curl</c> when asked (<c>?format=text</c>).
/// </summary>
public static class DemoPage
{
    /// <summary>The built-in app name sites use for this page (<c>"App": "demo"</c>).</summary>
    public const string AppName = "demo";

    /// <summary>The page as a request handler; <paramref name="demo"/> adds the curl lines and the CA's place.</summary>
    public static RequestDelegate Handler(DemoConfiguration? demo) => ctx => RenderAsync(ctx, demo);

    private static Task RenderAsync(HttpContext ctx, DemoConfiguration? demo)
    {
        var site = ctx.Features.Get<ISiteFeature>()?.Site;
        var tls = ctx.Features.Get<ISharpTlsFeature>();
        var rows = Facts(ctx, site, tls);
        if (ctx.Request.Query["format"] == "text")
        {
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            var text = new StringBuilder();
            foreach (var (k, v) in rows) text.Append(k).Append(": ").Append(v).Append('\n');
            return ctx.Response.WriteAsync(text.ToString());
        }
        ctx.Response.ContentType = "text/html; charset=utf-8";
        string title = site?.Name ?? ctx.Request.Host.Host;
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\">")
            .Append("<title>").Append(E(title)).Append(" · SharpTls</title><style>")
            .Append("body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#1d2733;background:#f7f9fb}")
            .Append("h1{font-size:1.6rem;margin-bottom:.2rem}p.sub{color:#5a6878;margin-top:0}")
            .Append("table{border-collapse:collapse;width:100%;background:#fff;box-shadow:0 1px 3px #0002}")
            .Append("th,td{text-align:left;padding:.45rem .8rem;border-bottom:1px solid #e3e8ee;vertical-align:top}th{width:14rem;color:#3b4a5a;font-weight:600}")
            .Append("code,pre{font-family:ui-monospace,monospace;font-size:.9em}pre{background:#fff;padding:.8rem;overflow-x:auto;box-shadow:0 1px 3px #0002}")
            .Append("</style></head><body>\n");
        html.Append("<h1>").Append(E(title)).Append("</h1>\n<p class=\"sub\">served by SharpTls on Kestrel: this is what the handshake of this connection negotiated</p>\n<table>\n");
        foreach (var (k, v) in rows)
            html.Append("<tr><th>").Append(E(k)).Append("</th><td>").Append(E(v)).Append("</td></tr>\n");
        html.Append("</table>\n");
        if (demo is not null)
        {
            html.Append("<h2>Try the other sites</h2>\n<pre>");
            foreach (string line in DemoSetup.CurlLines(demo)) html.Append(E(line)).Append('\n');
            html.Append("</pre>\n<p>The demo CA is <code>").Append(E(demo.CaPath)).Append("</code>; trust it to make these pages load without warnings.</p>\n");
        }
        html.Append("</body></html>\n");
        return ctx.Response.WriteAsync(html.ToString());
    }

    private static List<(string, string)> Facts(HttpContext ctx, Site? site, ISharpTlsFeature? tls)
    {
        var rows = new List<(string, string)>
        {
            ("Site", site is null ? "(none)" : $"{site.Name} ({string.Join(", ", site.Bindings)})"),
            ("Request", $"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString} {ctx.Request.Protocol}, Host {ctx.Request.Host}"),
            ("Connection", $"{ctx.Connection.RemoteIpAddress}:{ctx.Connection.RemotePort} → {ctx.Connection.LocalIpAddress}:{ctx.Connection.LocalPort}"),
        };
        if (tls is null)
        {
            rows.Add(("TLS", "none (plain HTTP)"));
            return rows;
        }
        var i = tls.Info;
        rows.Add(("Protocol", i.Version is { } v ? ProtocolVersions.Name(v) : "?"));
        rows.Add(("Cipher suite", i.CipherSuite is { } s ? CipherSuites.Name(s) : "?"));
        rows.Add(("Key exchange group", i.Group is { } g ? NamedGroups.Name(g) : "none (resumed without a key exchange)"));
        rows.Add(("Signature scheme", i.SignatureScheme is { } sig ? SignatureSchemes.Name(sig) : i.Resumed ? "none (resumed: no CertificateVerify)" : "?"));
        rows.Add(("ALPN", i.ApplicationProtocol ?? "none"));
        rows.Add(("SNI", i.ServerName ?? "none (the client sent no server_name)"));
        rows.Add(("Binding", i.Binding ?? "?"));
        rows.Add(("Why this binding", tls.SelectionReason ?? "?"));
        rows.Add(("Server certificate", i.LocalCertificate is { } lc ? $"{lc.Subject}, thumbprint {lc.Thumbprint}, until {lc.NotAfter.ToUniversalTime():yyyy-MM-dd}" : "?"));
        rows.Add(("Resumed", i.Resumed ? "yes (session ticket)" : "no (full handshake)"));
        rows.Add(("HelloRetryRequest", i.HelloRetryRequested ? "yes" : "no"));
        rows.Add(("Certificate compression", i.ServerCertificateCompression ?? "none"));
        rows.Add(("Client certificate", i.PeerCertificates.Count > 0
            ? $"{i.PeerCertificates[0].Subject}, issued by {i.PeerCertificates[0].Issuer}; {i.CertificateVerification ?? "not verified"}"
            : "none"));
        rows.Add(("Handshake time", $"{tls.HandshakeDuration.TotalMilliseconds:0.0} ms"));
        if (tls.ClientHello is { } hello)
        {
            rows.Add(("Client offered versions", string.Join(", ", hello.Versions.Where(x => !IsGrease((ushort)x)).Select(ProtocolVersions.Name))));
            rows.Add(("Client offered suites", string.Join(", ", hello.CipherSuites.Where(x => !IsGrease(x)).Select(CipherSuites.Name))));
            rows.Add(("Client offered ALPN", hello.ApplicationProtocols.Count == 0 ? "none" : string.Join(", ", hello.ApplicationProtocols)));
        }
        return rows;
    }

    /// <summary>RFC 8701's reserved values (0x0A0A, 0x1A1A, ... 0xFAFA), left off the page.</summary>
    private static bool IsGrease(ushort v) => (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
