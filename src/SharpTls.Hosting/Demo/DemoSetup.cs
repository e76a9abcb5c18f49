using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Sites;

namespace SharpTls.Hosting.Demo;

/// <summary>What the embedded default set up: where the CA is, which sites, which bindings, and what was new.</summary>
/// <param name="CaPath">The demo CA's certificate (PEM): what clients must trust.</param>
/// <param name="Port">The HTTPS port.</param>
/// <param name="Sites">The three demo sites.</param>
/// <param name="Bindings">The SSL bindings serving them (hostnameport for each name, ipport for clients without SNI).</param>
/// <param name="Created">What this start created (empty when everything was reused).</param>
public sealed record DemoConfiguration(string CaPath, int Port, SitesOptions Sites, IReadOnlyList<SslBinding> Bindings, IReadOnlyList<string> Created);

/// <summary>
/// The embedded default of <c>sharptls serve</c>: once, in the data folder, a demo CA and certificates
/// for localhost, www.contoso.test and shop.contoso.test, stored in the certificate store, bound by
/// hostnameport on 127.0.0.1:port with an ipport binding for clients without SNI; later starts reuse them.
/// </summary>
public static class DemoSetup
{
    /// <summary>The demo's names, one site each.</summary>
    public static IReadOnlyList<string> Names { get; } = ["localhost", "www.contoso.test", "shop.contoso.test"];

    /// <summary>The appid of the demo's bindings.</summary>
    public static Guid AppId { get; } = new("6d3f1c2a-5b4e-4c8d-9a7f-0e1d2c3b4a59");

    /// <summary>The address the demo listens on.</summary>
    public static System.Net.IPAddress Address { get; } = System.Net.IPAddress.Loopback;

    /// <summary>Creates what is missing and returns the demo configuration.</summary>
    public static DemoConfiguration Ensure(int port, BindingStore? bindingStore = null, StoreCertificateSource? certificateSource = null)
    {
        var store = bindingStore ?? new BindingStore();
        var certificates = certificateSource ?? new StoreCertificateSource();
        var created = new List<string>();
        string dir = Path.Combine(SharpTlsHome.DataDirectory, "demo");
        Directory.CreateDirectory(dir);
        string caPem = Path.Combine(dir, "demo-ca.pem");
        string caPfx = Path.Combine(dir, "demo-ca.pfx");
        X509Certificate2? ca = null;

        X509Certificate2 Ca()
        {
            if (ca is not null) return ca;
            if (File.Exists(caPfx) && File.Exists(caPem))
                return ca = X509CertificateLoader.LoadPkcs12FromFile(caPfx, null, X509KeyStorageFlags.Exportable);
            ca = CertificateFactory.CreateAuthority("SharpTls Demo CA", CertificateKeyKind.Ecdsa, TimeSpan.FromDays(3650));
            WritePrivate(caPfx, ca.Export(X509ContentType.Pkcs12));
            File.WriteAllText(caPem, ca.ExportCertificatePem() + "\n");
            created.Add($"the demo CA {caPem}");
            return ca;
        }
        if (!File.Exists(caPem)) Ca();

        var existing = store.Load();
        var now = DateTimeOffset.UtcNow;
        var bindings = new List<SslBinding>();
        string? localhostHash = null;
        foreach (string name in Names)
        {
            var key = BindingKey.HostnamePort(name, port);
            var current = existing.FirstOrDefault(b => b.Key == key);
            if (current?.CertificateHash is { } hash && Usable(certificates, hash, current.CertificateStoreName, now))
            {
                bindings.Add(current);
            }
            else
            {
                using var cert = CertificateFactory.CreateServer(name == "localhost" ? [name, "127.0.0.1", "::1"] : [name], Ca(), CertificateKeyKind.Ecdsa, TimeSpan.FromDays(825));
                string thumbprint = certificates.Add(cert);
                var binding = new SslBinding { Key = key, CertificateHash = thumbprint, AppId = AppId };
                if (current is null) store.Add(binding); else store.Update(binding);
                bindings.Add(binding);
                created.Add($"a certificate for {name} ({thumbprint}) and the binding {key}");
            }
            if (name == "localhost") localhostHash = bindings[^1].CertificateHash;
        }
        var ipKey = BindingKey.IpPort(Address, port);
        var ip = existing.FirstOrDefault(b => b.Key == ipKey);
        if (ip?.CertificateHash is { } ipHash && Usable(certificates, ipHash, ip.CertificateStoreName, now))
            bindings.Add(ip);
        else
        {
            var binding = new SslBinding { Key = ipKey, CertificateHash = localhostHash, AppId = AppId };
            if (ip is null) store.Add(binding); else store.Update(binding);
            bindings.Add(binding);
            created.Add($"the binding {ipKey} (clients without SNI get the localhost certificate)");
        }
        ca?.Dispose();

        string at = $"https/{Address}:{port}:";
        var sites = new SitesOptions
        {
            Sites =
            [
                new SiteOptions { Name = "localhost", Bindings = [at + "localhost", at], App = DemoPage.AppName },
                new SiteOptions { Name = "www.contoso.test", Bindings = [at + "www.contoso.test"], App = DemoPage.AppName },
                new SiteOptions { Name = "shop.contoso.test", Bindings = [at + "shop.contoso.test"], App = DemoPage.AppName },
            ],
        };
        return new DemoConfiguration(caPem, port, sites, bindings, created);
    }

    /// <summary>The curl lines to try each site.</summary>
    public static IEnumerable<string> CurlLines(DemoConfiguration demo)
    {
        foreach (string name in Names)
            yield return name == "localhost"
                ? $"curl --cacert {demo.CaPath} https://localhost:{demo.Port}/"
                : $"curl --cacert {demo.CaPath} --resolve {name}:{demo.Port}:{Address} https://{name}:{demo.Port}/";
        yield return $"curl --cacert {demo.CaPath} https://{Address}:{demo.Port}/    (no SNI: the ipport binding)";
    }

    /// <summary>The configuration keys of <paramref name="sites"/> (for an in-memory configuration source).</summary>
    public static IEnumerable<KeyValuePair<string, string?>> ConfigurationOf(SitesOptions sites)
    {
        for (int i = 0; i < sites.Sites.Count; i++)
        {
            var s = sites.Sites[i];
            string p = $"{SitesOptions.Section}:{i}:";
            yield return new(p + "Name", s.Name);
            for (int j = 0; j < s.Bindings.Count; j++) yield return new($"{p}Bindings:{j}", s.Bindings[j]);
            if (s.App is not null) yield return new(p + "App", s.App);
            if (s.PhysicalPath is not null) yield return new(p + "PhysicalPath", s.PhysicalPath);
            if (s.Proxy is not null) yield return new(p + "Proxy", s.Proxy);
        }
    }

    private static bool Usable(StoreCertificateSource certificates, string thumbprint, string storeName, DateTimeOffset now)
    {
        using var c = certificates.Find(thumbprint, storeName);
        return c is not null && CertificateChecks.Problem(c, now) is null;
    }

    private static void WritePrivate(string path, byte[] bytes)
    {
        using var f = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        f.Write(bytes);
    }
}
