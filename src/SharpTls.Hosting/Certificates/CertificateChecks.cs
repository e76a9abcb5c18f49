using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Hosting.Certificates;

/// <summary>A certificate cannot serve a binding: expired, not yet valid, no private key, or a key that cannot sign.</summary>
public sealed class CertificateUnusableException(string thumbprint, string message) : Exception(message)
{
    /// <summary>The SHA-1 thumbprint of the certificate (or the one that was looked for).</summary>
    public string Thumbprint { get; } = thumbprint;
}

/// <summary>The checks made once when a certificate is bound (and again, cheaply, when it is met at handshake time).</summary>
public static class CertificateChecks
{
    /// <summary>Why <paramref name="certificate"/> cannot serve TLS at <paramref name="now"/>, or null when it can.</summary>
    public static string? Problem(X509Certificate2 certificate, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        if (ValidityProblem(certificate, now) is { } validity) return validity;
        if (!certificate.HasPrivateKey) return $"the certificate {certificate.Thumbprint} ({certificate.Subject}) has no private key";
        foreach (var ext in certificate.Extensions)
            if (ext is X509KeyUsageExtension ku && (ku.KeyUsages & X509KeyUsageFlags.DigitalSignature) == 0)
                return $"the certificate {certificate.Thumbprint} ({certificate.Subject}) has a key usage without digitalSignature: its key may not sign handshakes";
        return SignProblem(certificate);
    }

    /// <summary>Why <paramref name="certificate"/> is outside its validity period at <paramref name="now"/>, or null.</summary>
    public static string? ValidityProblem(X509Certificate2 certificate, DateTimeOffset now)
    {
        if (now < certificate.NotBefore.ToUniversalTime())
            return $"the certificate {certificate.Thumbprint} ({certificate.Subject}) is not valid before {certificate.NotBefore.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC";
        if (now > certificate.NotAfter.ToUniversalTime())
            return $"the certificate {certificate.Thumbprint} ({certificate.Subject}) expired on {certificate.NotAfter.ToUniversalTime():yyyy-MM-dd HH:mm:ss} UTC";
        return null;
    }

    /// <summary>A short name of the key: <c>ECDSA P-256</c>, <c>RSA 2048</c>, <c>Ed25519</c>.</summary>
    public static string KeyType(X509Certificate2 certificate)
    {
        using (var ec = certificate.GetECDsaPublicKey())
            if (ec is not null)
                return "ECDSA " + (ec.ExportParameters(false).Curve.Oid.FriendlyName switch
                {
                    "nistP256" or "ECDSA_P256" => "P-256",
                    "nistP384" or "ECDSA_P384" => "P-384",
                    "nistP521" or "ECDSA_P521" => "P-521",
                    { } other => other,
                    null => "curve " + ec.ExportParameters(false).Curve.Oid.Value,
                });
        using (var rsa = certificate.GetRSAPublicKey())
            if (rsa is not null)
                return $"RSA {rsa.KeySize}";
        return certificate.PublicKey.Oid.Value switch
        {
            "1.3.101.112" => "Ed25519",
            "1.3.101.113" => "Ed448",
            { } oid => certificate.PublicKey.Oid.FriendlyName ?? oid,
            _ => "unknown",
        };
    }

    /// <summary>The DNS names of the subject alternative name extension (none when it is absent).</summary>
    public static IReadOnlyList<string> DnsNames(X509Certificate2 certificate)
    {
        foreach (var ext in certificate.Extensions)
            if (ext is X509SubjectAlternativeNameExtension san)
                return [.. san.EnumerateDnsNames()];
        return [];
    }

    private static readonly byte[] Probe = "SharpTls bind-time signing check"u8.ToArray();

    // Signs a probe with the private key and verifies it: a key that cannot sign fails here, at bind time,
    // and not in the middle of a handshake.
    private static string? SignProblem(X509Certificate2 certificate)
    {
        try
        {
            using (var ec = certificate.GetECDsaPrivateKey())
                if (ec is not null)
                {
                    byte[] sig = ec.SignData(Probe, HashAlgorithmName.SHA256);
                    using var pub = certificate.GetECDsaPublicKey()!;
                    return pub.VerifyData(Probe, sig, HashAlgorithmName.SHA256) ? null : $"the certificate {certificate.Thumbprint}: its private key does not match its public key";
                }
            using (var rsa = certificate.GetRSAPrivateKey())
                if (rsa is not null)
                {
                    byte[] sig = rsa.SignData(Probe, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
                    using var pub = certificate.GetRSAPublicKey()!;
                    return pub.VerifyData(Probe, sig, HashAlgorithmName.SHA256, RSASignaturePadding.Pss) ? null : $"the certificate {certificate.Thumbprint}: its private key does not match its public key";
                }
        }
        catch (CryptographicException e)
        {
            return $"the certificate {certificate.Thumbprint} ({certificate.Subject}): its private key cannot sign ({e.Message})";
        }
        return $"the certificate {certificate.Thumbprint} ({certificate.Subject}) has a {KeyType(certificate)} key, which SharpTls cannot sign with from a certificate store";
    }

    /// <summary>Whether the extended key usage allows client authentication (no EKU extension: any use).</summary>
    public static bool AllowsClientAuthentication(X509Certificate2 certificate)
    {
        foreach (var ext in certificate.Extensions)
            if (ext is X509EnhancedKeyUsageExtension eku)
                return eku.EnhancedKeyUsages.Cast<Oid>().Any(o => o.Value is "1.3.6.1.5.5.7.3.2" or "2.5.29.37.0");
        return true;
    }
}
