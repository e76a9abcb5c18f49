using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Ocsp;
using Org.BouncyCastle.Security;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Tests.Bindings;
using SharpTls.Hosting.Tests.Demo;

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

    [Fact]
    public void Each_change_of_what_is_stapled_is_reported_once_including_a_response_going_stale()
    {
        var (leaf, file) = Leaf();
        var clock = new TestClock(Now);
        var log = new RecordingDiagnostics();
        var events = log.Events;
        string name = Path.GetFileName(file);
        var source = new OcspResponseFile(file, leaf, clock, logger: null, log);
        Assert.Empty(events); // no file: the usual case of a certificate without stapling, no event

        File.WriteAllBytes(file, RandomNumberGenerator.GetBytes(200));
        Assert.True(source.Refresh());
        Assert.False(source.Refresh());
        Assert.Contains("not a DER OCSP response", Assert.Single(events), StringComparison.Ordinal);

        File.WriteAllBytes(file, TestOcsp.Response(TestCertificates.Authority, leaf, Now.AddHours(-1), Now.AddHours(1)));
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(1));
        Assert.True(source.Refresh());
        Assert.False(source.Current.IsEmpty);
        Assert.Equal($"Ocsp {name} stapled", events.Last());
        Assert.Equal(2, events.Count);

        // The same file goes stale: noticed at the next look when a client asks for a staple, reported once.
        clock.Now = Now.AddHours(2);
        Assert.True(source.Current.IsEmpty);
        clock.Now += OcspResponseFile.CheckInterval;
        Assert.True(source.Current.IsEmpty);
        Assert.StartsWith($"Ocsp {name} the response expired at", events.Last(), StringComparison.Ordinal);
        Assert.Equal(3, events.Count);

        File.Delete(file); // a file that was there going away is a change too
        Assert.True(source.Refresh());
        Assert.EndsWith("does not exist", events.Last(), StringComparison.Ordinal);
        Assert.Equal(4, events.Count);
    }

    [Fact]
    public void A_binding_host_reports_a_bad_response_file_once_and_not_again_at_each_table_swap()
    {
        string data = TestHome.NewDataDirectory();
        string ocsp = Path.Combine(data, "ocsp");
        Directory.CreateDirectory(ocsp);
        var log = new RecordingDiagnostics();
        using var host = BindingHost.Start(new BindingHostOptions
        {
            BindingsFile = Path.Combine(data, BindingStore.FileName),
            CentralStorePath = Path.Combine(data, "ccs"),
            OcspResponseFolder = ocsp,
            Diagnostics = log,
        });
        using var leaf = CertificateFactory.CreateServer(["bad-ocsp.contoso.test"], TestCertificates.Authority);
        new StoreCertificateSource().Add(leaf);
        File.WriteAllBytes(Path.Combine(ocsp, leaf.Thumbprint + ".ocsp"), TestOcsp.Response(TestCertificates.Authority, leaf, Now.AddDays(-3), Now.AddDays(-2)));
        host.Store.Add(SslBinding.Parse(["hostnameport=bad-ocsp.contoso.test:8443", $"certhash={leaf.Thumbprint}"]));
        host.Reload();
        host.Store.Add(SslBinding.Parse(["hostnameport=other.contoso.test:8443", $"certhash={leaf.Thumbprint}"]));
        host.Reload();
        host.Reload();
        var reported = log.Events.Where(e => e.StartsWith("Ocsp ", StringComparison.Ordinal)).ToList();
        Assert.Contains($"Ocsp {leaf.Thumbprint}.ocsp the response expired at", Assert.Single(reported), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_reports_a_stale_response_file_as_36906_and_staples_a_fresh_one_with_36907_as_openssl_sees()
    {
        await using var serve = await DemoServe.StartAsync();
        string hash = serve.Store.Load().Single(b => b.Key == serve.Key("www.contoso.test")).CertificateHash!;
        string file = Path.Combine(serve.Data, "ocsp", hash + ".ocsp");
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        using var ca = X509CertificateLoader.LoadPkcs12FromFile(serve.CaPfx, null, X509KeyStorageFlags.Exportable);
        using var leaf = new StoreCertificateSource().Find(hash)!;
        Task<PeerResult> StatusAsync() => Peer.RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{serve.Port}", "-servername", "www.contoso.test",
            "-status", "-CAfile", serve.Ca], TimeSpan.FromSeconds(20), stdin: "");

        File.WriteAllBytes(file, TestOcsp.Response(ca, leaf, Now.AddDays(-3), Now.AddDays(-2))); // stale: its nextUpdate has passed
        var until = DateTime.UtcNow.AddSeconds(20);
        while (!serve.Output.Contains("SharpTls.Hosting.Bindings[36906]") && DateTime.UtcNow < until)
        {
            Assert.Contains("OCSP response: no response sent", (await StatusAsync()).Stdout);
            await Task.Delay(300); // the file is looked at once a second, when a client asks for a staple
        }
        await serve.WaitForOutputAsync("SharpTls.Hosting.Bindings[36906]");
        Assert.Contains($"OCSP stapling for CN=www.contoso.test ({hash}): nothing is stapled: the response expired at", serve.Output);

        File.WriteAllBytes(file, TestOcsp.Response(ca, leaf, Now.AddHours(-1), Now.AddDays(1)));
        var stapled = await StatusAsync();
        for (until = DateTime.UtcNow.AddSeconds(20); !stapled.Stdout.Contains("Cert Status: good") && DateTime.UtcNow < until; stapled = await StatusAsync())
            await Task.Delay(300);
        Assert.True(stapled.Stdout.Contains("Cert Status: good"), $"{stapled}\n{serve.Output}");
        await serve.WaitForOutputAsync("SharpTls.Hosting.Bindings[36907]");
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(serve.Output, @"\[36906\]"));
    }
}
