using System.Security.Cryptography;
using SharpTls.Crypto;

namespace SharpTls.Tests.Crypto;

/// <summary>
/// The managed RSA key-exchange path (keys libcrypto cannot serve, e.g. not the BCL's RSAOpenSsl): the key is exported and
/// turned into BouncyCastle's form once per key object, not per decryption; it decrypts what the libcrypto path decrypts,
/// substitutes on every failure, and its kept private values are overwritten at dispose.
/// </summary>
public class ManagedRsaDecryptionTests
{
    private const ushort Tls12 = 0x0303;
    private static readonly byte[] Substitute = Enumerable.Range(7, 48).Select(i => (byte)i).ToArray();

    /// <summary>An RSA key that is not RSAOpenSsl (so libcrypto's path declines it) and counts its private exports.</summary>
    private sealed class CountingRsa : RSA
    {
        private readonly RSA _inner = RSA.Create(2048);

        public CountingRsa() => KeySizeValue = 2048;

        public int PrivateExports { get; private set; }

        public RSA Inner => _inner;

        public override RSAParameters ExportParameters(bool includePrivateParameters)
        {
            if (includePrivateParameters) PrivateExports++;
            return _inner.ExportParameters(includePrivateParameters);
        }

        public override void ImportParameters(RSAParameters parameters) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }

    private static byte[] Pms(ushort version = Tls12) => RsaKeyExchange.CreatePreMasterSecret(version, new ScriptedCryptoProvider("managed pms"));

    [Fact]
    public void Exports_the_key_once_and_decrypts_like_libcrypto()
    {
        using var key = new CountingRsa();
        for (int i = 0; i < 5; i++)
        {
            byte[] pms = Pms();
            pms[47] = (byte)i;
            byte[] encrypted = RsaKeyExchange.Encrypt(key.Inner, pms, CryptoProviders.Default);
            Assert.Equal(pms, RsaKeyExchange.DecryptPreMasterSecret(key, encrypted, Tls12, new ScriptedCryptoProvider("s", Substitute)));
            // The libcrypto path on the same key material gives the same pre-master.
            Assert.Equal(pms, RsaKeyExchange.DecryptPreMasterSecret(key.Inner, encrypted, Tls12, new ScriptedCryptoProvider("s", Substitute)));
        }
        Assert.Equal(1, key.PrivateExports);
    }

    [Fact]
    public void Every_failure_gives_the_substitute()
    {
        using var key = new CountingRsa();
        byte[] wrongVersion = RsaKeyExchange.Encrypt(key.Inner, Pms(0x0301), CryptoProviders.Default);
        byte[] good = RsaKeyExchange.Encrypt(key.Inner, Pms(), CryptoProviders.Default);
        byte[] tooShort = good[1..];
        byte[] notBelowModulus = Enumerable.Repeat((byte)0xFF, 256).ToArray();
        byte[] garbage = [.. good];
        garbage[100] ^= 0x40; // decrypts to a random-looking block: bad padding
        foreach (byte[] ciphertext in new[] { wrongVersion, tooShort, notBelowModulus, garbage })
        {
            byte[] output = new byte[48];
            RsaKeyExchange.DecryptManaged(key, ciphertext, Tls12, Substitute, output);
            Assert.Equal(Substitute, output);
        }
    }

    [Fact]
    public void Dispose_overwrites_the_private_values()
    {
        Assert.True(ManagedRsaPrivateKey.ClearsItsWords, "BouncyCastle's BigInteger words are not reachable: the private values could not be overwritten");
        using var key = new CountingRsa();
        var managed = ManagedRsaPrivateKey.For(key);
        uint[]?[] words = ManagedRsaPrivateKey.WordsOf(managed.Parameters!);
        Assert.All(words, w => Assert.True(w is { Length: > 0 } && w.Any(x => x != 0)));
        managed.Dispose();
        Assert.True(managed.IsCleared);
        Assert.All(words, w => Assert.All(w!, x => Assert.Equal(0u, x)));
        Assert.Throws<ObjectDisposedException>(() => managed.DecryptPreMasterSecret(new byte[256], Tls12, Substitute, new byte[48]));
    }

    [Fact]
    public void Forgetting_a_key_overwrites_its_managed_form_and_the_next_use_makes_a_new_one()
    {
        using var key = new CountingRsa();
        var managed = ManagedRsaPrivateKey.For(key);
        ManagedRsaPrivateKey.Forget(key); // what TlsSignatures.SigningKey does with the kept key of a disposed certificate
        Assert.True(managed.IsCleared);
        Assert.NotSame(managed, ManagedRsaPrivateKey.For(key));
        Assert.Equal(2, key.PrivateExports);
    }
}
