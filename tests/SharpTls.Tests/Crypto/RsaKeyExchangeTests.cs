using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Security;
using SharpTls.Crypto;

namespace SharpTls.Tests.Crypto;

public class RsaKeyExchangeTests
{
    private static readonly RSA Key = RSA.Create(2048);
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
        Assert.Equal(Substitute, result);
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
