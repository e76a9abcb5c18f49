using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Hosting.Demo;

/// <summary>
/// Makes the demo's certificates: an ECDSA P-256 authority and leaves it signs (server or client
/// authentication). Kept small and local to the demo; certificates of real sites come from the store.
/// </summary>
internal static class DemoPki
{
    private const string ServerAuth = "1.3.6.1.5.5.7.3.1";
    private const string ClientAuth = "1.3.6.1.5.5.7.3.2";

    /// <summary>A self-signed CA, with its key.</summary>
    public static X509Certificate2 CreateAuthority(string commonName, TimeSpan lifetime)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + lifetime);
        return Reload(ca);
    }

    /// <summary>A server certificate for <paramref name="dnsNames"/> (the first is the subject CN), signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateServer(IReadOnlyList<string> dnsNames, X509Certificate2 issuer, TimeSpan lifetime, DateTimeOffset? notBefore = null)
        => CreateLeaf(dnsNames[0], dnsNames, ServerAuth, issuer, lifetime, notBefore);

    /// <summary>A client certificate for <paramref name="commonName"/>, signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateClient(string commonName, X509Certificate2 issuer, TimeSpan lifetime)
        => CreateLeaf(commonName, [], ClientAuth, issuer, lifetime, null);

    private static X509Certificate2 CreateLeaf(string commonName, IReadOnlyList<string> dnsNames, string usage, X509Certificate2 issuer, TimeSpan lifetime, DateTimeOffset? notBefore)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={commonName}", key, HashAlgorithmName.SHA256);
        if (dnsNames.Count > 0)
        {
            var san = new SubjectAlternativeNameBuilder();
            foreach (var name in dnsNames)
            {
                if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
                else san.AddDnsName(name);
            }
            request.CertificateExtensions.Add(san.Build());
        }
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        var from = notBefore ?? DateTimeOffset.UtcNow.AddMinutes(-5);
        var until = from + lifetime;
        if (until > issuer.NotAfter) until = issuer.NotAfter;
        using var cert = request.Create(issuer, from, until, serial);
        using var withKey = cert.CopyWithPrivateKey(key);
        return Reload(withKey);
    }

    /// <summary>Round-trips through PKCS#12 so the key is a persisted, exportable one (as loaded from a store).</summary>
    private static X509Certificate2 Reload(X509Certificate2 cert)
        => X509CertificateLoader.LoadPkcs12(cert.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    /// <summary>The certificate as PEM.</summary>
    public static string CertificatePem(X509Certificate2 cert) => cert.ExportCertificatePem() + "\n";

    /// <summary>The private key as PKCS#8 PEM.</summary>
    public static string KeyPem(X509Certificate2 cert)
        => (cert.GetECDsaPrivateKey() ?? throw new InvalidOperationException("no ECDSA key")).ExportPkcs8PrivateKeyPem() + "\n";
}
