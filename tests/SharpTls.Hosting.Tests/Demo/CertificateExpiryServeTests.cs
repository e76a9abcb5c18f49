using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// Issue 8 item 2 against a real peer: a certificate that was valid when it was bound and expires while <c>sharptls serve</c>
/// runs is refused at handshake time (curl gets handshake_failure) with event 36871, and the other bindings keep serving.
/// </summary>
public sealed class CertificateExpiryServeTests
{
    [Fact]
    public async Task A_bound_certificate_that_expires_while_serving_is_event_36871_at_handshake_time_and_curl_is_refused()
    {
        await using var serve = await DemoServe.StartAsync();
        using var ca = X509CertificateLoader.LoadPkcs12FromFile(serve.CaPfx, null, X509KeyStorageFlags.Exportable);
        // Valid from five minutes ago for five minutes and 25 seconds: it expires 25 s from now.
        using var soon = CertificateFactory.CreateServer(["soon.contoso.test"], ca, CertificateKeyKind.Ecdsa, TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(25));
        string hash = new StoreCertificateSource().Add(soon); // the same CurrentUser store (HOME) the child process reads
        var add = await serve.CliAsync("http", "add", "sslcert", $"hostnameport=soon.contoso.test:{serve.Port}", $"certhash={hash}", "appid={6d3f1c2a-5b4e-4c8d-9a7f-0e1d2c3b4a59}");
        Assert.True(add.ExitCode == 0, add.ToString());
        var served = await Peer.CurlUntilAsync(r => r.ExitCode == 0, [.. serve.Trust("soon.contoso.test"), "-o", "/dev/null", serve.Url("soon.contoso.test")]);
        Assert.True(served.ExitCode == 0, $"the new binding was not served before its certificate expired: {served}\n{serve.Output}");

        var expiry = soon.NotAfter.ToUniversalTime();
        while (DateTime.UtcNow <= expiry.AddSeconds(1)) await Task.Delay(500);
        var refused = await Peer.CurlAsync([.. serve.Trust("soon.contoso.test"), "-o", "/dev/null", serve.Url("soon.contoso.test")]);
        Assert.True(refused.ExitCode == 35, $"curl after the certificate expired: {refused}"); // SSL connect error: the handshake_failure alert
        Assert.Contains("alert handshake failure", refused.Stderr, StringComparison.OrdinalIgnoreCase);
        await serve.WaitForOutputAsync("[36871]");
        Assert.Contains($"hostnameport=soon.contoso.test:{serve.Port}", serve.Output[serve.Output.IndexOf("[36871]", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("expired on", serve.Output, StringComparison.Ordinal);
        var www = await serve.CurlAsync("www.contoso.test", "/", "-o", "/dev/null");
        Assert.True(www.ExitCode == 0, $"the other bindings: {www}");
    }
}
