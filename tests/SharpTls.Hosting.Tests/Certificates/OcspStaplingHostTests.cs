using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Certificates;

/// <summary>OCSP responses signed by a test CA (BouncyCastle's generator; the interop tests use `openssl ocsp`).</summary>
internal static class TestOcsp
{
    public static byte[] Response(X509Certificate2 issuer, X509Certificate2 leaf, DateTimeOffset thisUpdate, DateTimeOffset nextUpdate, bool revoked = false,
        byte[]? serial = null)
    {
        var bcIssuer = new Org.BouncyCastle.X509.X509Certificate(issuer.RawData);
        using var key = issuer.GetECDsaPrivateKey()!;
        var signer = new Asn1SignatureFactory("SHA256WITHECDSA", PrivateKeyFactory.CreateKey(key.ExportPkcs8PrivateKey()));
        var id = new CertificateID(new Org.BouncyCastle.Asn1.X509.AlgorithmIdentifier(Org.BouncyCastle.Asn1.Oiw.OiwObjectIdentifiers.IdSha1, Org.BouncyCastle.Asn1.DerNull.Instance), bcIssuer, new Org.BouncyCastle.Math.BigInteger(1, serial ?? leaf.SerialNumberBytes.ToArray()));
        var generator = new BasicOcspRespGenerator(new RespID(bcIssuer.SubjectDN));
        CertificateStatus status = revoked ? new RevokedStatus(thisUpdate.UtcDateTime.AddDays(-1), 1) : CertificateStatus.Good;
        generator.AddResponse(id, status, thisUpdate.UtcDateTime, nextUpdate.UtcDateTime, null);
        var basic = generator.Generate(signer, null, thisUpdate.UtcDateTime);
        return new OCSPRespGenerator().Generate(OCSPRespGenerator.Successful, basic).GetEncoded();
    }
}

/// <summary>
/// The host's side of OCSP stapling (issue 9 item 6): the response file is checked and reloaded by
/// <see cref="OcspResponseFile"/> (the engine only takes bytes), and the bindings staple <c>&lt;THUMBPRINT&gt;.ocsp</c>
/// from the OCSP folder unless <c>disableocspstapling</c> is set.
/// </summary>
public class OcspStaplingHostTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UtcNow;

    private static (X509Certificate2 Leaf, string File) Leaf()
    {
        var leaf = CertificateFactory.CreateServer(["ocsp.contoso.test"], TestCertificates.Authority);
        return (leaf, Path.Combine(TestHome.NewDataDirectory(), "leaf.ocsp"));
    }

    [Fact]
    public void A_good_response_in_its_window_is_stapled_and_a_changed_file_is_read_again()
    {
        var (leaf, file) = Leaf();
        var clock = new TestClock(Now);
        byte[] good = TestOcsp.Response(TestCertificates.Authority, leaf, Now.AddHours(-1), Now.AddDays(1));
        File.WriteAllBytes(file, good);
        var source = new OcspResponseFile(file, leaf, clock);
        Assert.Null(source.Problem);
        Assert.Equal(good, source.Current.ToArray());
        Assert.Equal("good", source.Info!.For(leaf)!.CertificateStatus);

        // Revoked now: nothing is stapled (a changed size or time is seen at the next look).
        byte[] revoked = TestOcsp.Response(TestCertificates.Authority, leaf, Now, Now.AddDays(1), revoked: true);
        File.WriteAllBytes(file, revoked);
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        Assert.True(source.Refresh());
        Assert.True(source.Current.IsEmpty);
        Assert.StartsWith("the certificate's status is revoked", source.Problem);
        Assert.False(source.Refresh());
    }

    [Fact]
    public void Current_looks_at_the_file_at_most_once_per_interval()
    {
        var (leaf, file) = Leaf();
        var clock = new TestClock(Now);
        File.WriteAllBytes(file, TestOcsp.Response(TestCertificates.Authority, leaf, Now.AddHours(-1), Now.AddDays(1)));
        var source = new OcspResponseFile(file, leaf, clock);
        Assert.False(source.Current.IsEmpty);
        File.Delete(file);
        Assert.False(source.Current.IsEmpty);             // not looked at again yet
        clock.Now += OcspResponseFile.CheckInterval;
        Assert.True(source.Current.IsEmpty);              // looked at: gone
        Assert.EndsWith("does not exist", source.Problem);
    }

    [Fact]
    public void An_expired_or_not_yet_valid_response_is_not_stapled()
    {
        var (leaf, file) = Leaf();
        var clock = new TestClock(Now);
        File.WriteAllBytes(file, TestOcsp.Response(TestCertificates.Authority, leaf, Now.AddHours(-1), Now.AddHours(1)));
        var source = new OcspResponseFile(file, leaf, clock);
        Assert.False(source.Current.IsEmpty);
        clock.Now = Now.AddHours(2);
        Assert.True(source.Current.IsEmpty);
        Assert.StartsWith("the response expired", source.Problem);
        clock.Now = Now.AddHours(-2);
        Assert.StartsWith("the response is not valid before", source.Problem);
    }

    [Fact]
    public void A_response_for_another_serial_number_garbage_or_an_oversized_file_is_not_stapled()
    {
        var (leaf, file) = Leaf();
        File.WriteAllBytes(file, TestOcsp.Response(TestCertificates.Authority, leaf, Now.AddHours(-1), Now.AddDays(1), serial: [0x42]));
        Assert.Contains("has no status for serial number", new OcspResponseFile(file, leaf).Problem);
        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(200));
        Assert.Contains("not a DER OCSP response", new OcspResponseFile(file, leaf).Problem);
        File.WriteAllBytes(file, new byte[IOcspResponseSource.MaxResponseLength + 1]);
        var big = new OcspResponseFile(file, leaf);
        Assert.Contains($"an OCSP response is at most {IOcspResponseSource.MaxResponseLength}", big.Problem);
        Assert.True(big.Current.IsEmpty);
    }

    [Fact]
    public async Task Bindings_staple_the_thumbprints_file_unless_disableocspstapling_and_openssl_sees_it()
    {
        string data = TestHome.NewDataDirectory();
        string ocsp = Path.Combine(data, "ocsp");
        Directory.CreateDirectory(ocsp);
        using var host = BindingHost.Start(new BindingHostOptions
        {
            BindingsFile = Path.Combine(data, BindingStore.FileName),
            CentralStorePath = Path.Combine(data, "ccs"),
            OcspResponseFolder = ocsp,
        });
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        using var stapled = CertificateFactory.CreateServer(["stapled.contoso.test"], TestCertificates.Authority);
        using var plain = CertificateFactory.CreateServer(["plain.contoso.test"], TestCertificates.Authority);
        var store = new StoreCertificateSource();
        store.Add(stapled);
        store.Add(plain);
        foreach (var c in new[] { stapled, plain })
            File.WriteAllBytes(Path.Combine(ocsp, c.Thumbprint + ".ocsp"), TestOcsp.Response(TestCertificates.Authority, c, Now.AddHours(-1), Now.AddDays(1)));
        host.Store.Add(SslBinding.Parse([$"hostnameport=stapled.contoso.test:{server.Port}", $"certhash={stapled.Thumbprint}"]));
        host.Store.Add(SslBinding.Parse([$"hostnameport=plain.contoso.test:{server.Port}", $"certhash={plain.Thumbprint}", "disableocspstapling=enable"]));
        host.Reload();

        foreach (string version in new[] { "-tls1_2", "-tls1_3" })
        {
            string yes = BindingPolicyWireTests.SClient(server.Port, "stapled.contoso.test", "-status", version);
            Assert.Contains("OCSP Response Status: successful (0x0)", yes, StringComparison.Ordinal);
            Assert.Contains("Cert Status: good", yes, StringComparison.Ordinal);
            string no = BindingPolicyWireTests.SClient(server.Port, "plain.contoso.test", "-status", version);
            Assert.Contains("subject=CN = plain.contoso.test", no, StringComparison.Ordinal);
            Assert.Contains("OCSP response: no response sent", no, StringComparison.Ordinal);
        }
    }
}
