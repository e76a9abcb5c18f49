using System.Security.Cryptography.X509Certificates;
using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Harness;

/// <summary>The generated PKI is what the interop tests assume it is.</summary>
[Trait("Category", "PeerHarness")] // never touches SharpTls: counted apart from the interop tests (scripts/test.sh)
public class TestPkiTests
{
    private static readonly TestPki Pki = TestPki.Shared;

    [Fact]
    public void EveryFileExists_AndBclLeavesHavePrivateKeysAndPfx()
    {
        foreach (var c in Pki.All)
        {
            Assert.True(File.Exists(c.CertPath), c.Name);
            Assert.True(File.Exists(c.KeyPath), c.Name);
            Assert.True(File.Exists(c.FullChainPath), c.Name);
            Assert.Contains("-----BEGIN PRIVATE KEY-----", File.ReadAllText(c.KeyPath));
        }
        foreach (var c in new[] { Pki.ServerEcdsa, Pki.ServerRsa, Pki.ServerExpired, Pki.ServerOtherName, Pki.ServerUntrusted, Pki.ClientEcdsa, Pki.ClientRsa })
        {
            Assert.True(c.Certificate.HasPrivateKey, c.Name);
            var fromPfx = X509CertificateLoader.LoadPkcs12FromFile(c.PfxPath!, TestPki.PfxPassword);
            Assert.True(fromPfx.HasPrivateKey);
            Assert.Equal(c.Thumbprint, fromPfx.Thumbprint);
            using var fromPem = X509Certificate2.CreateFromPemFile(c.CertPath, c.KeyPath);
            Assert.True(fromPem.HasPrivateKey);
        }
    }

    [Theory]
    [InlineData("server-ecdsa", "1.2.840.10045.2.1")]
    [InlineData("server-rsa", "1.2.840.113549.1.1.1")]
    [InlineData("server-rsa-pss", "1.2.840.113549.1.1.10")]
    [InlineData("server-ed25519", "1.3.101.112")]
    [InlineData("server-ed448", "1.3.101.113")]
    public void ServerLeaves_ChainToTheRoot_WithTheRightKeyType_AndNames(string name, string keyOid)
    {
        var c = Pki[name];
        Assert.Equal(keyOid, c.Certificate.PublicKey.Oid.Value);
        using var chain = new X509Chain { ChainPolicy = Pki.TrustRootPolicy() };
        Assert.True(chain.Build(c.Certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
        Assert.Equal(3, chain.ChainElements.Count);
        Assert.True(c.Certificate.MatchesHostname("localhost"));
        Assert.True(c.Certificate.MatchesHostname("www.contoso.test"));
        Assert.True(c.Certificate.MatchesHostname("api.contoso.test"));
        Assert.True(c.Certificate.MatchesHostname("127.0.0.1"));
        Assert.False(c.Certificate.MatchesHostname("other.example"));
    }

    [Fact]
    public void NegativeCertificates_FailForTheirOwnReason()
    {
        using var expired = new X509Chain { ChainPolicy = Pki.TrustRootPolicy() };
        Assert.False(expired.Build(Pki.ServerExpired.Certificate));
        Assert.Contains(expired.ChainStatus, s => s.Status == X509ChainStatusFlags.NotTimeValid);

        using var untrusted = new X509Chain { ChainPolicy = Pki.TrustRootPolicy() };
        Assert.False(untrusted.Build(Pki.ServerUntrusted.Certificate));

        Assert.True(Pki.ServerOtherName.Certificate.MatchesHostname("other.example"));
        Assert.False(Pki.ServerOtherName.Certificate.MatchesHostname("localhost"));

        var eku = Pki.ClientEcdsa.Certificate.Extensions.OfType<X509EnhancedKeyUsageExtension>().Single();
        Assert.Equal("1.3.6.1.5.5.7.3.2", Assert.Single(eku.EnhancedKeyUsages.Cast<System.Security.Cryptography.Oid>()).Value);
    }
}

/// <summary>Folders earlier runs left in the temporary folder go when their process has ended, and only then.</summary>
[Trait("Category", "PeerHarness")] // never touches SharpTls
public class StaleTestDirectoriesTests
{
    [Fact]
    public void A_finished_runs_folder_is_removed_and_a_running_ones_is_kept()
    {
        // A process that has surely ended: one started and waited for here.
        using var ended = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("true") { UseShellExecute = false })!;
        ended.WaitForExit();
        string prefix = "sharptls-sweeptest-" + Guid.NewGuid().ToString("N")[..8];
        string stale = Path.Combine(Path.GetTempPath(), $"{prefix}-{ended.Id}-a");
        string live = Path.Combine(Path.GetTempPath(), $"{prefix}-{Environment.ProcessId}-b");
        string parent = Path.Combine(Path.GetTempPath(), $"{prefix}-1-c"); // init: always running
        foreach (string d in new[] { stale, live, parent })
            File.WriteAllText(Path.Combine(Directory.CreateDirectory(d).FullName, "key.pem"), "x");
        try
        {
            SharpTls.TestSupport.StaleTestDirectories.Sweep(prefix);
            Assert.False(Directory.Exists(stale), "the folder of a finished run is still there");
            Assert.True(Directory.Exists(live), "this run's own folder was removed");
            Assert.True(Directory.Exists(parent), "a running process's folder was removed");
        }
        finally
        {
            foreach (string d in new[] { stale, live, parent })
                if (Directory.Exists(d)) Directory.Delete(d, recursive: true);
        }
    }
}
