using System.CommandLine;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace SharpTls.Cli.Commands;

/// <summary>
/// <c>sharptls serve</c>: the HTTPS host with its embedded demo configuration, which needs no
/// files: a demo CA and two server certificates (ECDSA P-256 and RSA-2048, chosen per client by
/// signature_algorithms) for localhost and *.contoso.test are made in memory at start. Each
/// request is answered with the report of its handshake. The HTTP.sys-style binding table
/// (IP+port, hostname+port, central certificate store) will replace the single demo binding.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "TCP port", DefaultValueFactory = _ => 8443 };
        var address = new Option<string>("--address") { Description = "IP address to bind", DefaultValueFactory = _ => "127.0.0.1" };
        var cmd = new Command("serve", "run the HTTPS host with the embedded demo configuration (no files needed)") { port, address };
        cmd.SetAction(async (parse, ct) =>
        {
            var (caPem, certificates) = DemoCertificates();
            string caPath = Path.Combine(Path.GetTempPath(), "sharptls-demo-ca.pem");
            await File.WriteAllTextAsync(caPath, caPem, ct);
            int p = parse.GetValue(port);
            var options = new TlsServerOptions
            {
                Certificates = certificates,
                ApplicationProtocols = ["http/1.1"],
                Logger = ConsoleEvents.CreateLogger("serve"),
                Name = $"demo {parse.GetValue(address)}:{p}",
            };
            Console.Error.WriteLine($"sharptls serve: demo configuration, certificates for localhost and *.contoso.test (ECDSA P-256 and RSA-2048)");
            Console.Error.WriteLine($"  the demo CA is in {caPath}; try: curl --cacert {caPath} https://localhost:{p}/");
            return await ListenCommand.RunAsync(IPAddress.Parse(parse.GetValue(address)!), p, options, echo: false, ct);
        });
        return cmd;
    }

    /// <summary>A demo CA and its ECDSA and RSA leaves, made fresh in memory.</summary>
    internal static (string CaPem, List<ServerCertificate> Certificates) DemoCertificates()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=SharpTls Demo CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using var ca = caRequest.CreateSelfSigned(now.AddMinutes(-5), now.AddDays(30));

        ServerCertificate Leaf(AsymmetricAlgorithm key)
        {
            var request = key is RSA rsa
                ? new CertificateRequest("CN=localhost", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
                : new CertificateRequest("CN=localhost", (ECDsa)key, HashAlgorithmName.SHA256);
            var san = new SubjectAlternativeNameBuilder();
            san.AddDnsName("localhost");
            san.AddDnsName("*.contoso.test");
            san.AddIpAddress(IPAddress.Loopback);
            request.CertificateExtensions.Add(san.Build());
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
            byte[] serial = RandomNumberGenerator.GetBytes(12);
            serial[0] &= 0x7F;
            using var cert = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), now.AddDays(30), serial);
            var withKey = key is RSA r ? cert.CopyWithPrivateKey(r) : cert.CopyWithPrivateKey((ECDsa)key);
            return new ServerCertificate(withKey);
        }

        return (ca.ExportCertificatePem() + "\n", [Leaf(ECDsa.Create(ECCurve.NamedCurves.nistP256)), Leaf(RSA.Create(2048))]);
    }
}
