using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Tests;

/// <summary>Test certificates on disk: one CA, leaves for names, a client CA and a client certificate.</summary>
public sealed class TestCerts : IDisposable
{
    public TestCerts()
    {
        Directory.CreateDirectory(Dir);
        Ca = CertificateFactory.CreateAuthority("SharpTls Test CA", CertificateKeyKind.Ecdsa, TimeSpan.FromDays(2));
        CaPath = Write("ca.pem", Ca.ExportCertificatePem() + "\n");
        ClientCa = CertificateFactory.CreateAuthority("SharpTls Test Client CA", CertificateKeyKind.Ecdsa, TimeSpan.FromDays(2));
        OtherClientCa = CertificateFactory.CreateAuthority("Some Other CA", CertificateKeyKind.Ecdsa, TimeSpan.FromDays(2));
    }

    public string Dir { get; } = Path.Combine(Path.GetTempPath(), "sharptls-kestrel-tests-" + Guid.NewGuid().ToString("N")[..8]);
    public X509Certificate2 Ca { get; }
    public string CaPath { get; }
    public X509Certificate2 ClientCa { get; }
    public X509Certificate2 OtherClientCa { get; }

    public ServerCertificate Server(params string[] names) => new(CertificateFactory.CreateServer(names, Ca, CertificateKeyKind.Ecdsa, TimeSpan.FromDays(1)));

    /// <summary>A client certificate signed by <paramref name="issuer"/>: (cert.pem, key.pem).</summary>
    public (string Cert, string Key) Client(string commonName, X509Certificate2 issuer)
    {
        var c = CertificateFactory.CreateClient(commonName, issuer, CertificateKeyKind.Ecdsa, TimeSpan.FromDays(1));
        return (Write($"{commonName}.pem", c.ExportCertificatePem() + "\n"), Write($"{commonName}.key", c.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem() + "\n"));
    }

    /// <summary>A certificate signed by <paramref name="issuer"/> whose only extended key usage is <paramref name="ekuOid"/>: (cert.pem, key.pem).</summary>
    public (string Cert, string Key) ClientWithUsage(string commonName, X509Certificate2 issuer, string ekuOid)
    {
        using var key = System.Security.Cryptography.ECDsa.Create(System.Security.Cryptography.ECCurve.NamedCurves.nistP256);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={commonName}", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new System.Security.Cryptography.Oid(ekuOid)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        var now = DateTimeOffset.UtcNow;
        using var c = request.Create(issuer, now.AddMinutes(-5), now.AddDays(1), System.Security.Cryptography.RandomNumberGenerator.GetBytes(8));
        return (Write($"{commonName}.pem", c.ExportCertificatePem() + "\n"), Write($"{commonName}.key", key.ExportPkcs8PrivateKeyPem() + "\n"));
    }

    public string Write(string name, string text)
    {
        string path = Path.Combine(Dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose()
    {
        try { Directory.Delete(Dir, true); } catch (IOException) { }
    }
}
