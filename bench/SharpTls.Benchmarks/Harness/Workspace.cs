using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Benchmarks.Harness;

/// <summary>
/// The configurations every server is started with: an ECDSA P-256 leaf; an RSA-2048 leaf sent with its
/// RSA-2048 intermediate (a chain of two, as real sites send); the same RSA chain while asking the client
/// for a certificate (optional, trusted: the bench CA).
/// </summary>
internal enum CertKind { Ecdsa, Rsa, RsaClientAuth }

/// <summary>
/// The temporary directory of one run: a test CA, an ECDSA P-256 leaf, an RSA-2048 leaf with its RSA-2048
/// intermediate (PEM, leaf first), an RSA-2048 client certificate, and the fixed responses every server serves (<c>www/1k</c>, <c>www/1m</c>, the same bytes).
/// </summary>
internal sealed class Workspace : IDisposable
{
    public const int SmallResponse = 1024;
    public const int LargeResponse = 1024 * 1024;

    public Workspace()
    {
        Root = Directory.CreateTempSubdirectory("sharptls-bench-").FullName;
        Www = Path.Combine(Root, "www");
        Directory.CreateDirectory(Www);
        var rng = new Random(20240401);
        byte[] small = new byte[SmallResponse], large = new byte[LargeResponse];
        rng.NextBytes(small);
        rng.NextBytes(large);
        File.WriteAllBytes(Path.Combine(Www, "1k"), small);
        File.WriteAllBytes(Path.Combine(Www, "1m"), large);
        MakeCertificates();
    }

    public string Root { get; }
    public string Www { get; }
    public string CaPem => Path.Combine(Root, "ca.pem");
    public string CertPem(CertKind k) => Path.Combine(Root, $"{Tag(k)}.crt.pem");
    public string KeyPem(CertKind k) => Path.Combine(Root, $"{Tag(k)}.key.pem");
    public string ClientCertPem => Path.Combine(Root, "client-rsa-2048.crt.pem");
    public string ClientKeyPem => Path.Combine(Root, "client-rsa-2048.key.pem");
    private static string Tag(CertKind k) => k == CertKind.Ecdsa ? "ecdsa-p256" : "rsa-2048-chain";

    private void MakeCertificates()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest("CN=SharpTls Bench CA", caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        using var ca = caReq.CreateSelfSigned(now.AddDays(-1), now.AddYears(2));
        File.WriteAllText(CaPem, ca.ExportCertificatePem());

        using (var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var req = ServerRequest(new CertificateRequest("CN=localhost", ecdsa, HashAlgorithmName.SHA256));
            using var leaf = req.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddYears(1), Serial());
            File.WriteAllText(CertPem(CertKind.Ecdsa), leaf.ExportCertificatePem());
            File.WriteAllText(KeyPem(CertKind.Ecdsa), ecdsa.ExportPkcs8PrivateKeyPem());
        }

        // RSA: leaf <- RSA-2048 intermediate <- the root; the PEM holds leaf then intermediate (a chain of two).
        using var intermediateKey = RSA.Create(2048);
        var intermediateReq = new CertificateRequest("CN=SharpTls Bench Intermediate CA", intermediateKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        intermediateReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        intermediateReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using var intermediate = intermediateReq.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddDays(-1), now.AddYears(2), Serial());
        using (var rsa = RSA.Create(2048))
        {
            var req = ServerRequest(new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1));
            using var leaf = req.Create(intermediate.SubjectName, X509SignatureGenerator.CreateForRSA(intermediateKey, RSASignaturePadding.Pkcs1),
                now.AddDays(-1), now.AddYears(1), Serial());
            File.WriteAllText(CertPem(CertKind.Rsa), leaf.ExportCertificatePem() + "\n" + intermediate.ExportCertificatePem() + "\n");
            File.WriteAllText(KeyPem(CertKind.Rsa), rsa.ExportPkcs8PrivateKeyPem());
        }

        // The client certificate (RSA-2048, issued by the root, clientAuth).
        using (var rsa = RSA.Create(2048))
        {
            using var client = ClientRequest("CN=SharpTls Bench Client", rsa).Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
                now.AddDays(-1), now.AddYears(1), Serial());
            File.WriteAllText(ClientCertPem, client.ExportCertificatePem());
            File.WriteAllText(ClientKeyPem, rsa.ExportPkcs8PrivateKeyPem());
        }
        File.WriteAllText(CaKeyPem, caKey.ExportPkcs8PrivateKeyPem());
    }

    private string CaKeyPem => Path.Combine(Root, "ca.key.pem");

    private static CertificateRequest ClientRequest(string subject, RSA key)
    {
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return req;
    }

    private List<byte[]>? _clientCertificates;

    /// <summary>
    /// <paramref name="count"/> distinct client certificates (DER) for the one client key (<see cref="ClientKeyPem"/>), each
    /// with its own subject and serial, issued by the root: every connection of a row presents its own (made once per run).
    /// </summary>
    public IReadOnlyList<byte[]> ClientCertificatesDer(int count)
    {
        if (_clientCertificates is { } made && made.Count >= count) return made;
        using var caKey = ECDsa.Create();
        caKey.ImportFromPem(File.ReadAllText(CaKeyPem));
        using var ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaPem));
        using var rsa = RSA.Create();
        rsa.ImportFromPem(File.ReadAllText(ClientKeyPem));
        var signer = X509SignatureGenerator.CreateForECDsa(caKey);
        var now = DateTimeOffset.UtcNow;
        var list = new List<byte[]>(count);
        for (int i = 0; i < count; i++)
        {
            using var c = ClientRequest($"CN=SharpTls Bench Client {i}", rsa).Create(ca.SubjectName, signer, now.AddDays(-1), now.AddYears(1), Serial());
            list.Add(c.RawData);
        }
        return _clientCertificates = list;
    }

    /// <summary>A server leaf's extensions: SAN localhost and 127.0.0.1, EKU serverAuth.</summary>
    private static CertificateRequest ServerRequest(CertificateRequest req)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("localhost");
        san.AddIpAddress(IPAddress.Loopback);
        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        return req;
    }

    private static byte[] Serial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] &= 0x7F;
        return serial;
    }

    /// <summary>A free TCP port on 127.0.0.1 (bound, read, released).</summary>
    public static int FreePort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    public void Dispose()
    {
        try { Directory.Delete(Root, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}

/// <summary>What the harness needs from the machine; reports what is missing and how to install it. It installs nothing.</summary>
internal static class Prerequisites
{
    public static string? Find(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"]))
        {
            if (dir.Length == 0) continue;
            string p = Path.Combine(dir, program);
            if (File.Exists(p)) return p;
        }
        return null;
    }

    /// <summary>Returns the problems (empty when all is there).</summary>
    public static List<string> Check()
    {
        var missing = new List<string>();
        if (Find("nginx") is null)
            missing.Add("nginx is not installed: sudo apt-get install -y nginx   (Debian's nginx; the harness runs it with its own config in a temp dir, one worker, as you)");
        if (Find("openssl") is null)
            missing.Add("openssl is not installed: sudo apt-get install -y openssl");
        try
        {
            _ = Ssl.Version;
        }
        catch (DllNotFoundException)
        {
            missing.Add("libssl.so.3 (the neutral client) is not loadable: sudo apt-get install -y libssl3");
        }
        if (!File.Exists("/proc/self/stat"))
            missing.Add("/proc is not mounted: server CPU and memory are read from /proc/PID/stat and /proc/PID/status");
        return missing;
    }
}
