using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Certificates for in-memory handshakes, made once per test run: a trusted root with server
/// leaves of every key kind the engine signs with, a client leaf, and the bad ones the negative
/// tests need (expired, another name, issued by a root nobody trusts).
/// </summary>
internal static class UnitPki
{
    private static readonly Lazy<Made> All = new(Make);

    /// <summary>The trusted root (ECDSA P-256).</summary>
    public static X509Certificate2 Root => All.Value.Root;

    /// <summary>www.contoso.test with a P-256 key.</summary>
    public static X509Certificate2 EcdsaLeaf => All.Value.Ecdsa256;

    /// <summary>www.contoso.test with a P-384 key.</summary>
    public static X509Certificate2 Ecdsa384Leaf => All.Value.Ecdsa384;

    /// <summary>www.contoso.test with a P-521 key.</summary>
    public static X509Certificate2 Ecdsa521Leaf => All.Value.Ecdsa521;

    /// <summary>www.contoso.test with an RSA-2048 key (rsa_pss_rsae_*).</summary>
    public static X509Certificate2 RsaLeaf => All.Value.Rsa;

    /// <summary>client.contoso.test, clientAuth EKU, issued by <see cref="Root"/>.</summary>
    public static X509Certificate2 ClientLeaf => All.Value.Client;

    /// <summary>client.contoso.test with an RSA-2048 key, clientAuth EKU.</summary>
    public static X509Certificate2 RsaClientLeaf => All.Value.RsaClient;

    /// <summary>www.contoso.test whose validity ended yesterday.</summary>
    public static X509Certificate2 ExpiredLeaf => All.Value.Expired;

    /// <summary>mail.contoso.test only (no www, no localhost).</summary>
    public static X509Certificate2 OtherNameLeaf => All.Value.OtherName;

    /// <summary>A root nobody trusts.</summary>
    public static X509Certificate2 RogueRoot => All.Value.RogueRoot;

    /// <summary>www.contoso.test issued by <see cref="RogueRoot"/>.</summary>
    public static X509Certificate2 RogueLeaf => All.Value.RogueServer;

    /// <summary>A client certificate issued by <see cref="RogueRoot"/>.</summary>
    public static X509Certificate2 RogueClientLeaf => All.Value.RogueClient;

    public static X509Certificate2Collection Roots => [Root];

    /// <summary>A DSA (2048-bit) server certificate for DHE_DSS, issued by <see cref="Root"/>.</summary>
    public static X509Certificate2 DsaLeaf => All.Value.Dsa;

    /// <summary>A DSA client certificate issued by <see cref="Root"/>.</summary>
    public static X509Certificate2 DsaClientLeaf => All.Value.DsaClient;

    private sealed record Made(X509Certificate2 Root, X509Certificate2 Ecdsa256, X509Certificate2 Ecdsa384, X509Certificate2 Ecdsa521,
        X509Certificate2 Rsa, X509Certificate2 Client, X509Certificate2 RsaClient, X509Certificate2 Expired, X509Certificate2 OtherName,
        X509Certificate2 RogueRoot, X509Certificate2 RogueServer, X509Certificate2 RogueClient, X509Certificate2 Dsa, X509Certificate2 DsaClient);

    private static Made Make()
    {
        var now = DateTimeOffset.UtcNow;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var rogueKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var root = SelfSigned("CN=SharpTls Unit Test Root", rootKey, now);
        var rogue = SelfSigned("CN=SharpTls Rogue Root", rogueKey, now);

        X509Certificate2 Leaf(X509Certificate2 issuer, ECDsa issuerKey, AsymmetricAlgorithm key, string cn, bool server,
            DateTimeOffset? notAfter = null, bool extraNames = true)
        {
            var req = key switch
            {
                RSA rsa => new CertificateRequest($"CN={cn}", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                DSA dsa => new CertificateRequest(new X500DistinguishedName($"CN={cn}"), new PublicKey(dsa), HashAlgorithmName.SHA256),
                _ => new CertificateRequest($"CN={cn}", (ECDsa)key, HashAlgorithmName.SHA256),
            };
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName(cn);
            if (extraNames)
            {
                san.AddDnsName("localhost");
                san.AddIpAddress(IPAddress.Loopback);
            }
            req.CertificateExtensions.Add(san.Build());
            req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                [new Oid(server ? "1.3.6.1.5.5.7.3.1" : "1.3.6.1.5.5.7.3.2")], false));
            byte[] serial = RandomNumberGenerator.GetBytes(12);
            serial[0] &= 0x7F;
            var end = notAfter ?? now.AddYears(1);
            var cert = req.Create(issuer.SubjectName, X509SignatureGenerator.CreateForECDsa(issuerKey), end.AddDays(-30) < now ? end.AddDays(-30) : now.AddDays(-1), end, serial);
            cert = X509CertificateLoader.LoadCertificate(cert.RawData);
            return key switch
            {
                RSA r => cert.CopyWithPrivateKey(r),
                DSA d => cert.CopyWithPrivateKey(d),
                _ => cert.CopyWithPrivateKey((ECDsa)key),
            };
        }

        static ECDsa Ec(ECCurve curve) => ECDsa.Create(curve);
        const string www = "www.contoso.test";
        return new Made(root,
            Leaf(root, rootKey, Ec(ECCurve.NamedCurves.nistP256), www, true),
            Leaf(root, rootKey, Ec(ECCurve.NamedCurves.nistP384), www, true),
            Leaf(root, rootKey, Ec(ECCurve.NamedCurves.nistP521), www, true),
            Leaf(root, rootKey, RSA.Create(2048), www, true),
            Leaf(root, rootKey, Ec(ECCurve.NamedCurves.nistP256), "client.contoso.test", false),
            Leaf(root, rootKey, RSA.Create(2048), "client.contoso.test", false),
            Leaf(root, rootKey, Ec(ECCurve.NamedCurves.nistP256), www, true, notAfter: now.AddDays(-1)),
            Leaf(root, rootKey, Ec(ECCurve.NamedCurves.nistP256), "mail.contoso.test", true, extraNames: false),
            rogue,
            Leaf(rogue, rogueKey, Ec(ECCurve.NamedCurves.nistP256), www, true),
            Leaf(rogue, rogueKey, Ec(ECCurve.NamedCurves.nistP256), "client.contoso.test", false),
            Leaf(root, rootKey, DSA.Create(2048), www, true),
            Leaf(root, rootKey, DSA.Create(2048), "client.contoso.test", false));
    }

    private static X509Certificate2 SelfSigned(string subject, ECDsa key, DateTimeOffset now)
    {
        var req = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        return req.CreateSelfSigned(now.AddDays(-400), now.AddYears(5));
    }
}
