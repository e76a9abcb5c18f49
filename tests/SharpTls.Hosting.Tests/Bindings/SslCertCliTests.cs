using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary><c>sharptls cert ...</c> and <c>sharptls http ... sslcert</c> through the real command, as an administrator types them.</summary>
public class SslCertCliTests
{
    private const string AppId = "{4dc3e181-e14b-4a21-b022-59fc669b0914}";

    private static string NewCertificate(string data, params string[] names)
    {
        var args = new List<string> { "cert", "new" };
        foreach (string n in names) { args.Add("--dns"); args.Add(n); }
        var (exit, stdout, stderr) = Cli.Run(data, [.. args]);
        Assert.True(exit == 0, stderr);
        string hash = stdout.Trim();
        Assert.Matches("^[0-9A-F]{40}$", hash);
        return hash;
    }

    [Fact]
    public void Add_show_update_delete_round_trip_with_netsh_messages()
    {
        string data = TestHome.NewDataDirectory();
        string hash = NewCertificate(data, "www.contoso.test");

        var add = Cli.Run(data, "http", "add", "sslcert", "ipport=0.0.0.0:8443", $"certhash={hash}", $"appid={AppId}", "clientcertnegotiation=enable");
        Assert.True(add.Exit == 0, add.Err);
        Assert.Contains("SSL Certificate successfully added", add.Out, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run(data, "http", "add", "sslcert", "hostnameport=www.contoso.test:8443", $"certhash={hash}", $"appid={AppId}", "disablehttp2=enable").Exit);

        var show = Cli.Run(data, "http", "show", "sslcert");
        Assert.Equal(0, show.Exit);
        Assert.Contains("SSL Certificate bindings:", show.Out, StringComparison.Ordinal);
        Assert.Contains("    IP:port                      : 0.0.0.0:8443\n", show.Out, StringComparison.Ordinal);
        Assert.Contains("    Hostname:port                : www.contoso.test:8443\n", show.Out, StringComparison.Ordinal);
        Assert.Contains($"    Certificate Hash             : {hash.ToLowerInvariant()}\n", show.Out, StringComparison.Ordinal);
        Assert.Contains($"    Application ID               : {AppId}\n", show.Out, StringComparison.Ordinal);
        Assert.Contains("    Negotiate Client Certificate : Enabled\n", show.Out, StringComparison.Ordinal);
        Assert.Contains("    Disable HTTP2                : Set\n", show.Out, StringComparison.Ordinal);

        var update = Cli.Run(data, "http", "update", "sslcert", "ipport=0.0.0.0:8443", "disabletls13=enable");
        Assert.True(update.Exit == 0, update.Err);
        Assert.Contains("SSL Certificate successfully updated", update.Out, StringComparison.Ordinal);

        var one = Cli.Run(data, "http", "show", "sslcert", "ipport=0.0.0.0:8443", "--json");
        Assert.Equal(0, one.Exit);
        var json = JsonDocument.Parse(one.Out).RootElement;
        Assert.Equal(1, json.GetArrayLength());
        Assert.Equal("0.0.0.0:8443", json[0].GetProperty("ipport").GetString());
        Assert.True(json[0].GetProperty("disabletls13").GetBoolean());
        Assert.Equal("enable", json[0].GetProperty("clientcertnegotiation").GetString());   // kept by update
        Assert.Equal(hash, json[0].GetProperty("certhash").GetString());

        var del = Cli.Run(data, "http", "delete", "sslcert", "hostnameport=www.contoso.test:8443");
        Assert.True(del.Exit == 0, del.Err);
        Assert.Contains("SSL Certificate successfully deleted", del.Out, StringComparison.Ordinal);
        var left = new BindingStore(Path.Combine(data, BindingStore.FileName)).Load();
        Assert.Equal("ipport=0.0.0.0:8443", Assert.Single(left).Key.ToString());
    }

    [Fact]
    public void Existing_key_missing_key_and_bad_parameters_fail_like_netsh()
    {
        string data = TestHome.NewDataDirectory();
        string hash = NewCertificate(data, "localhost");
        Assert.Equal(0, Cli.Run(data, "http", "add", "sslcert", "ipport=0.0.0.0:8443", $"certhash={hash}", $"appid={AppId}").Exit);

        var again = Cli.Run(data, "http", "add", "sslcert", "ipport=0.0.0.0:8443", $"certhash={hash}", $"appid={AppId}");
        Assert.NotEqual(0, again.Exit);
        Assert.Contains("SSL Certificate add failed, Error: 183", again.Err, StringComparison.Ordinal);
        Assert.Contains("Cannot create a file when that file already exists.", again.Err, StringComparison.Ordinal);

        var missing = Cli.Run(data, "http", "delete", "sslcert", "hostnameport=nope.contoso.test:8443");
        Assert.NotEqual(0, missing.Exit);
        Assert.Contains("SSL Certificate deletion failed, Error: 2", missing.Err, StringComparison.Ordinal);
        Assert.Contains("The system cannot find the file specified.", missing.Err, StringComparison.Ordinal);

        Assert.NotEqual(0, Cli.Run(data, "http", "update", "sslcert", "ipport=0.0.0.0:9443", "disablehttp2=enable").Exit);
        Assert.NotEqual(0, Cli.Run(data, "http", "show", "sslcert", "ccs=9443").Exit);

        var bad = Cli.Run(data, "http", "add", "sslcert", "ipport=0.0.0.0:9443", $"certhash={hash}", $"appid={AppId}", "disablehttp2=maybe");
        Assert.NotEqual(0, bad.Exit);
        Assert.Contains("The parameter is incorrect.", bad.Err, StringComparison.Ordinal);
        Assert.Contains("disablehttp2=maybe: expected enable or disable", bad.Err, StringComparison.Ordinal);

        var noCert = Cli.Run(data, "http", "add", "sslcert", "ipport=0.0.0.0:9443", "certhash=00000000000000000000000000000000000000AA", $"appid={AppId}");
        Assert.NotEqual(0, noCert.Exit);
        Assert.Contains("no certificate with thumbprint 00000000000000000000000000000000000000AA", noCert.Err, StringComparison.Ordinal);

        var noAppId = Cli.Run(data, "http", "add", "sslcert", "ipport=0.0.0.0:9443", $"certhash={hash}");
        Assert.NotEqual(0, noAppId.Exit);
        Assert.Contains("appid is required", noAppId.Err, StringComparison.Ordinal);
        Assert.Single(new BindingStore(Path.Combine(data, BindingStore.FileName)).Load());
    }

    [Fact]
    public void A_corrupt_bindings_file_is_reported_by_line_and_left_byte_identical()
    {
        string data = TestHome.NewDataDirectory();
        string hash = NewCertificate(data, "localhost");
        string path = Path.Combine(data, BindingStore.FileName);
        File.WriteAllText(path, $"ipport=0.0.0.0:8443 certhash={hash} appid={AppId}\nhostnameport=www.contoso.test:8443 certhash={hash} disabletls13=sometimes\n");
        byte[] before = File.ReadAllBytes(path);
        var stamp = File.GetLastWriteTimeUtc(path);

        foreach (var args in new[]
                 {
                     new[] { "http", "add", "sslcert", "ipport=127.0.0.1:9443", $"certhash={hash}", $"appid={AppId}" },
                     new[] { "http", "delete", "sslcert", "ipport=0.0.0.0:8443" },
                     new[] { "http", "update", "sslcert", "ipport=0.0.0.0:8443", "disablehttp2=enable" },
                     new[] { "http", "show", "sslcert" },
                 })
        {
            var r = Cli.Run(data, args);
            Assert.NotEqual(0, r.Exit);
            Assert.Contains($"{path} line 2: disabletls13=sometimes: expected enable or disable", r.Err, StringComparison.Ordinal);
        }
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(stamp, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void Cert_new_list_import_delete()
    {
        string data = TestHome.NewDataDirectory();
        string hash = NewCertificate(data, "list.contoso.test", "alt.contoso.test");
        var list = Cli.Run(data, "cert", "list", "--json");
        Assert.Equal(0, list.Exit);
        var mine = JsonDocument.Parse(list.Out).RootElement.EnumerateArray().Single(e => e.GetProperty("thumbprint").GetString() == hash);
        Assert.Equal("CN=list.contoso.test", mine.GetProperty("subject").GetString());
        Assert.Equal(["list.contoso.test", "alt.contoso.test"], mine.GetProperty("dnsNames").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.Equal("ECDSA P-256", mine.GetProperty("keyType").GetString());
        Assert.True(mine.GetProperty("notAfter").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddDays(300));
        Assert.Contains(hash, Cli.Run(data, "cert", "list").Out, StringComparison.Ordinal);

        // A bound certificate is not deleted by accident.
        Assert.Equal(0, Cli.Run(data, "http", "add", "sslcert", "ipport=0.0.0.0:8443", $"certhash={hash}", $"appid={AppId}").Exit);
        var refused = Cli.Run(data, "cert", "delete", hash);
        Assert.NotEqual(0, refused.Exit);
        Assert.Contains("ipport=0.0.0.0:8443", refused.Err, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run(data, "http", "delete", "sslcert", "ipport=0.0.0.0:8443").Exit);
        Assert.Equal(0, Cli.Run(data, "cert", "delete", hash).Exit);
        Assert.DoesNotContain(hash, Cli.Run(data, "cert", "list").Out, StringComparison.Ordinal);
        Assert.NotEqual(0, Cli.Run(data, "cert", "delete", hash).Exit);
    }

    [Fact]
    public void Cert_import_takes_the_pfx_password_from_the_environment_and_pem_with_key()
    {
        string data = TestHome.NewDataDirectory();
        using var ca = SharpTls.Hosting.Certificates.CertificateFactory.CreateAuthority("Import Test CA");
        using var leaf = SharpTls.Hosting.Certificates.CertificateFactory.CreateServer(["import.contoso.test"], ca, SharpTls.Hosting.Certificates.CertificateKeyKind.Rsa);
        string pfx = Path.Combine(data, "site.pfx");
        File.WriteAllBytes(pfx, leaf.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "s3cret"));

        var wrong = Cli.StartInfo(data, "cert", "import", pfx);
        wrong.Environment["SHARPTLS_PFX_PASSWORD"] = "nope";
        Assert.NotEqual(0, RunToEnd(wrong).Exit);

        var right = Cli.StartInfo(data, "cert", "import", pfx);
        right.Environment["SHARPTLS_PFX_PASSWORD"] = "s3cret";
        var r = RunToEnd(right);
        Assert.True(r.Exit == 0, r.Err);
        Assert.Equal(leaf.Thumbprint, r.Out.Trim());

        // PEM certificate + separate PEM key.
        using var pemLeaf = SharpTls.Hosting.Certificates.CertificateFactory.CreateServer(["pem.contoso.test"], ca);
        string certPem = Path.Combine(data, "pem.crt"), keyPem = Path.Combine(data, "pem.key");
        File.WriteAllText(certPem, pemLeaf.ExportCertificatePem());
        using (var k = System.Security.Cryptography.X509Certificates.ECDsaCertificateExtensions.GetECDsaPrivateKey(pemLeaf)!)
            File.WriteAllText(keyPem, k.ExportPkcs8PrivateKeyPem());
        var pem = Cli.Run(data, "cert", "import", certPem, "--key", keyPem);
        Assert.True(pem.Exit == 0, pem.Err);
        Assert.Equal(pemLeaf.Thumbprint, pem.Out.Trim());
        var listed = Cli.Run(data, "cert", "list").Out;
        Assert.Contains(leaf.Thumbprint, listed, StringComparison.Ordinal);
        Assert.Contains(pemLeaf.Thumbprint, listed, StringComparison.Ordinal);
    }

    [Fact]
    public void Cert_new_with_a_ca_file_and_an_rsa_key()
    {
        string data = TestHome.NewDataDirectory();
        using var ca = SharpTls.Hosting.Certificates.CertificateFactory.CreateAuthority("CLI Issuing CA");
        string caFile = Path.Combine(data, "ca.pfx");
        File.WriteAllBytes(caFile, ca.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pkcs12, "ca-pw"));
        var psi = Cli.StartInfo(data, "cert", "new", "--dns", "issued.contoso.test", "--ca", caFile, "--key", "rsa");
        psi.Environment["SHARPTLS_PFX_PASSWORD"] = "ca-pw";
        var r = RunToEnd(psi);
        Assert.True(r.Exit == 0, r.Err);
        string hash = r.Out.Trim();
        var mine = JsonDocument.Parse(Cli.Run(data, "cert", "list", "--json").Out).RootElement.EnumerateArray().Single(e => e.GetProperty("thumbprint").GetString() == hash);
        Assert.Equal("CN=CLI Issuing CA", mine.GetProperty("issuer").GetString());
        Assert.Equal("RSA 2048", mine.GetProperty("keyType").GetString());
        Assert.True(mine.GetProperty("hasPrivateKey").GetBoolean());
        // The issued certificate chains to the CA.
        using var issued = new SharpTls.Hosting.Certificates.StoreCertificateSource().Find(hash)!;
        using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
        chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
        Assert.True(chain.Build(issued));
    }

    private static (int Exit, string Out, string Err) RunToEnd(ProcessStartInfo psi)
    {
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var o = p.StandardOutput.ReadToEndAsync();
        var e = p.StandardError.ReadToEndAsync();
        Assert.True(p.WaitForExit(60_000));
        return (p.ExitCode, o.Result, e.Result);
    }

    [Fact]
    public void Update_and_show_protocols_change_the_server_switches_and_a_binding_left_no_version_is_refused()
    {
        string data = TestHome.NewDataDirectory();
        string hash = NewCertificate(data, "old.contoso.test");
        string[] tls10Only = ["http", "add", "sslcert", "hostnameport=old.contoso.test:8443", $"certhash={hash}", $"appid={AppId}", "disabletls12=enable", "disabletls13=enable"];

        // Legacy versions are off: a binding without TLS 1.2 and 1.3 would speak nothing, and is refused with what to do.
        var refused = Cli.Run(data, tls10Only);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("The parameter is incorrect.", refused.Err, StringComparison.Ordinal);
        Assert.Contains("no protocol version is left: the server's switches enable TLS 1.2, TLS 1.3", refused.Err, StringComparison.Ordinal);

        var update = Cli.Run(data, "http", "update", "protocols", "tls1.0=enable");
        Assert.True(update.Exit == 0, update.Err);
        Assert.Contains("Protocol switches successfully updated: TLS 1.0, TLS 1.2, TLS 1.3 on", update.Out, StringComparison.Ordinal);
        Assert.Contains("TLS 1.0\\Server\\Enabled=1\n", File.ReadAllText(Path.Combine(data, ProtocolSwitches.FileName)), StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run(data, tls10Only).Exit);

        var show = Cli.Run(data, "http", "show", "protocols");
        Assert.Equal(0, show.Exit);
        Assert.Contains("    TLS 1.0                      : Enabled\n    TLS 1.1                      : Disabled\n", show.Out, StringComparison.Ordinal);
        var sslcert = Cli.Run(data, "http", "show", "sslcert");
        Assert.Contains("    Disable TLS1.2               : Set\n", sslcert.Out, StringComparison.Ordinal);
        Assert.EndsWith(show.Out.TrimStart('\n'), sslcert.Out, StringComparison.Ordinal);
        var json = JsonDocument.Parse(Cli.Run(data, "http", "show", "sslcert", "--json").Out).RootElement;
        Assert.Equal(["TLS 1.0"], json[0].GetProperty("protocols").EnumerateArray().Select(e => e.GetString()));

        // Switching TLS 1.0 off again leaves that binding nothing: the command says so (the host will not serve it, 36900).
        var off = Cli.Run(data, "http", "update", "protocols", "tls1.0=disable");
        Assert.Equal(0, off.Exit);
        Assert.Contains("Warning: hostnameport=old.contoso.test:8443 is not served now: no protocol version is left", off.Err, StringComparison.Ordinal);
        Assert.Equal(0, Cli.Run(data, "http", "update", "protocols", "tls1.0=enable").Exit);

        var bad = Cli.Run(data, "http", "update", "protocols", "tls1.4=enable");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("The parameter is incorrect.\n'tls1.4' is not a protocol switch", bad.Err, StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(data, ProtocolSwitches.FileName), "TLS 1.0\\Server\\Enabled=maybe\n");
        var corrupt = Cli.Run(data, "http", "update", "protocols", "tls1.1=enable");
        Assert.Equal(1, corrupt.Exit);
        Assert.Contains("Protocol switches update failed, Error: 13", corrupt.Err, StringComparison.Ordinal);
        Assert.Contains("line 1", corrupt.Err, StringComparison.Ordinal);
        Assert.Equal("TLS 1.0\\Server\\Enabled=maybe\n", File.ReadAllText(Path.Combine(data, ProtocolSwitches.FileName)));
    }

    // A certificate for www.contoso.test in the CurrentUser MY store, with the dates, key usage and key given.
    private static string Unusable(DateTimeOffset notBefore, DateTimeOffset notAfter, X509KeyUsageFlags usage, bool withKey = true)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=www.contoso.test", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        using var made = request.CreateSelfSigned(notBefore, notAfter);
        using var stored = !withKey ? X509CertificateLoader.LoadCertificate(made.RawData) : X509CertificateLoader.LoadPkcs12(made.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);
        return new SharpTls.Hosting.Certificates.StoreCertificateSource().Add(stored);
    }

    [Fact]
    public void A_certificate_that_cannot_serve_is_refused_when_binding_it_with_the_reason()
    {
        string data = TestHome.NewDataDirectory();
        var now = DateTimeOffset.UtcNow;
        var sign = X509KeyUsageFlags.DigitalSignature;
        foreach (var (hash, reason) in new[]
        {
            (Unusable(now.AddDays(-10), now.AddDays(-1), sign), "expired on"),
            (Unusable(now.AddDays(1), now.AddDays(10), sign), "is not valid before"),
            (Unusable(now.AddDays(-1), now.AddDays(10), sign, withKey: false), "has no private key"),
            (Unusable(now.AddDays(-1), now.AddDays(10), X509KeyUsageFlags.KeyEncipherment), "has a key usage without digitalSignature"),
        })
        {
            var add = Cli.Run(data, "http", "add", "sslcert", "hostnameport=www.contoso.test:8443", $"certhash={hash}", $"appid={AppId}");
            Assert.Equal(1, add.Exit);
            Assert.Contains("SSL Certificate add failed, Error: 1312", add.Err, StringComparison.Ordinal);
            Assert.Contains($"the certificate {hash} (CN=www.contoso.test)", add.Err, StringComparison.Ordinal);
            Assert.Contains(reason, add.Err, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(Path.Combine(data, BindingStore.FileName)));
    }
}
