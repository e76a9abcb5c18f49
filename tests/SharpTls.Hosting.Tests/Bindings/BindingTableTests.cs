using System.Net;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary>The HTTP.sys lookup order, rule by rule, on a table with one certificate per binding.</summary>
public class BindingTableTests : IDisposable
{
    private static readonly string[] Keys =
    [
        "hostnameport=www.contoso.test:8443",
        "hostnameport=*.contoso.test:8443",
        "hostnameport=*.b.contoso.test:8443",
        "hostnameport=*.test:8443",
        "hostnameport=www.contoso.test:9443",
        "ipport=127.0.0.1:8443",
        "ipport=0.0.0.0:8443",
        "ipport=[::]:9443",
        "ipport=[::1]:7443",
        "ipport=0.0.0.0:7443",
        "ccs=8443",
        "ccs=6443",
    ];

    private static readonly Lazy<Dictionary<string, string>> Hashes = new(() =>
        Keys.Where(k => !k.StartsWith("ccs", StringComparison.Ordinal)).ToDictionary(k => k, k => TestCertificates.InStore($"binding{Array.IndexOf(Keys, k)}.test")));

    private readonly string _ccsFolder = Path.Combine(TestHome.NewDataDirectory(), "ccs");
    private readonly CentralCertificateStore _central;
    private readonly BindingTable _table;

    public BindingTableTests()
    {
        Directory.CreateDirectory(_ccsFolder);
        File.WriteAllBytes(Path.Combine(_ccsFolder, "shop.contoso.test.pfx"), TestCertificates.Pfx("shop.contoso.test", "ccs-pw"));
        File.WriteAllBytes(Path.Combine(_ccsFolder, "www.contoso.test.pfx"), TestCertificates.Pfx("www.contoso.test", "ccs-pw"));
        File.WriteAllBytes(Path.Combine(_ccsFolder, "_.fabrikam.test.pfx"), TestCertificates.Pfx("*.fabrikam.test", "ccs-pw"));
        _central = new CentralCertificateStore(_ccsFolder, "ccs-pw");
        var bindings = Keys.Select(k => SslBinding.Parse(k.StartsWith("ccs", StringComparison.Ordinal) ? [k] : [k, $"certhash={Hashes.Value[k]}"])).ToList();
        _table = BindingTable.Build(bindings, new StoreCertificateSource(), _central);
        Assert.Empty(_table.Problems);
    }

    public void Dispose() => _central.Dispose();

    [Theory]
    // exact hostnameport beats every other rule
    [InlineData("127.0.0.1:8443", "www.contoso.test", "hostnameport=www.contoso.test:8443", BindingRule.HostnameExact)]
    [InlineData("127.0.0.1:8443", "WWW.Contoso.TEST.", "hostnameport=www.contoso.test:8443", BindingRule.HostnameExact)]
    // wildcards: the longest suffix first
    [InlineData("127.0.0.1:8443", "any.contoso.test", "hostnameport=*.contoso.test:8443", BindingRule.HostnameWildcard)]
    [InlineData("127.0.0.1:8443", "a.b.contoso.test", "hostnameport=*.b.contoso.test:8443", BindingRule.HostnameWildcard)]
    [InlineData("127.0.0.1:8443", "x.a.b.contoso.test", "hostnameport=*.b.contoso.test:8443", BindingRule.HostnameWildcard)]
    [InlineData("127.0.0.1:8443", "a.c.contoso.test", "hostnameport=*.contoso.test:8443", BindingRule.HostnameWildcard)]
    [InlineData("127.0.0.1:8443", "other.test", "hostnameport=*.test:8443", BindingRule.HostnameWildcard)]
    // a wildcard binding beats the central store for the same port (shop.contoso.test has a CCS file)
    [InlineData("127.0.0.1:8443", "shop.contoso.test", "hostnameport=*.contoso.test:8443", BindingRule.HostnameWildcard)]
    // ccs after hostnameport, before ipport; the wildcard file _.fabrikam.test.pfx
    [InlineData("127.0.0.1:8443", "www.fabrikam.test", "hostnameport=*.test:8443", BindingRule.HostnameWildcard)]
    [InlineData("127.0.0.1:6443", "www.fabrikam.test", "ccs=6443", BindingRule.CentralStore)]
    [InlineData("127.0.0.1:6443", "shop.contoso.test", "ccs=6443", BindingRule.CentralStore)]
    // ipport: exact address, then any address
    [InlineData("127.0.0.1:8443", null, "ipport=127.0.0.1:8443", BindingRule.IpExact)]
    [InlineData("127.0.0.2:8443", null, "ipport=0.0.0.0:8443", BindingRule.IpAny)]
    [InlineData("127.0.0.2:8443", "nobody.example", "ipport=0.0.0.0:8443", BindingRule.IpAny)]
    [InlineData("[::ffff:127.0.0.1]:8443", null, "ipport=127.0.0.1:8443", BindingRule.IpExact)]
    [InlineData("127.0.0.1:8443", "contoso.test", "hostnameport=*.test:8443", BindingRule.HostnameWildcard)]
    // the port is part of every key
    [InlineData("127.0.0.1:9443", "www.contoso.test", "hostnameport=www.contoso.test:9443", BindingRule.HostnameExact)]
    [InlineData("127.0.0.1:9443", "any.contoso.test", "ipport=[::]:9443", BindingRule.IpAny)]
    [InlineData("[::1]:9443", "any.contoso.test", "ipport=[::]:9443", BindingRule.IpAny)]
    [InlineData("[::1]:7443", null, "ipport=[::1]:7443", BindingRule.IpExact)]
    [InlineData("[::2]:7443", null, "ipport=0.0.0.0:7443", BindingRule.IpAny)]
    // a name with no CCS file falls through to the IP binding... and there is none on 6443
    [InlineData("127.0.0.1:6443", "nofile.contoso.test", null, null)]
    [InlineData("127.0.0.1:6443", null, null, null)]
    [InlineData("127.0.0.1:5443", "www.contoso.test", null, null)]
    public void Lookup_order(string local, string? sni, string? expected, BindingRule? rule)
    {
        var match = _table.Select(IPEndPoint.Parse(local), sni);
        Assert.Equal(expected, match?.Binding.Key.ToString());
        Assert.Equal(rule, match?.Rule);
        if (match is null) return;
        Assert.Equal(expected, match.Policy.Name);
        Assert.Contains(expected!, match.Reason, StringComparison.Ordinal);
        Assert.Contains(sni is null ? "the client sent no SNI" : $"SNI {sni.ToLowerInvariant().TrimEnd('.')}", match.Reason, StringComparison.Ordinal);
        string served = match.Policy.Certificates[0].Certificate.Thumbprint;
        if (rule == BindingRule.CentralStore)
            Assert.Equal(sni == "www.fabrikam.test" ? "_.fabrikam.test.pfx" : sni + ".pfx", Path.GetFileName(match.CertificateFile));
        else
            Assert.Equal(Hashes.Value[expected!], served);
    }

    [Fact]
    public void Policies_are_built_once_per_table_and_once_per_central_store_file()
    {
        var a = _table.Select(IPEndPoint.Parse("127.0.0.1:8443"), "www.contoso.test")!;
        var b = _table.Select(IPEndPoint.Parse("127.0.0.1:8443"), "www.contoso.test")!;
        Assert.Same(a.Policy, b.Policy);
        var c1 = _table.Select(IPEndPoint.Parse("127.0.0.1:6443"), "shop.contoso.test")!;
        var c2 = _table.Select(IPEndPoint.Parse("127.0.0.1:6443"), "shop.contoso.test")!;
        Assert.Same(c1.Policy, c2.Policy);
        Assert.Equal("CN=shop.contoso.test", c1.Policy.Certificates[0].Certificate.Subject);
        var w = _table.Select(IPEndPoint.Parse("127.0.0.1:6443"), "x.fabrikam.test")!;
        Assert.Equal("CN=*.fabrikam.test", w.Policy.Certificates[0].Certificate.Subject);
    }

    [Fact]
    public void Bindings_whose_certificate_cannot_serve_are_left_out_with_the_reason()
    {
        using var expired = CertificateFactory.CreateServer(["expired.contoso.test"], TestCertificates.Authority, lifetime: TimeSpan.FromDays(1), notBefore: DateTimeOffset.UtcNow.AddDays(-3));
        using var future = CertificateFactory.CreateServer(["future.contoso.test"], TestCertificates.Authority, notBefore: DateTimeOffset.UtcNow.AddDays(3));
        using var noKey = X509CertificateLoader.LoadCertificate(TestCertificates.Authority.RawData);
        using var noKeyLeaf = X509CertificateLoader.LoadCertificate(CertificateFactory.CreateServer(["nokey.contoso.test"], TestCertificates.Authority).RawData);
        var store = new StoreCertificateSource();
        store.Add(expired);
        store.Add(future);
        store.Add(noKeyLeaf);
        var bindings = new List<SslBinding>
        {
            SslBinding.Parse(["hostnameport=expired.contoso.test:8443", $"certhash={expired.Thumbprint}"]),
            SslBinding.Parse(["hostnameport=future.contoso.test:8443", $"certhash={future.Thumbprint}"]),
            SslBinding.Parse(["hostnameport=nokey.contoso.test:8443", $"certhash={noKeyLeaf.Thumbprint}"]),
            SslBinding.Parse(["hostnameport=missing.contoso.test:8443", "certhash=00000000000000000000000000000000000000AB"]),
            SslBinding.Parse(["ipport=0.0.0.0:8443", $"certhash={Hashes.Value["ipport=0.0.0.0:8443"]}"]),
        };
        var table = BindingTable.Build(bindings, store);
        Assert.Equal(4, table.Problems.Count);
        Assert.Contains("expired on", table.Problems[0].Reason, StringComparison.Ordinal);
        Assert.Contains("is not valid before", table.Problems[1].Reason, StringComparison.Ordinal);
        Assert.Contains("has no private key", table.Problems[2].Reason, StringComparison.Ordinal);
        Assert.Contains("no certificate with thumbprint 00000000000000000000000000000000000000AB", table.Problems[3].Reason, StringComparison.Ordinal);
        // Not served: the next rule (the IP binding) answers.
        Assert.Equal(BindingRule.IpAny, table.Select(IPEndPoint.Parse("127.0.0.1:8443"), "expired.contoso.test")!.Rule);
    }

    [Fact]
    public void Binding_settings_become_the_policy()
    {
        string hash = Hashes.Value["ipport=0.0.0.0:8443"];
        string issuerStore = "SharpTlsTestIssuers";
        new StoreCertificateSource().Add(X509CertificateLoader.LoadCertificate(TestCertificates.Authority.RawData), issuerStore);
        var plain = Policy($"ipport=0.0.0.0:8443 certhash={hash}");
        Assert.Equal(["h2", "http/1.1"], plain.ApplicationProtocols);
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, plain.Versions);
        Assert.Equal(ClientCertificateMode.None, plain.ClientCertificateMode);
        Assert.True(plain.EnableSessionTickets);
        Assert.True(plain.EnableSessionIds);
        Assert.Equal("ipport=0.0.0.0:8443", plain.Name);

        var strict = Policy($"ipport=0.0.0.0:8443 certhash={hash} disablehttp2=enable disabletls13=enable clientcertnegotiation=enable " +
                            $"sslctlstorename={issuerStore} verifyclientcertrevocation=disable enablesessionticket=disable disablesessionid=enable");
        Assert.Equal(["http/1.1"], strict.ApplicationProtocols);
        Assert.Equal(TlsVersions.Tls12, strict.Versions);
        Assert.Equal(ClientCertificateMode.Optional, strict.ClientCertificateMode);
        Assert.Equal(TestCertificates.Authority.Thumbprint, Assert.Single(strict.TrustedIssuers).Thumbprint);
        Assert.Equal(X509RevocationMode.NoCheck, strict.ClientCertificateRevocation);
        Assert.False(strict.EnableSessionTickets);
        Assert.False(strict.EnableSessionIds);

        Assert.Equal(ClientCertificateMode.Required, Policy($"ipport=0.0.0.0:8443 certhash={hash} clientcertnegotiation=require").ClientCertificateMode);
        Assert.Equal(X509RevocationMode.Online, Policy($"ipport=0.0.0.0:8443 certhash={hash} clientcertnegotiation=require").ClientCertificateRevocation);
        Assert.Equal(TlsVersions.Tls13, Policy($"ipport=0.0.0.0:8443 certhash={hash} disabletls12=enable disablelegacytls=enable").Versions);
    }

    [Fact]
    public void An_empty_sslctlstorename_store_leaves_the_binding_unserved_rather_than_trusting_the_system_roots()
    {
        // The store exists (bindings are refused at `http add` time when it is empty) but was emptied later.
        string hash = Hashes.Value["ipport=0.0.0.0:8443"];
        string emptyStore = "SharpTlsEmptyIssuers" + Guid.NewGuid().ToString("N")[..6];
        var table = BindingTable.Build([SslBinding.Parse(SslBinding.SplitArguments(
            $"ipport=0.0.0.0:8443 certhash={hash} clientcertnegotiation=require sslctlstorename={emptyStore}"))], new StoreCertificateSource());
        Assert.Contains("has no certificates to trust", Assert.Single(table.Problems).Reason, StringComparison.Ordinal);
        Assert.Null(table.Select(IPEndPoint.Parse("127.0.0.1:8443"), null));
    }

    private static TlsServerPolicy Policy(string line)
    {
        var table = BindingTable.Build([SslBinding.Parse(SslBinding.SplitArguments(line))], new StoreCertificateSource());
        Assert.Empty(table.Problems);
        return table.Select(IPEndPoint.Parse("127.0.0.1:8443"), null)!.Policy;
    }
}
