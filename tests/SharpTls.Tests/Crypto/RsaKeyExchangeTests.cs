using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Security;
using SharpTls.Crypto;

namespace SharpTls.Tests.Crypto;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class RsaKeyExchangeTests
{
    private static readonly RSA Key = new RSAOpenSsl(2048);
    private const ushort Tls12 = 0x0303;

    private static readonly byte[] Substitute = Enumerable.Range(100, 48).Select(i => (byte)i).ToArray();

    private static ScriptedCryptoProvider Provider() => new("rsa", Substitute);

    /// <summary>Raw RSA public operation on an arbitrary encoded message (to build malformed blocks).</summary>
    private static byte[] RawEncrypt(byte[] em)
    {
        var engine = new RsaEngine();
        engine.Init(true, DotNetUtilities.GetRsaPublicKey(Key.ExportParameters(false)));
        byte[] c = engine.ProcessBlock(em, 0, em.Length);
        byte[] padded = new byte[256];
        c.CopyTo(padded, 256 - c.Length);
        return padded;
    }

    private static byte[] Block(byte[] pms, Action<byte[]>? damage = null)
    {
        byte[] em = new byte[256];
        em[1] = 0x02;
        for (int i = 2; i < 256 - 49; i++) em[i] = (byte)(i % 250 + 1);
        pms.CopyTo(em, 256 - 48);
        damage?.Invoke(em);
        return em;
    }

    private static byte[] Pms(ushort version = Tls12)
    {
        byte[] pms = RsaKeyExchange.CreatePreMasterSecret(version, new ScriptedCryptoProvider("pms"));
        Assert.Equal(48, pms.Length);
        return pms;
    }

    [Fact]
    public void Valid_block_gives_the_pre_master()
    {
        byte[] pms = Pms();
        byte[] encrypted = RsaKeyExchange.Encrypt(Key, pms, CryptoProviders.Default);
        Assert.Equal(256, encrypted.Length);
        Assert.Equal(pms, RsaKeyExchange.DecryptPreMasterSecret(Key, encrypted, Tls12, Provider()));
        // A block built by hand with the same layout decrypts the same way.
        Assert.Equal(pms, RsaKeyExchange.DecryptPreMasterSecret(Key, RawEncrypt(Block(pms)), Tls12, Provider()));
        // And the BCL agrees that our client-side encryption is PKCS#1 v1.5.
        Assert.Equal(pms, Key.Decrypt(encrypted, RSAEncryptionPadding.Pkcs1));
    }

    public static TheoryData<string> Failures => new()
    {
        "bad version", "first byte", "block type 1", "zero in padding", "no separator", "short", "long", "empty",
        "above modulus",
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Every_failure_returns_48_random_bytes_without_throwing(string failure)
    {
        byte[] pms = Pms();
        byte[] encrypted = failure switch
        {
            "bad version" => RawEncrypt(Block(Pms(0x0301))),
            "first byte" => RawEncrypt(Block(pms, em => em[0] = 0x01)),
            "block type 1" => RawEncrypt(Block(pms, em => em[1] = 0x01)),
            "zero in padding" => RawEncrypt(Block(pms, em => em[100] = 0x00)),
            "no separator" => RawEncrypt(Block(pms, em => em[256 - 49] = 0x07)),
            "short" => RsaKeyExchange.Encrypt(Key, pms, CryptoProviders.Default)[1..],
            "long" => [.. RsaKeyExchange.Encrypt(Key, pms, CryptoProviders.Default), 0],
            "empty" => [],
            "above modulus" => Enumerable.Repeat((byte)0xFF, 256).ToArray(),
            _ => throw new ArgumentException(failure),
        };

        byte[] result = RsaKeyExchange.DecryptPreMasterSecret(Key, encrypted, Tls12, Provider());
        Assert.Equal(48, result.Length);
        Assert.NotEqual(pms, result);
        bool publicFailure = failure is "short" or "long" or "empty" or "above modulus";
        if (publicFailure || !OpenSslRsaKeyExchange.IsAvailable)
            Assert.Equal(Substitute, result); // our substitute
        else
            Assert.NotEqual(result, RsaKeyExchange.DecryptPreMasterSecret(Key, encrypted, Tls12, Provider())); // OpenSSL's, fresh each time

        // The managed path (keys libcrypto cannot serve) gives the provider's substitute for every failure.
        byte[] managed = new byte[48];
        RsaKeyExchange.DecryptManaged(Key, encrypted, Tls12, Substitute, managed);
        Assert.Equal(Substitute, managed);
    }

    [Fact]
    public void Libcrypto_serves_bcl_keys_without_exporting_them()
    {
        // CI runs on Debian with OpenSSL 3: the native path must be there, not silently replaced by the managed one.
        Assert.True(OpenSslRsaKeyExchange.IsAvailable, "libcrypto.so.3 did not load");
        Assert.IsType<RSAOpenSsl>(Key, exactMatch: false);
        byte[] pms = Pms();
        byte[] output = new byte[48];
        Assert.Equal(NativeDecrypt.Served, OpenSslRsaKeyExchange.TryDecrypt(Key, RsaKeyExchange.Encrypt(Key, pms, CryptoProviders.Default), Tls12, output));
        Assert.Equal(pms, output);
        // A wrong client_version inside a well-formed block: served (no signal), but not the pre-master.
        Assert.Equal(NativeDecrypt.Served, OpenSslRsaKeyExchange.TryDecrypt(Key, RsaKeyExchange.Encrypt(Key, Pms(0x0301), CryptoProviders.Default), Tls12, output));
        Assert.NotEqual(Pms(0x0301), output);
        // Through the provider, from a certificate's key, with another RSA size.
        using var rsa3072 = RSA.Create(3072);
        var request = new CertificateRequest("CN=rsa-kx", rsa3072, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        using (var certificateKey = certificate.GetRSAPrivateKey()) Assert.IsType<RSAOpenSsl>(certificateKey, exactMatch: false);
        CryptoProviders.Default.DecryptRsaPreMasterSecret(certificate, RsaKeyExchange.Encrypt(rsa3072, pms, CryptoProviders.Default), Tls12, output);
        Assert.Equal(pms, output);
    }

    [Fact]
    public void The_substitute_is_drawn_even_when_the_block_is_good()
    {
        // Same randomness consumption on both paths: the provider is asked for 48 bytes either way.
        var provider = Provider();
        RsaKeyExchange.DecryptPreMasterSecret(Key, RsaKeyExchange.Encrypt(Key, Pms(), CryptoProviders.Default), Tls12, provider);
        Assert.Equal(0, provider.Remaining);
    }
}
