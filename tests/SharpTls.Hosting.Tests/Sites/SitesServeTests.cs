using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Sites;

namespace SharpTls.Hosting.Tests.Sites;

/// <summary>Sites from a <c>--config</c> file, served by the real <c>sharptls serve</c>: static folders, a YARP target, plain HTTP, 421, live changes.</summary>
public sealed class SitesServeTests : IDisposable
{
    private readonly TestCerts _certs = new();

    public void Dispose() => _certs.Dispose();

    [Fact]
    public async Task Sites_route_by_port_and_Host_serve_static_and_proxied_content_and_change_without_restart()
    {
        string data = TestHome.NewDataDirectory();
        int https = ServeProcess.FreePort(), http = ServeProcess.FreePort();
        // The SSL bindings: one certificate per name, in the store, bound by hostnameport.
        var store = new BindingStore(Path.Combine(data, BindingStore.FileName));
        var certificates = new StoreCertificateSource();
        foreach (string name in new[] { "www.contoso.test", "shop.contoso.test" })
        {
            using var cert = CertificateFactory.CreateServer([name], _certs.Ca, CertificateKeyKind.Ecdsa, TimeSpan.FromDays(1));
            store.Add(new SslBinding { Key = BindingKey.HostnamePort(name, https), CertificateHash = certificates.Add(cert), AppId = Guid.NewGuid() });
        }
        // A backend for the proxied site.
        var backendBuilder = WebApplication.CreateSlimBuilder();
        backendBuilder.Logging.ClearProviders();
        backendBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        await using var backend = backendBuilder.Build();
        backend.Run(ctx => ctx.Response.WriteAsync($"backend saw {ctx.Request.Path} host={ctx.Request.Headers.Host}"));
        await backend.StartAsync();
        string backendUrl = backend.Urls.First();

        string root = Path.Combine(_certs.Dir, "sites");
        Write(root, "www/index.html", "<p>www static index</p>");
        Write(root, "www/sub/page.txt", "a page in a folder without a default document");
        Write(root, "www2/index.html", "<p>www after the change</p>");
        Write(root, "plain/index.html", "<p>plain http site</p>");
        string config = Path.Combine(root, "sites.json");
        string Config(string wwwFolder) => new JsonObject
        {
            ["SharpTls"] = new JsonObject
            {
                ["Sites"] = new JsonArray(
                    new JsonObject { ["Name"] = "www", ["Bindings"] = new JsonArray($"https/*:{https}:www.contoso.test"), ["PhysicalPath"] = wwwFolder },
                    new JsonObject { ["Name"] = "shop", ["Bindings"] = new JsonArray($"https/*:{https}:shop.contoso.test"), ["Proxy"] = backendUrl },
                    new JsonObject { ["Name"] = "plain", ["Bindings"] = new JsonArray($"http/127.0.0.1:{http}:"), ["PhysicalPath"] = "plain" }),
            },
        }.ToJsonString();
        await File.WriteAllTextAsync(config, Config("www"));

        await using var serve = await ServeProcess.StartAsync(data, https, "--config", config);
        string[] resolve = ["--cacert", _certs.CaPath, "--resolve", $"www.contoso.test:{https}:127.0.0.1", "--resolve", $"shop.contoso.test:{https}:127.0.0.1"];

        var www = await Peer.CurlAsync([.. resolve, $"https://www.contoso.test:{https}/"]);
        Assert.True(www.ExitCode == 0, www + "\n" + serve.Output);
        Assert.Equal("<p>www static index</p>", www.Stdout);
        Assert.Equal("subject=CN = www.contoso.test", await Peer.ServedSubjectAsync(https, "www.contoso.test", _certs.CaPath));
        var listing = await Peer.CurlAsync([.. resolve, "-o", "/dev/null", "-w", "%{http_code}", $"https://www.contoso.test:{https}/sub/"]);
        Assert.Equal("404", listing.Stdout); // directory browsing off
        var file = await Peer.CurlAsync([.. resolve, $"https://www.contoso.test:{https}/sub/page.txt"]);
        Assert.Equal("a page in a folder without a default document", file.Stdout);

        var shop = await Peer.CurlAsync([.. resolve, $"https://shop.contoso.test:{https}/cart?x=1"]);
        Assert.True(shop.ExitCode == 0, shop + "\n" + serve.Output);
        Assert.StartsWith("backend saw /cart", shop.Stdout);
        Assert.Equal("subject=CN = shop.contoso.test", await Peer.ServedSubjectAsync(https, "shop.contoso.test", _certs.CaPath));

        var plain = await Peer.CurlAsync($"http://127.0.0.1:{http}/");
        Assert.Equal("<p>plain http site</p>", plain.Stdout);

        var misdirected = await Peer.CurlAsync([.. resolve, "-H", $"Host: shop.contoso.test:{https}", "-o", "/dev/null", "-w", "%{http_code}", $"https://www.contoso.test:{https}/"]);
        Assert.Equal("421", misdirected.Stdout);

        // The site changes while the host runs: new requests see the new folder.
        await File.WriteAllTextAsync(config, Config("www2"));
        var until = DateTime.UtcNow.AddSeconds(20);
        string seen = "";
        while (DateTime.UtcNow < until && seen != "<p>www after the change</p>")
        {
            await Task.Delay(250);
            seen = (await Peer.CurlAsync([.. resolve, $"https://www.contoso.test:{https}/"])).Stdout;
        }
        Assert.True(seen == "<p>www after the change</p>", $"the change was not applied: {seen}\n{serve.Output}");

        // The plain site moves to a port this process did not listen on: it is listened on without a restart (36904),
        // and the port it left is closed.
        int later = ServeProcess.FreePort();
        await File.WriteAllTextAsync(config, Config("www2").Replace($"http/127.0.0.1:{http}:", $"http/127.0.0.1:{later}:"));
        await serve.WaitForOutputAsync($"added [http://127.0.0.1:{later}/], removed [http://127.0.0.1:{http}/]", TimeSpan.FromSeconds(20));
        var moved = await Peer.CurlUntilAsync(r => r.Stdout == "<p>plain http site</p>", $"http://127.0.0.1:{later}/"); // Kestrel binds in the background
        Assert.True(moved.Stdout == "<p>plain http site</p>", $"the moved site is not served: {moved}\n{serve.Output}");
        var left = await Peer.CurlUntilAsync(r => r.ExitCode == 7, $"http://127.0.0.1:{http}/");
        Assert.True(left.ExitCode == 7, $"the port the site left still answers: {left}");

        // A broken configuration is reported and the sites in force stay.
        await File.WriteAllTextAsync(config, Config("no-such-folder"));
        await serve.WaitForOutputAsync("[36898]", TimeSpan.FromSeconds(20));
        Assert.Equal("<p>www after the change</p>", (await Peer.CurlAsync([.. resolve, $"https://www.contoso.test:{https}/"])).Stdout);

        // A file that no longer parses as JSON (a half-saved edit) is reported too, naming the file, and serving goes on.
        string movedBack = Config("www").Replace($"http/127.0.0.1:{http}:", $"http/127.0.0.1:{later}:");
        await File.WriteAllTextAsync(config, movedBack + "\n}{ not json");
        await serve.WaitForOutputAsync("could not be read", TimeSpan.FromSeconds(20));
        Assert.True(serve.Output.Contains($"[36898] The site configuration is invalid and was not applied (the previous one stays in force): {config} could not be read"), serve.Output);
        Assert.Equal("<p>www after the change</p>", (await Peer.CurlAsync([.. resolve, $"https://www.contoso.test:{https}/"])).Stdout);
        // The next good save applies as before.
        await File.WriteAllTextAsync(config, movedBack);
        var fixedSeen = await Peer.CurlUntilAsync(r => r.Stdout == "<p>www static index</p>", [.. resolve, $"https://www.contoso.test:{https}/"]);
        Assert.True(fixedSeen.Stdout == "<p>www static index</p>", $"the fixed file was not applied: {fixedSeen}\n{serve.Output}");
    }

    [Theory]
    [InlineData("https/*:443:www.contoso.test", "https", null, 443, "www.contoso.test")]
    [InlineData("http/127.0.0.1:80:", "http", "127.0.0.1", 80, "")]
    [InlineData("https/[::1]:8443:Shop.Contoso.Test", "https", "::1", 8443, "shop.contoso.test")]
    [InlineData("HTTPS/0.0.0.0:443:", "https", null, 443, "")]
    public void IIS_binding_strings_parse(string text, string scheme, string? address, int port, string host)
    {
        var b = SiteBinding.Parse(text);
        Assert.Equal(new SiteBinding(scheme, address is null ? null : IPAddress.Parse(address), port, host), b);
    }

    [Theory]
    [InlineData("ftp/*:21:", "protocol 'ftp'")]
    [InlineData("https/*:443", "expected IP:port:host")]
    [InlineData("https/*:0:x", "port '0'")]
    [InlineData("https/300.1.1.1:443:", "not an IP address")]
    [InlineData("www.contoso.test", "expected protocol/IP:port:host")]
    public void Bad_IIS_binding_strings_say_what_is_wrong(string text, string why)
        => Assert.Contains(why, Assert.Throws<FormatException>(() => SiteBinding.Parse(text)).Message);

    [Fact]
    public void The_most_specific_binding_wins_as_in_IIS()
    {
        var options = new SitesOptions
        {
            Sites =
            [
                new SiteOptions { Name = "any", Bindings = ["https/*:443:"], App = "x" },
                new SiteOptions { Name = "ip", Bindings = ["https/10.0.0.1:443:"], App = "x" },
                new SiteOptions { Name = "host", Bindings = ["https/*:443:www.contoso.test"], App = "x" },
                new SiteOptions { Name = "iphost", Bindings = ["https/10.0.0.1:443:shop.contoso.test"], App = "x" },
            ],
        };
        var app = new Microsoft.AspNetCore.Builder.ApplicationBuilder(new ServiceCollection().BuildServiceProvider());
        using var client = new HttpMessageInvoker(new SocketsHttpHandler());
        var table = SiteTable.Build(options, ".", app, new Dictionary<string, RequestDelegate> { ["x"] = _ => Task.CompletedTask }, null!, client);
        string? Site(string ip, string host) => table.Match("https", new IPEndPoint(IPAddress.Parse(ip), 443), host)?.Name;
        Assert.Equal("iphost", Site("10.0.0.1", "shop.contoso.test"));
        Assert.Equal("host", Site("10.0.0.1", "www.contoso.test"));
        Assert.Equal("ip", Site("10.0.0.1", "other.test"));
        Assert.Equal("any", Site("10.0.0.2", "shop.contoso.test"));
        Assert.Equal("host", Site("::ffff:10.0.0.2", "www.contoso.test"));
        Assert.Null(table.Match("http", new IPEndPoint(IPAddress.Loopback, 443), "www.contoso.test"));
        Assert.Null(table.Match("https", new IPEndPoint(IPAddress.Loopback, 444), "www.contoso.test"));
        Assert.Throws<FormatException>(() => SiteTable.Parse(new SitesOptions { Sites = [.. options.Sites, new SiteOptions { Name = "dup", Bindings = ["https/*:443:"], App = "x" }] }));
        Assert.Contains("cannot serve both http and https", Assert.Throws<FormatException>(() => SiteTable.Parse(new SitesOptions
        {
            Sites = [new SiteOptions { Name = "a", Bindings = ["https/*:8080:a"], App = "x" }, new SiteOptions { Name = "b", Bindings = ["http/*:8080:b"], App = "x" }],
        })).Message);
    }

    private static void Write(string root, string relative, string text)
    {
        string path = Path.Combine(root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
