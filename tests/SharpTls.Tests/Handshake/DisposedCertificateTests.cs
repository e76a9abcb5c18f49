using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// A server certificate whose X509Certificate2 was disposed signs no new handshake, although its signing key is kept
/// per certificate object (TlsSignatures.SigningKey): the handshake fails with internal_error and says why, and the kept
/// key is freed. Before the key was kept, a disposed certificate made signing throw; the cache must not hide a disposal.
/// </summary>
public class DisposedCertificateTests
{
    private static X509Certificate2 FreshEcdsaCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=www.contoso.test", key, HashAlgorithmName.SHA256);
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(30));
    }

    [Fact]
    public void A_disposed_certificate_no_longer_signs_and_its_kept_key_is_freed()
    {
        var certificate = FreshEcdsaCertificate();
        byte[] data = [1, 2, 3];
        byte[] signature = TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, certificate, data);
        var kept = (ECDsa)TlsSignatures.SigningKey(certificate, SignatureKeyKind.Ecdsa)!;
        Assert.True(kept.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

        certificate.Dispose();

        var e = Assert.Throws<CryptographicException>(() => TlsSignatures.Sign(SignatureScheme.EcdsaSecp256r1Sha256, certificate, data));
        Assert.Contains("disposed", e.Message);
        Assert.Throws<ObjectDisposedException>(() => kept.SignData(data, HashAlgorithmName.SHA256));
        Assert.Throws<CryptographicException>(() => TlsSignatures.SigningKey(certificate, SignatureKeyKind.Ecdsa));
    }

    [Fact]
    public void A_server_whose_certificate_was_disposed_fails_the_next_handshake_with_internal_error()
    {
        var certificate = FreshEcdsaCertificate();
        var server = new TlsServerOptions { Certificates = [new ServerCertificate(certificate)], KeyLog = null };
        var listener = TlsServerListener.FromOptions(server);
        TlsClientOptions Client() => new() { TargetHost = "www.contoso.test", SkipCertificateVerification = true, KeyLog = null };

        using (var first = new InMemoryPair(listener, Client()))
            first.Handshake();

        certificate.Dispose();

        using var second = new InMemoryPair(listener, Client());
        second.Pump();
        Assert.Equal(TlsStatus.Failed, second.Server.Status);
        Assert.Equal(AlertDescription.InternalError, second.Server.Failure!.Alert);
        Assert.Contains("disposed", second.Server.Failure.Reason);
        Assert.Equal(TlsStatus.Failed, second.Client.Status);
    }
}
