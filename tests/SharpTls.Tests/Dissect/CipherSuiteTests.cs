using System.Net.Security;
using System.Security.Cryptography;
using SharpTls.Wire;

namespace SharpTls.Tests.Dissect;

public class CipherSuiteTests
{
    // Seed 001's ClientHello: "Cipher Suites (12 suites)".
    [Theory]
    [InlineData(0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData(0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA")]
    [InlineData(0x0005, "TLS_RSA_WITH_RC4_128_SHA")]
    [InlineData(0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA")]
    [InlineData(0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA")]
    [InlineData(0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA")]
    [InlineData(0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA")]
    [InlineData(0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA")]
    [InlineData(0x0032, "TLS_DHE_DSS_WITH_AES_128_CBC_SHA")]
    [InlineData(0x0038, "TLS_DHE_DSS_WITH_AES_256_CBC_SHA")]
    [InlineData(0x0013, "TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA")]
    [InlineData(0x0004, "TLS_RSA_WITH_RC4_128_MD5")]
    public void SeedSuitesHaveWiresharkNames(int value, string name)
    {
        Assert.Equal(name, CipherSuites.Name((ushort)value));
        Assert.Equal($"{name} (0x{value:x4})", CipherSuites.Describe((ushort)value));
        Assert.True(CipherSuites.TryParse(name, out var suite));
        Assert.Equal(value, (int)suite);
    }

    [Theory]
    [InlineData(0x1301, "TLS_AES_128_GCM_SHA256")]
    [InlineData(0x1302, "TLS_AES_256_GCM_SHA384")]
    [InlineData(0x1303, "TLS_CHACHA20_POLY1305_SHA256")]
    [InlineData(0x00ff, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV")]
    [InlineData(0x5600, "TLS_FALLBACK_SCSV")]
    [InlineData(0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256")]
    [InlineData(0xc0ae, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8")]
    [InlineData(0x001c, "SSL_FORTEZZA_KEA_WITH_NULL_SHA")]
    [InlineData(0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5")]
    [InlineData(0xc05c, "TLS_ECDHE_ECDSA_WITH_ARIA_128_GCM_SHA256")]
    [InlineData(0x00c4, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA256")]
    [InlineData(0xd005, "TLS_ECDHE_PSK_WITH_AES_128_CCM_SHA256")]
    public void OtherWellKnownNames(int value, string name) => Assert.Equal(name, CipherSuites.Name((ushort)value));

    [Theory]
    [InlineData(0x0a0a)]
    [InlineData(0x1a1a)]
    [InlineData(0xfafa)]
    public void GreaseIsReserved(int value)
    {
        Assert.Equal("Reserved (GREASE)", CipherSuites.Name((ushort)value));
        Assert.Equal($"Reserved (GREASE) (0x{value:x4})", CipherSuites.Describe((ushort)value));
        Assert.Null(CipherSuites.Info((ushort)value));
    }

    [Theory]
    [InlineData(0x1300)]
    [InlineData(0x0a0b)]
    [InlineData(0xd004)]
    [InlineData(0xffff)]
    public void UnassignedIsUnknown(int value)
    {
        Assert.Equal($"Unknown (0x{value:x4})", CipherSuites.Name((ushort)value));
        Assert.Equal($"Unknown (0x{value:x4})", CipherSuites.Describe((ushort)value));
        Assert.False(CipherSuites.IsKnown((ushort)value));
        Assert.Null(CipherSuites.Info((ushort)value));
    }

    /// <summary>.NET ships the IANA registry as System.Net.Security.TlsCipherSuite: every value it names we name the same way.</summary>
    [Fact]
    public void AgreesWithDotNetTlsCipherSuite()
    {
        var mismatches = new List<string>();
        foreach (var v in Enum.GetValues<TlsCipherSuite>())
        {
            string theirs = v.ToString();
            string ours = CipherSuites.Name((ushort)v);
            if (theirs != ours)
                mismatches.Add($"0x{(ushort)v:x4}: .NET {theirs}, ours {ours}");
        }
        Assert.Empty(mismatches);
        Assert.True(Enum.GetValues<TlsCipherSuite>().Length > 300);
    }

    [Fact]
    public void EveryMemberHasConsistentMetadata()
    {
        Assert.Equal(Enum.GetValues<CipherSuite>().Length, CipherSuites.All.Count);
        foreach (var info in CipherSuites.All)
        {
            Assert.Same(info, CipherSuites.Info(info.Suite));
            Assert.True(info.AllowedIn(info.MinVersion), info.Name);
            Assert.True(info.AllowedIn(info.MaxVersion), info.Name);
            Assert.True(info.IsAead == info.TagBytes > 0, info.Name);
            if (info.IsAead)
                Assert.Equal(0, info.MacBytes);
            if (info.IsExport)
                Assert.True(info.KeyBits <= 56 && info.MaxVersion == ProtocolVersion.Tls10, info.Name);
            if (info.IsAead || info.Mac is MacAlgorithm.Sha256 or MacAlgorithm.Sha384)
                Assert.False(info.AllowedIn(ProtocolVersion.Tls11), info.Name);
            if (info.Name.EndsWith("_SHA384", StringComparison.Ordinal))
                Assert.Equal(HashAlgorithmName.SHA384, info.PrfHash);
            Assert.Equal(info.KeyExchange == CipherSuiteKeyExchange.Any, info.IsTls13 && !info.IsSignaling);
        }
    }

    [Fact]
    public void RsaAes128CbcSha()
    {
        var i = CipherSuites.Info(CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA);
        Assert.Equal(CipherSuiteKeyExchange.Rsa, i.KeyExchange);
        Assert.Equal((BulkCipher.Aes, BulkCipherMode.Cbc, 128, 16, 16, 16), (i.Cipher, i.Mode, i.KeyBits, i.KeyBytes, i.BlockBytes, i.FixedIvBytes));
        Assert.Equal((MacAlgorithm.Sha1, 20, 0), (i.Mac, i.MacBytes, i.TagBytes));
        Assert.Equal((ProtocolVersion.Ssl3, ProtocolVersion.Tls12), (i.MinVersion, i.MaxVersion));
        Assert.Equal(HashAlgorithmName.SHA256, i.PrfHash);
        Assert.False(i.IsForwardSecret);
        Assert.False(i.IsExport);
    }

    [Fact]
    public void EcdheRsaAes256GcmSha384()
    {
        var i = CipherSuites.Info(CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384);
        Assert.Equal(CipherSuiteKeyExchange.EcdheRsa, i.KeyExchange);
        Assert.Equal((BulkCipher.Aes, BulkCipherMode.Gcm, 256, 32), (i.Cipher, i.Mode, i.KeyBits, i.KeyBytes));
        Assert.Equal((4, 8, 16), (i.FixedIvBytes, i.ExplicitNonceBytes, i.TagBytes));
        Assert.True(i.IsAead);
        Assert.Equal(HashAlgorithmName.SHA384, i.PrfHash);
        Assert.Equal((ProtocolVersion.Tls12, ProtocolVersion.Tls12), (i.MinVersion, i.MaxVersion));
        Assert.True(i.IsForwardSecret);
    }

    [Fact]
    public void Tls13Suites()
    {
        var aes = CipherSuites.Info(CipherSuite.TLS_AES_128_GCM_SHA256);
        Assert.Equal(CipherSuiteKeyExchange.Any, aes.KeyExchange);
        Assert.True(aes.IsTls13);
        Assert.Equal((12, 0, 16), (aes.FixedIvBytes, aes.ExplicitNonceBytes, aes.TagBytes));
        Assert.False(aes.AllowedIn(ProtocolVersion.Tls12));
        var chacha = CipherSuites.Info(CipherSuite.TLS_CHACHA20_POLY1305_SHA256);
        Assert.Equal((BulkCipher.ChaCha20, 32, 12), (chacha.Cipher, chacha.KeyBytes, chacha.FixedIvBytes));
        var ccm8 = CipherSuites.Info(CipherSuite.TLS_AES_128_CCM_8_SHA256);
        Assert.Equal((BulkCipherMode.Ccm8, 8), (ccm8.Mode, ccm8.TagBytes));
        Assert.Equal(HashAlgorithmName.SHA384, CipherSuites.Info(CipherSuite.TLS_AES_256_GCM_SHA384).PrfHash);
    }

    [Fact]
    public void ExportAndLegacySuites()
    {
        var rc4Export = CipherSuites.Info(CipherSuite.TLS_RSA_EXPORT_WITH_RC4_40_MD5);
        Assert.True(rc4Export.IsExport);
        Assert.Equal((BulkCipher.Rc4, BulkCipherMode.Stream, 40, 5), (rc4Export.Cipher, rc4Export.Mode, rc4Export.KeyBits, rc4Export.KeyBytes));
        Assert.Equal((MacAlgorithm.Md5, 16), (rc4Export.Mac, rc4Export.MacBytes));
        Assert.True(rc4Export.AllowedIn(ProtocolVersion.Ssl3));
        Assert.False(rc4Export.AllowedIn(ProtocolVersion.Tls11));

        var tdes = CipherSuites.Info(CipherSuite.TLS_DHE_DSS_WITH_3DES_EDE_CBC_SHA);
        Assert.Equal((CipherSuiteKeyExchange.DheDss, BulkCipher.TripleDes, 168, 24, 8), (tdes.KeyExchange, tdes.Cipher, tdes.KeyBits, tdes.KeyBytes, tdes.BlockBytes));

        var ecdhe = CipherSuites.Info(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA);
        Assert.Equal(ProtocolVersion.Tls10, ecdhe.MinVersion); // needs the EC extensions
        Assert.False(ecdhe.AllowedIn(ProtocolVersion.Ssl3));

        Assert.Equal(CipherSuiteKeyExchange.DhePsk, CipherSuites.Info(CipherSuite.TLS_PSK_DHE_WITH_AES_128_CCM_8).KeyExchange);
        Assert.True(CipherSuites.Info(CipherSuite.TLS_DH_anon_WITH_AES_128_CBC_SHA).IsAnonymous);
        Assert.True(CipherSuites.Info(CipherSuite.TLS_EMPTY_RENEGOTIATION_INFO_SCSV).IsSignaling);
        Assert.True(CipherSuites.Info(CipherSuite.TLS_FALLBACK_SCSV).IsSignaling);
        Assert.True(CipherSuites.TryParse("SSL_RSA_WITH_RC4_128_MD5", out var s) && s == CipherSuite.TLS_RSA_WITH_RC4_128_MD5);
        Assert.False(CipherSuites.TryParse("47", out _));
    }
}
