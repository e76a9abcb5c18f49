using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using CertificateRequest = System.Security.Cryptography.X509Certificates.CertificateRequest;
using SharpTls.Handshake.Tls13;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Fuzz;

/// <summary>
/// Seeds that no recorded handshake has in plaintext: a TLS 1.3 ServerHello followed by a CompressedCertificate (RFC 8879)
/// in a plaintext handshake record, one per algorithm (zlib, brotli, zstd), so the <c>dissect</c> harness starts inside
/// the dissector's certificate inflation (a real capture carries the CompressedCertificate encrypted, where the
/// dissector cannot see it). Written by <c>SharpTls.Fuzz seeds DIR</c>; the committed files are in fuzz/corpus/dissect.
/// </summary>
internal static class Seeds
{
    public static void WriteCompressedCertificates(string directory)
    {
        Directory.CreateDirectory(directory);
        byte[] body = CertificateBody();
        var serverHello = new ServerHello
        {
            Random = RandomNumberGenerator.GetBytes(32),
            SessionId = RandomNumberGenerator.GetBytes(32),
            CipherSuite = (ushort)CipherSuite.TLS_AES_128_GCM_SHA256,
            Extensions =
            [
                new SupportedVersionsExtension { Selected = ProtocolVersion.Tls13 },
                new KeyShareExtension { ServerShare = new KeyShareEntry(NamedGroup.X25519, RandomNumberGenerator.GetBytes(32)) },
            ],
        }.Encode();
        foreach (var (algorithm, name) in new[]
        {
            (CertificateCompressionAlgorithm.Zlib, "zlib"),
            (CertificateCompressionAlgorithm.Brotli, "brotli"),
            (CertificateCompressionAlgorithm.Zstd, "zstd"),
        })
        {
            byte[] compressed = CertificateCompression.Compress(algorithm, body);
            byte[] message = new CompressedCertificate { Algorithm = algorithm, UncompressedLength = body.Length, CompressedMessage = compressed }.Encode();
            string path = Path.Combine(directory, $"compressed-certificate-{name}.s2c.bin");
            File.WriteAllBytes(path, [.. Record(serverHello), .. Record(message)]);
            Console.WriteLine($"{path}: Certificate body {body.Length} bytes, {name} {compressed.Length}");
        }
    }

    /// <summary>A TLS 1.3 Certificate body: an ECDSA leaf (with a SAN) and the CA that issued it.</summary>
    private static byte[] CertificateBody()
    {
        var now = DateTimeOffset.UtcNow;
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=SharpTls Fuzz CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=fuzz.test", leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("fuzz.test");
        leafRequest.CertificateExtensions.Add(san.Build());
        using var leaf = leafRequest.Create(ca, now.AddDays(-1), now.AddYears(1), RandomNumberGenerator.GetBytes(8));
        return new CertificateMessage { RequestContext = [], Entries = [new CertificateEntry(leaf.RawData), new CertificateEntry(ca.RawData)] }.Encode()[4..];
    }

    private static byte[] Record(byte[] handshake)
        => [(byte)ContentType.Handshake, 3, 3, (byte)(handshake.Length >> 8), (byte)handshake.Length, .. handshake];
}
