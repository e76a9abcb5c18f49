using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>One certificate of the test PKI: files on disk (PEM, PFX) and the loaded object.</summary>
public sealed class TestCertificate
{
    internal TestCertificate(string name, string keyAlgorithm, X509Certificate2 certificate, X509Certificate2Collection chain,
        string certPath, string keyPath, string chainPath, string fullChainPath, string? pfxPath)
    {
        Name = name;
        KeyAlgorithm = keyAlgorithm;
        Certificate = certificate;
        Chain = chain;
        CertPath = certPath;
        KeyPath = keyPath;
        ChainPath = chainPath;
        FullChainPath = fullChainPath;
        PfxPath = pfxPath;
    }

    /// <summary>Short name, also the file stem ("server-ecdsa").</summary>
    public string Name { get; }

    /// <summary>"ECDSA-P256", "RSA-2048", "RSA-PSS-2048", "Ed25519", "Ed448".</summary>
    public string KeyAlgorithm { get; }

    /// <summary>The leaf. Has its private key when the BCL supports the key type (not Ed25519/Ed448/RSA-PSS keys).</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediates between the leaf and the root (not the root).</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>Leaf certificate, PEM.</summary>
    public string CertPath { get; }

    /// <summary>Private key, unencrypted PKCS#8 PEM.</summary>
    public string KeyPath { get; }

    /// <summary>Intermediates only, PEM (openssl -cert_chain).</summary>
    public string ChainPath { get; }

    /// <summary>Leaf followed by intermediates, PEM (gnutls --x509certfile, nginx).</summary>
    public string FullChainPath { get; }

    /// <summary>PKCS#12 with key, leaf and intermediates, password <see cref="TestPki.PfxPassword"/>; null for key types the BCL cannot export.</summary>
    public string? PfxPath { get; }

    /// <summary>Subject common name.</summary>
    public string CommonName => Certificate.GetNameInfo(X509NameType.SimpleName, false);

    /// <summary>SHA-1 thumbprint (the HTTP.sys certhash).</summary>
    public string Thumbprint => Certificate.Thumbprint;

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({KeyAlgorithm}, {Certificate.Subject})";
}

/// <summary>
/// The test PKI, generated once per test run into a temporary directory: a root CA and an intermediate,
/// server leaves (ECDSA P-256, RSA-2048, RSA-PSS, Ed25519, Ed448) for localhost, www.contoso.test,
/// *.contoso.test and 127.0.0.1, an expired one, one for other.example, one from an untrusted root,
/// and client certificates (clientAuth EKU). Use <see cref="Shared"/>.
/// </summary>
public sealed class TestPki
{
    private static readonly Lazy<TestPki> SharedInstance = new(() => new TestPki(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>Password of every PFX file.</summary>
    public const string PfxPassword = "sharptls";

    /// <summary>DNS names in every server leaf (besides IP 127.0.0.1).</summary>
    public static readonly IReadOnlyList<string> ServerDnsNames = ["localhost", "www.contoso.test", "*.contoso.test"];

    /// <summary>The PKI of this test run (generated on first use).</summary>
    public static TestPki Shared => SharedInstance.Value;

    private readonly DateTimeOffset _now = DateTimeOffset.UtcNow;

    private TestPki()
    {
        SharpTls.TestSupport.StaleTestDirectories.Sweep("sharptls-pki");
        Directory = Path.Combine(Path.GetTempPath(), $"sharptls-pki-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        System.IO.Directory.CreateDirectory(Directory);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };

        using var rootKey = RSA.Create(2048);
        Root = CreateCa("SharpTls Test Root CA", rootKey, issuer: null, issuerKey: null, pathLength: 1);
        RootCaPath = WritePem("root-ca.crt.pem", Root);

        using var intermediateKey = RSA.Create(2048);
        Intermediate = CreateCa("SharpTls Test Intermediate CA", intermediateKey, Root, rootKey, pathLength: 0);
        IntermediateCaPath = WritePem("intermediate-ca.crt.pem", Intermediate);
        WriteText("intermediate-ca.key.pem", intermediateKey.ExportPkcs8PrivateKeyPem());
        CaBundlePath = WriteText("ca-bundle.pem", Pem(Root) + Pem(Intermediate));
        var chain = new X509Certificate2Collection { Intermediate };

        var serverNames = ServerSan();
        ServerEcdsa = IssueBcl("server-ecdsa", ECDsa.Create(ECCurve.NamedCurves.nistP256), "localhost", serverNames, ServerAuth, Intermediate, intermediateKey, chain);
        ServerRsa = IssueBcl("server-rsa", RSA.Create(2048), "localhost", serverNames, ServerAuth, Intermediate, intermediateKey, chain);
        ServerExpired = IssueBcl("server-expired", ECDsa.Create(ECCurve.NamedCurves.nistP256), "localhost", serverNames, ServerAuth, Intermediate, intermediateKey, chain,
            notBefore: _now.AddDays(-60), notAfter: _now.AddDays(-30));
        ServerOtherName = IssueBcl("server-other-name", ECDsa.Create(ECCurve.NamedCurves.nistP256), "other.example", San("other.example"), ServerAuth, Intermediate, intermediateKey, chain);

        using var untrustedRootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        UntrustedRoot = CreateCa("SharpTls Untrusted Root CA", untrustedRootKey, issuer: null, issuerKey: null, pathLength: 0);
        UntrustedRootCaPath = WritePem("untrusted-root-ca.crt.pem", UntrustedRoot);
        ServerUntrusted = IssueBcl("server-untrusted", ECDsa.Create(ECCurve.NamedCurves.nistP256), "localhost", serverNames, ServerAuth, UntrustedRoot, untrustedRootKey, []);

        ClientEcdsa = IssueBcl("client-ecdsa", ECDsa.Create(ECCurve.NamedCurves.nistP256), "SharpTls Test Client ECDSA", null, ClientAuth, Intermediate, intermediateKey, chain);
        ClientRsa = IssueBcl("client-rsa", RSA.Create(2048), "SharpTls Test Client RSA", null, ClientAuth, Intermediate, intermediateKey, chain);
        ServerDsa = IssueBcl("server-dsa", DSA.Create(2048), "localhost", serverNames, ServerAuth, Intermediate, intermediateKey, chain);

        ServerRsaPss = IssueOpenSsl("server-rsa-pss", "RSA-PSS-2048", ["-algorithm", "RSA-PSS", "-pkeyopt", "rsa_keygen_bits:2048"], serverNames, Intermediate, intermediateKey, chain);
        ServerEd25519 = IssueOpenSsl("server-ed25519", "Ed25519", ["-algorithm", "ed25519"], serverNames, Intermediate, intermediateKey, chain);
        ServerEd448 = IssueOpenSsl("server-ed448", "Ed448", ["-algorithm", "ed448"], serverNames, Intermediate, intermediateKey, chain);
    }

    /// <summary>The temporary directory holding every file.</summary>
    public string Directory { get; }

    /// <summary>Root CA (trust anchor of everything except <see cref="ServerUntrusted"/>).</summary>
    public X509Certificate2 Root { get; }

    /// <summary>Root CA certificate, PEM: the -CAfile / --cacert of clients.</summary>
    public string RootCaPath { get; }

    /// <summary>Intermediate CA that issued the leaves.</summary>
    public X509Certificate2 Intermediate { get; }

    /// <summary>Intermediate CA certificate, PEM.</summary>
    public string IntermediateCaPath { get; }

    /// <summary>Root and intermediate, PEM.</summary>
    public string CaBundlePath { get; }

    /// <summary>A root nobody trusts.</summary>
    public X509Certificate2 UntrustedRoot { get; }

    /// <summary>The untrusted root, PEM.</summary>
    public string UntrustedRootCaPath { get; }

    /// <summary>ECDSA P-256 server leaf (localhost, www.contoso.test, *.contoso.test, 127.0.0.1).</summary>
    public TestCertificate ServerEcdsa { get; }

    /// <summary>RSA-2048 server leaf (same names; keyEncipherment too, for RSA key exchange).</summary>
    public TestCertificate ServerRsa { get; }

    /// <summary>Server leaf with an id-RSASSA-PSS key (rsa_pss_pss_* schemes); made with openssl, no BCL private key.</summary>
    public TestCertificate ServerRsaPss { get; }

    /// <summary>Ed25519 server leaf; made with openssl, no BCL private key.</summary>
    public TestCertificate ServerEd25519 { get; }

    /// <summary>Ed448 server leaf; made with openssl, no BCL private key.</summary>
    public TestCertificate ServerEd448 { get; }

    /// <summary>DSA-2048 server leaf (the usual names) for DHE_DSS, which only the legacy switches enable. Not in <see cref="All"/>.</summary>
    public TestCertificate ServerDsa { get; }

    /// <summary>ECDSA server leaf for the usual names that expired 30 days ago.</summary>
    public TestCertificate ServerExpired { get; }

    /// <summary>ECDSA server leaf for other.example only.</summary>
    public TestCertificate ServerOtherName { get; }

    /// <summary>ECDSA server leaf for the usual names, issued by <see cref="UntrustedRoot"/>.</summary>
    public TestCertificate ServerUntrusted { get; }

    /// <summary>ECDSA P-256 client certificate (clientAuth) from the intermediate.</summary>
    public TestCertificate ClientEcdsa { get; }

    /// <summary>RSA-2048 client certificate (clientAuth) from the intermediate.</summary>
    public TestCertificate ClientRsa { get; }

    /// <summary>Every leaf, for theories.</summary>
    public IEnumerable<TestCertificate> All =>
        [ServerEcdsa, ServerRsa, ServerRsaPss, ServerEd25519, ServerEd448, ServerExpired, ServerOtherName, ServerUntrusted, ClientEcdsa, ClientRsa];

    /// <summary>A leaf by <see cref="TestCertificate.Name"/>.</summary>
    public TestCertificate this[string name] => All.Single(c => c.Name == name);

    /// <summary>A chain policy that trusts only this PKI's root (for SslStream / X509Chain).</summary>
    public X509ChainPolicy TrustRootPolicy()
    {
        var policy = new X509ChainPolicy
        {
            TrustMode = X509ChainTrustMode.CustomRootTrust,
            RevocationMode = X509RevocationMode.NoCheck,
        };
        policy.CustomTrustStore.Add(Root);
        policy.ExtraStore.Add(Intermediate);
        return policy;
    }

    private static readonly Oid ServerAuth = new("1.3.6.1.5.5.7.3.1", "Server Authentication");
    private static readonly Oid ClientAuth = new("1.3.6.1.5.5.7.3.2", "Client Authentication");

    private static SubjectAlternativeNameBuilder ServerSan()
    {
        var san = new SubjectAlternativeNameBuilder();
        foreach (string name in ServerDnsNames)
            san.AddDnsName(name);
        san.AddIpAddress(IPAddress.Loopback);
        return san;
    }

    private static SubjectAlternativeNameBuilder San(string dns)
    {
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dns);
        return san;
    }

    private static byte[] Serial()
    {
        byte[] serial = RandomNumberGenerator.GetBytes(12);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive, no leading zero
        return serial;
    }

    private X509Certificate2 CreateCa(string cn, AsymmetricAlgorithm key, X509Certificate2? issuer, AsymmetricAlgorithm? issuerKey, int pathLength)
    {
        var dn = new X500DistinguishedName($"CN={cn}, O=SharpTls Tests");
        var request = key switch
        {
            RSA rsa => new CertificateRequest(dn, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            ECDsa ec => new CertificateRequest(dn, ec, HashAlgorithmName.SHA256),
            _ => throw new NotSupportedException(key.GetType().Name),
        };
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, pathLength, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (issuer is null)
            return request.CreateSelfSigned(_now.AddYears(-10), _now.AddYears(10));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = request.Create(issuer.SubjectName, Generator(issuerKey!), _now.AddYears(-5), _now.AddYears(5), Serial());
        return X509CertificateLoader.LoadCertificate(cert.RawData);
    }

    private static X509SignatureGenerator Generator(AsymmetricAlgorithm issuerKey) => issuerKey switch
    {
        RSA rsa => X509SignatureGenerator.CreateForRSA(rsa, RSASignaturePadding.Pkcs1),
        ECDsa ec => X509SignatureGenerator.CreateForECDsa(ec),
        _ => throw new NotSupportedException(issuerKey.GetType().Name),
    };

    private CertificateRequest LeafRequest(string cn, PublicKey publicKey, SubjectAlternativeNameBuilder? san, Oid eku, X509KeyUsageFlags usage)
    {
        var request = new CertificateRequest(new X500DistinguishedName($"CN={cn}, O=SharpTls Tests"), publicKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(usage, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([eku], false));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        if (san is not null)
            request.CertificateExtensions.Add(san.Build());
        return request;
    }

    private TestCertificate IssueBcl(string name, AsymmetricAlgorithm key, string cn, SubjectAlternativeNameBuilder? san, Oid eku,
        X509Certificate2 issuer, AsymmetricAlgorithm issuerKey, X509Certificate2Collection chain,
        DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using (key)
        {
            bool isRsa = key is RSA;
            var usage = X509KeyUsageFlags.DigitalSignature | (isRsa ? X509KeyUsageFlags.KeyEncipherment : key is DSA ? 0 : X509KeyUsageFlags.KeyAgreement);
            var publicKey = key switch
            {
                RSA rsa => new PublicKey(rsa),
                ECDsa ec => new PublicKey(ec),
                DSA dsa => new PublicKey(dsa),
                _ => throw new NotSupportedException(key.GetType().Name),
            };
            var request = LeafRequest(cn, publicKey, san, eku, usage);
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
            using var unkeyed = request.Create(issuer.SubjectName, Generator(issuerKey),
                notBefore ?? _now.AddDays(-1), notAfter ?? _now.AddYears(2), Serial());
            using var keyed = key switch
            {
                RSA rsa => unkeyed.CopyWithPrivateKey(rsa),
                ECDsa ec => unkeyed.CopyWithPrivateKey(ec),
                DSA dsa => unkeyed.CopyWithPrivateKey(dsa),
                _ => throw new NotSupportedException(),
            };
            var pfxCollection = new X509Certificate2Collection(keyed);
            pfxCollection.AddRange(chain);
            byte[] pfx = pfxCollection.Export(X509ContentType.Pkcs12, PfxPassword)!;
            string pfxPath = Path.Combine(Directory, name + ".pfx");
            File.WriteAllBytes(pfxPath, pfx);
            // Re-import so the private key is a persisted, fully usable one (SslStream on every platform).
            var loaded = X509CertificateLoader.LoadPkcs12(pfx, PfxPassword, X509KeyStorageFlags.Exportable);
            string keyPem = key.ExportPkcs8PrivateKeyPem();
            return Files(name, isRsa ? "RSA-2048" : key is DSA ? "DSA-2048" : "ECDSA-P256", loaded, chain, keyPem, pfxPath);
        }
    }

    private TestCertificate IssueOpenSsl(string name, string algorithm, string[] genpkeyArgs, SubjectAlternativeNameBuilder san,
        X509Certificate2 issuer, AsymmetricAlgorithm issuerKey, X509Certificate2Collection chain)
    {
        string keyPath = Path.Combine(Directory, name + ".key.pem");
        RunOpenSsl(["genpkey", .. genpkeyArgs, "-out", keyPath]);
        string spkiPem = RunOpenSsl(["pkey", "-in", keyPath, "-pubout"]);
        var fields = PemEncoding.Find(spkiPem);
        var publicKey = PublicKey.CreateFromSubjectPublicKeyInfo(Convert.FromBase64String(spkiPem[fields.Base64Data]), out _);
        var request = LeafRequest("localhost", publicKey, san, ServerAuth, X509KeyUsageFlags.DigitalSignature);
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(issuer, true, false));
        using var cert = request.Create(issuer.SubjectName, Generator(issuerKey), _now.AddDays(-1), _now.AddYears(2), Serial());
        return Files(name, algorithm, X509CertificateLoader.LoadCertificate(cert.RawData), chain, File.ReadAllText(keyPath), pfxPath: null);
    }

    private static string RunOpenSsl(string[] args)
    {
        using var p = PeerProcess.Start("openssl", args, new PeerProcessOptions { DisplayName = "openssl " + args[0], Unbuffered = false });
        int code = p.WaitForExitAsync(TimeSpan.FromSeconds(30)).GetAwaiter().GetResult();
        if (code != 0)
            throw p.Failure("failed while generating the test PKI");
        return p.StandardOutput;
    }

    private TestCertificate Files(string name, string algorithm, X509Certificate2 cert, X509Certificate2Collection chain, string keyPem, string? pfxPath)
    {
        string chainPem = string.Concat(chain.Select(Pem));
        return new TestCertificate(name, algorithm, cert, chain,
            certPath: WritePem(name + ".crt.pem", cert),
            keyPath: WriteText(name + ".key.pem", keyPem),
            chainPath: WriteText(name + ".chain.pem", chainPem),
            fullChainPath: WriteText(name + ".fullchain.pem", Pem(cert) + chainPem),
            pfxPath: pfxPath);
    }

    private static string Pem(X509Certificate2 cert) => cert.ExportCertificatePem() + "\n";

    private string WritePem(string file, X509Certificate2 cert) => WriteText(file, Pem(cert));

    private string WriteText(string file, string text)
    {
        string path = Path.Combine(Directory, file);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }
}
