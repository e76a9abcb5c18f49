using System.Diagnostics;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Tests.Certificates;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary>The per-binding settings applied to real handshakes: openssl s_client and the engine's own client as peers.</summary>
public class BindingPolicyWireTests
{
    private static BindingHost StartHost(string data, RecordingDiagnostics? events = null) => BindingHost.Start(new BindingHostOptions
    {
        BindingsFile = Path.Combine(data, BindingStore.FileName),
        CentralStorePath = Path.Combine(data, "ccs"),
        Diagnostics = events,
    });

    [Fact]
    public async Task One_port_three_names_and_the_ip_binding_for_clients_without_sni_with_their_settings()
    {
        string data = TestHome.NewDataDirectory();
        using var host = StartHost(data);
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        int port = server.Port;
        string www = TestCertificates.InStore("www.contoso.test"), shop = TestCertificates.InStore("shop.contoso.test");
        string legacy = TestCertificates.InStore("legacy.contoso.test"), ip = TestCertificates.InStore("127.0.0.1");
        string wild = TestCertificates.InStore("*.contoso.test");
        host.Store.Add(SslBinding.Parse([$"hostnameport=www.contoso.test:{port}", $"certhash={www}"]));
        host.Store.Add(SslBinding.Parse([$"hostnameport=shop.contoso.test:{port}", $"certhash={shop}", "disablehttp2=enable"]));
        host.Store.Add(SslBinding.Parse([$"hostnameport=legacy.contoso.test:{port}", $"certhash={legacy}", "disabletls13=enable"]));
        host.Store.Add(SslBinding.Parse([$"hostnameport=*.contoso.test:{port}", $"certhash={wild}"]));
        host.Store.Add(SslBinding.Parse([$"ipport=0.0.0.0:{port}", $"certhash={ip}"]));
        host.Reload();

        string w = SClient(port, "www.contoso.test", "-alpn", "h2,http/1.1");
        Assert.Contains("subject=CN = www.contoso.test", w, StringComparison.Ordinal);
        Assert.Contains("ALPN protocol: h2", w, StringComparison.Ordinal);
        Assert.Contains("TLSv1.3", w, StringComparison.Ordinal);

        string s = SClient(port, "shop.contoso.test", "-alpn", "h2,http/1.1");
        Assert.Contains("subject=CN = shop.contoso.test", s, StringComparison.Ordinal);
        Assert.Contains("ALPN protocol: http/1.1", s, StringComparison.Ordinal);   // disablehttp2

        string l = SClient(port, "legacy.contoso.test");
        Assert.Contains("subject=CN = legacy.contoso.test", l, StringComparison.Ordinal);
        Assert.Contains("Protocol  : TLSv1.2", l, StringComparison.Ordinal);       // disabletls13

        Assert.Contains("subject=CN = *.contoso.test", SClient(port, "any.contoso.test"), StringComparison.Ordinal);
        Assert.Contains("subject=CN = 127.0.0.1", SClient(port, null), StringComparison.Ordinal);   // -noservername: the IP binding
        Assert.Contains("subject=CN = 127.0.0.1", SClient(port, "www.fabrikam.test"), StringComparison.Ordinal);   // no name binding: the IP binding
    }

    [Fact]
    public async Task Required_client_certificates_from_the_sslctlstorename_issuers_only()
    {
        string data = TestHome.NewDataDirectory();
        using var host = StartHost(data);
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        string issuers = "ClientIssuers" + Guid.NewGuid().ToString("N")[..6];
        var store = new StoreCertificateSource();
        using var trustedCa = CertificateFactory.CreateAuthority("Trusted Client CA");
        using var otherCa = CertificateFactory.CreateAuthority("Other Client CA");
        store.Add(X509CertificateLoader.LoadCertificate(trustedCa.RawData), issuers);
        string hash = TestCertificates.InStore("mtls.contoso.test");
        host.Store.Add(SslBinding.Parse([$"hostnameport=mtls.contoso.test:{server.Port}", $"certhash={hash}", "clientcertnegotiation=require",
            $"sslctlstorename={issuers}", "verifyclientcertrevocation=disable"]));
        host.Reload();

        using var good = CertificateFactory.CreateClient("alice", trustedCa);
        using var bad = CertificateFactory.CreateClient("mallory", otherCa);
        var ok = await server.ConnectAsync(new TlsClientOptions { TargetHost = "mtls.contoso.test", SkipCertificateVerification = true, ClientCertificate = new ServerCertificate(good) });
        Assert.Contains("peer=CN=alice", await BindingTestServer.AskAsync(ok, "hi"), StringComparison.Ordinal);
        await ok.Stream.DisposeAsync();

        foreach (var options in new[]
                 {
                     new TlsClientOptions { TargetHost = "mtls.contoso.test", SkipCertificateVerification = true },
                     new TlsClientOptions { TargetHost = "mtls.contoso.test", SkipCertificateVerification = true, ClientCertificate = new ServerCertificate(bad) },
                 })
        {
            var e = await Assert.ThrowsAnyAsync<Exception>(async () =>
            {
                var c = await server.ConnectAsync(options);
                await BindingTestServer.AskAsync(c, "hi");   // TLS 1.3: the refusal may come after the client's Finished
            });
            Console.WriteLine($"refused: {e.Message}");
            Assert.Contains(options.ClientCertificate is null ? "certificate_required" : "unknown_ca", e.Message, StringComparison.Ordinal);
        }
        // The CertificateRequest names the trusted issuer (openssl prints the acceptable CA names).
        Assert.Contains("CN = Trusted Client CA", SClient(server.Port, "mtls.contoso.test"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resumption_survives_a_table_swap()
    {
        string data = TestHome.NewDataDirectory();
        using var host = StartHost(data);
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        host.Store.Add(SslBinding.Parse([$"hostnameport=resume.contoso.test:{server.Port}", $"certhash={TestCertificates.InStore("resume.contoso.test")}"]));
        host.Reload();
        var sessions = new Sessions.ClientSessionStore();
        var options = new TlsClientOptions { TargetHost = "resume.contoso.test", SkipCertificateVerification = true, SessionStore = sessions };
        var first = await server.ConnectAsync(options);
        await BindingTestServer.AskAsync(first, "hi");   // reads the tickets
        Assert.False(first.Stream.Info.Resumed);
        await first.Stream.DisposeAsync();

        long version = host.Current.Version;
        host.Store.Add(SslBinding.Parse([$"hostnameport=unrelated.contoso.test:{server.Port}", $"certhash={TestCertificates.InStore("unrelated.contoso.test")}"]));
        await BindingHostTests.WaitUntil(() => host.Current.Version > version);

        var second = await server.ConnectAsync(options);
        await BindingTestServer.AskAsync(second, "again");
        Assert.True(second.Stream.Info.Resumed, "a ticket issued before the table swap did not resume after it");
        await second.Stream.DisposeAsync();
    }

    [Fact]
    public async Task A_hand_edit_of_the_file_is_in_force_within_a_second()
    {
        string data = TestHome.NewDataDirectory();
        using var host = StartHost(data);
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        string hash = TestCertificates.InStore("edit.contoso.test");
        var sw = Stopwatch.StartNew();
        File.WriteAllText(Path.Combine(data, BindingStore.FileName), $"# by hand\nhostnameport=edit.contoso.test:{server.Port} certhash={hash.ToLowerInvariant()}\n");
        await BindingHostTests.WaitUntil(() => host.Current.Select(new IPEndPoint(IPAddress.Loopback, server.Port), "edit.contoso.test") is not null);
        var seen = sw.Elapsed;
        Assert.Contains("subject=CN = edit.contoso.test", SClient(server.Port, "edit.contoso.test"), StringComparison.Ordinal);
        Assert.True(seen < TimeSpan.FromSeconds(2), $"a hand edit took {seen.TotalMilliseconds:F0} ms to be seen");
        Console.WriteLine($"hand edit seen after {seen.TotalMilliseconds:F0} ms");
    }

    internal static string SClient(int port, string? name, params string[] extra)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "s_client", "-connect", $"127.0.0.1:{port}" }) psi.ArgumentList.Add(a);
        if (name is null) psi.ArgumentList.Add("-noservername");
        else { psi.ArgumentList.Add("-servername"); psi.ArgumentList.Add(name); }
        foreach (string a in extra) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(20_000)) { p.Kill(); throw new TimeoutException("openssl s_client did not finish"); }
        return output.Result + error.Result;
    }
}
