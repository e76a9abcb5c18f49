using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// netsh's <c>sslctlidentifier</c> (the trust list: which certificates of <c>sslctlstorename</c> are the trusted issuers) and
/// <c>usagecheck</c> (the client certificate's EKU and key usage must allow client authentication), set with
/// <c>sharptls http update sslcert</c> on a running <c>sharptls serve</c> and checked with curl --cert and openssl s_client.
/// </summary>
public sealed class ClientCertificateUsageAndTrustListTests : IDisposable
{
    private readonly TestCerts _certs = new();

    public void Dispose() => _certs.Dispose();

    [Fact]
    public async Task A_trust_list_narrows_the_store_to_its_issuers_and_usagecheck_refuses_a_server_only_certificate_until_disabled()
    {
        await using var serve = await DemoServe.StartAsync();
        string data = serve.Data, ca = serve.Ca;
        int port = serve.Port;
        string storeName = "Issuers" + Guid.NewGuid().ToString("N")[..6];
        var source = new StoreCertificateSource();
        source.Add(_certs.ClientCa, storeName);
        source.Add(_certs.OtherClientCa, storeName);
        string key = $"hostnameport=www.contoso.test:{port}";
        string[] www = ["--cacert", ca, "--resolve", $"www.contoso.test:{port}:127.0.0.1"];
        string url = $"https://www.contoso.test:{port}/?format=text";
        var alice = _certs.Client("alice", _certs.ClientCa);
        var mallory = _certs.Client("mallory", _certs.OtherClientCa);
        var bob = _certs.ClientWithUsage("bob", _certs.ClientCa, "1.3.6.1.5.5.7.3.1"); // serverAuth only

        // The whole store trusted: both issuers' clients are served.
        Cli.Run(data, "http", "update", "sslcert", key, "clientcertnegotiation=require", $"sslctlstorename={storeName}", "verifyclientcertrevocation=disable").AssertOk();
        var malloryServed = await Peer.CurlUntilAsync(r => r.Stdout.Contains("Client certificate: CN=mallory"), [.. www, "--cert", mallory.Cert, "--key", mallory.Key, url]);
        Assert.True(malloryServed.Stdout.Contains("Client certificate: CN=mallory"), $"the store's second issuer is not trusted: {malloryServed}\n{serve.Output}");

        // A trust list of one of the two: only that issuer is trusted, and only it is named in CertificateRequest.
        Directory.CreateDirectory(Path.Combine(data, "ctl"));
        File.WriteAllText(Path.Combine(data, "ctl", "Partners.ctl"), $"# the partners' issuing CA\n{_certs.ClientCa.Thumbprint.ToLowerInvariant()}\n");
        Cli.Run(data, "http", "update", "sslcert", key, "sslctlidentifier=Partners").AssertOk();
        var malloryRefused = await Peer.CurlUntilAsync(r => r.ExitCode != 0, [.. www, "--cert", mallory.Cert, "--key", mallory.Key, url]);
        Assert.True(malloryRefused.ExitCode != 0, $"an issuer left out of the trust list is still trusted: {malloryRefused}\n{serve.Output}");
        var aliceServed = await Peer.CurlAsync([.. www, "--cert", alice.Cert, "--key", alice.Key, url]);
        Assert.True(aliceServed.ExitCode == 0, aliceServed + "\n" + serve.Output);
        Assert.Contains("Client certificate: CN=alice, issued by CN=SharpTls Test Client CA", aliceServed.Stdout);
        var request = await Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", "-servername", "www.contoso.test", "-CAfile", ca, "-tls1_2"], TimeSpan.FromSeconds(20), stdin: "");
        Assert.Contains("Acceptable client certificate CA names", request.Stdout);
        Assert.Contains("CN = SharpTls Test Client CA", request.Stdout);
        Assert.DoesNotContain("CN = Some Other CA", request.Stdout);

        // usagecheck (on by default): a certificate of the trusted issuer that is only for server authentication is refused...
        var bobRefused = await Peer.CurlAsync([.. www, "--cert", bob.Cert, "--key", bob.Key, url]);
        Assert.True(bobRefused.ExitCode != 0, $"a serverAuth-only certificate was accepted with usagecheck on: {bobRefused}");
        await serve.WaitForOutputAsync("not valid for this usage", TimeSpan.FromSeconds(20)); // 36891 says why
        // ...and accepted once the binding says usagecheck=disable.
        Cli.Run(data, "http", "update", "sslcert", key, "usagecheck=disable").AssertOk();
        var bobServed = await Peer.CurlUntilAsync(r => r.ExitCode == 0, [.. www, "--cert", bob.Cert, "--key", bob.Key, url]);
        Assert.True(bobServed.ExitCode == 0, $"usagecheck=disable still refuses: {bobServed}\n{serve.Output}");
        Assert.Contains("Client certificate: CN=bob", bobServed.Stdout);

        // A trust list naming a certificate the store does not hold leaves the binding out, with the reason (36900).
        File.WriteAllText(Path.Combine(data, "ctl", "Partners.ctl"), new string('A', 40) + "\n");
        await serve.WaitForOutputAsync($"not in store {storeName}", TimeSpan.FromSeconds(20));
    }
}
