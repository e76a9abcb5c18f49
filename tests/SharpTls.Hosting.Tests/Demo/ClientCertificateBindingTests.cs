using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// A binding that requires client certificates (netsh's clientcertnegotiation, with the trusted issuers of
/// sslctlstorename), changed while <c>sharptls serve</c> runs: curl --cert from a trusted issuer is served and
/// the page shows the certificate; none, or another issuer, is refused with one 36891 event.
/// </summary>
public sealed class ClientCertificateBindingTests : IDisposable
{
    private readonly TestCerts _certs = new();

    public void Dispose() => _certs.Dispose();

    [Fact]
    public async Task Curl_cert_from_a_trusted_issuer_reaches_the_page_and_others_are_refused()
    {
        await using var serve = await DemoServe.StartAsync();
        string ca = serve.Ca;
        int port = serve.Port;
        string storeName = "ClientCA" + Guid.NewGuid().ToString("N")[..6];
        new StoreCertificateSource().Add(_certs.ClientCa, storeName);
        var store = serve.Store;
        var key = serve.Key("www.contoso.test");
        store.Update(key, b => b with { ClientCertNegotiation = ClientCertNegotiation.Require, SslCtlStoreName = storeName, VerifyClientCertRevocation = false });
        string[] www = ["--cacert", ca, "--resolve", $"www.contoso.test:{port}:127.0.0.1"];
        var (cert, certKey) = _certs.Client("alice", _certs.ClientCa);

        var until = DateTime.UtcNow.AddSeconds(15);
        while (DateTime.UtcNow < until) // the running host sees the change within a second or so
        {
            var none = await Peer.CurlAsync([.. www, "-o", "/dev/null", $"https://www.contoso.test:{port}/"]);
            if (none.ExitCode != 0) break;
            await Task.Delay(250);
        }
        var ok = await Peer.CurlAsync([.. www, "--cert", cert, "--key", certKey, $"https://www.contoso.test:{port}/?format=text"]);
        Assert.True(ok.ExitCode == 0, ok + "\n" + serve.Output);
        Assert.Contains("Client certificate: CN=alice, issued by CN=SharpTls Test Client CA", ok.Stdout);
        await serve.WaitForOutputAsync("[36891]"); // the refusal of the attempts without a certificate
        Assert.Contains("certificate_required", serve.Output);

        var (other, otherKey) = _certs.Client("mallory", _certs.OtherClientCa);
        var refused = await Peer.CurlAsync([.. www, "--cert", other, "--key", otherKey, $"https://www.contoso.test:{port}/?format=text"]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.DoesNotContain("CN=mallory", refused.Stdout);

        // The other names on the same port are untouched by the change.
        var shop = await Peer.CurlAsync("--cacert", ca, "--resolve", $"shop.contoso.test:{port}:127.0.0.1", $"https://shop.contoso.test:{port}/?format=text");
        Assert.True(shop.ExitCode == 0, shop.ToString());
        Assert.Contains("Client certificate: none", shop.Stdout);
    }
}
