using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Hosting.Certificates;

/// <summary>The key of a new certificate.</summary>
public enum CertificateKeyKind
{
    /// <summary>ECDSA on P-256 (the default: fast handshakes).</summary>
    Ecdsa,
    /// <summary>RSA 2048.</summary>
    Rsa,
}

/// <summary>Makes certificates: a CA, and server certificates signed by it or self-signed (for <c>sharptls cert new</c> and the demo).</summary>
public static class CertificateFactory
{
    /// <summary>A self-signed certificate authority (basic constraints CA, keyCertSign and cRLSign), with its private key.</summary>
    public static X509Certificate2 CreateAuthority(string commonName, CertificateKeyKind key = CertificateKeyKind.Ecdsa, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow;
        using var k = NewKey(key);
        var request = Request(new X500DistinguishedName($"CN={Escape(commonName)}"), k);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var ca = request.CreateSelfSigned(now.AddMinutes(-5), now + (lifetime ?? TimeSpan.FromDays(3650)));
        return Reload(ca);
    }

    /// <summary>
    /// A server certificate for <paramref name="dnsNames"/> (the first is the subject CN; IP addresses become IP SANs),
    /// signed by <paramref name="issuer"/> (which needs its private key) or self-signed when it is null.
    /// </summary>
    public static X509Certificate2 CreateServer(IReadOnlyList<string> dnsNames, X509Certificate2? issuer = null,
        CertificateKeyKind key = CertificateKeyKind.Ecdsa, TimeSpan? lifetime = null, DateTimeOffset? notBefore = null)
    {
        if (dnsNames.Count == 0) throw new ArgumentException("a server certificate needs at least one name", nameof(dnsNames));
        var now = DateTimeOffset.UtcNow;
        var from = notBefore ?? now.AddMinutes(-5);
        var until = from + (lifetime ?? TimeSpan.FromDays(365));
        using var k = NewKey(key);
        var request = Request(new X500DistinguishedName($"CN={Escape(dnsNames[0])}"), k);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in dnsNames)
            if (IPAddress.TryParse(name, out var ip)) san.AddIpAddress(ip);
            else san.AddDnsName(name);
        request.CertificateExtensions.Add(san.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        var usage = X509KeyUsageFlags.DigitalSignature | (key == CertificateKeyKind.Rsa ? X509KeyUsageFlags.KeyEncipherment : 0);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
        {
            using var self = request.CreateSelfSigned(from, until);
            return Reload(self);
        }
        return Issue(request, k, issuer, from, until);
    }

    /// <summary>A client certificate (clientAuth) for <paramref name="commonName"/>, signed by <paramref name="issuer"/>.</summary>
    public static X509Certificate2 CreateClient(string commonName, X509Certificate2 issuer, CertificateKeyKind key = CertificateKeyKind.Ecdsa, TimeSpan? lifetime = null)
    {
        var now = DateTimeOffset.UtcNow;
        using var k = NewKey(key);
        var request = Request(new X500DistinguishedName($"CN={Escape(commonName)}"), k);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, false));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        return Issue(request, k, issuer, now.AddMinutes(-5), now + (lifetime ?? TimeSpan.FromDays(365)));
    }

    // Signs the request with the issuer's key (validity cut to the issuer's), a random positive serial, and the subject's key attached.
    private static X509Certificate2 Issue(CertificateRequest request, AsymmetricAlgorithm key, X509Certificate2 issuer, DateTimeOffset from, DateTimeOffset until)
    {
        if (!issuer.HasPrivateKey) throw new ArgumentException("the issuer certificate has no private key", nameof(issuer));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        if (until > issuer.NotAfter.ToUniversalTime()) until = issuer.NotAfter.ToUniversalTime();
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = Sign(request, issuer, from, until, serial);
        using var withKey = key is RSA rsa ? issued.CopyWithPrivateKey(rsa) : issued.CopyWithPrivateKey((ECDsa)key);
        return Reload(withKey);
    }

    private static X509Certificate2 Sign(CertificateRequest request, X509Certificate2 issuer, DateTimeOffset from, DateTimeOffset until, byte[] serial)
    {
        using var ecIssuer = issuer.GetECDsaPrivateKey();
        if (ecIssuer is not null)
            return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(ecIssuer), from, until, serial);
        using var rsaIssuer = issuer.GetRSAPrivateKey() ?? throw new ArgumentException("the issuer's key is neither ECDSA nor RSA", nameof(issuer));
        return request.Create(issuer.SubjectName, X509SignatureGenerator.CreateForRSA(rsaIssuer, RSASignaturePadding.Pkcs1), from, until, serial);
    }

    private static AsymmetricAlgorithm NewKey(CertificateKeyKind key)
        => key == CertificateKeyKind.Rsa ? RSA.Create(2048) : ECDsa.Create(ECCurve.NamedCurves.nistP256);

    private static CertificateRequest Request(X500DistinguishedName subject, AsymmetricAlgorithm key)
        => key is RSA rsa
            ? new CertificateRequest(subject, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest(subject, (ECDsa)key, HashAlgorithmName.SHA256);

    // A PFX round trip gives a certificate whose key is persisted with it (what X509Store.Add needs on every platform).
    private static X509Certificate2 Reload(X509Certificate2 certificate)
        => X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable);

    private static string Escape(string name) => name.Contains(',') || name.Contains('+') || name.Contains('"') ? $"\"{name.Replace("\"", "\\\"")}\"" : name;
}
