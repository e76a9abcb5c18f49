using SharpTls.Records;

namespace SharpTls.Tests.Records;

/// <summary>
/// The record AEAD on both of its backends (libcrypto's EVP and the BCL) with published vectors: AES-GCM test cases 4
/// and 16 of McGrew and Viega's GCM specification, ChaCha20-Poly1305 from RFC 8439 §2.8.2. And what the idle-memory
/// work relies on: the native context is created on first use, freed by Release and rebuilt from the kept key, and the
/// key is zeroed at Dispose.
/// </summary>
public class AeadCipherTests
{
    internal sealed record Vector(string Name, AeadAlgorithm Algorithm, string Key, string Nonce, string Aad, string Plaintext, string Ciphertext, string Tag);

    private const string GcmPlaintext = "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39";

    private static readonly Vector[] Vectors =
    [
        new("GCM test case 4 (AES-128)", AeadAlgorithm.Aes128Gcm, "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
            "feedfacedeadbeeffeedfacedeadbeefabaddad2", GcmPlaintext,
            "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
            "5bc94fbc3221a5db94fae95ae7121a47"),
        new("GCM test case 16 (AES-256)", AeadAlgorithm.Aes256Gcm, "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
            "cafebabefacedbaddecaf888", "feedfacedeadbeeffeedfacedeadbeefabaddad2", GcmPlaintext,
            "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
            "76fc6ece0f4e1768cddf8853bb2d551b"),
        new("RFC 8439 2.8.2 (ChaCha20-Poly1305)", AeadAlgorithm.ChaCha20Poly1305, "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f",
            "070000004041424344454647", "50515253c0c1c2c3c4c5c6c7",
            Convert.ToHexString("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it."u8),
            "d31a8d34648e60db7b86afbc53ef7ec2a4aded51296e08fea9e2b5a736ee62d63dbea45e8ca9671282fafb69da92728b1a71de0a9e060b2905d6a5b67ecd3b3692ddbd7f2d778b8c9803aee328091b58fab324e4fad675945585808b4831d7bc3ff4def08e4b7a9de576d26586cec64b6116",
            "1ae10b594f09e26a7e902ecbd0600691"),
    ];

    /// <summary>Each vector on each backend: (vector name, true for libcrypto).</summary>
    public static TheoryData<string, bool> Cases()
    {
        var data = new TheoryData<string, bool>();
        foreach (var v in Vectors)
            foreach (bool libcrypto in new[] { false, true })
                data.Add(v.Name, libcrypto);
        return data;
    }

    private static (Vector, AeadBackend) Case(string name, bool libcrypto)
        => (Vectors.Single(v => v.Name == name), libcrypto ? AeadBackend.LibCrypto : AeadBackend.Bcl);

    [Fact]
    public void Libcrypto_serves_the_record_aeads_on_linux()
    {
        // The idle-memory figures depend on it; a Linux machine without libcrypto.so.3 fails here instead of quietly
        // running on the BCL.
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(LibCryptoAead.IsAvailable);
        Assert.True(LibCryptoAead.Serves(AeadAlgorithm.Aes128Gcm));
        Assert.False(LibCryptoAead.Serves(AeadAlgorithm.Aes128Ccm));
        using var cipher = new AeadCipher(AeadAlgorithm.Aes128Gcm, new byte[16]);
        cipher.Seal(new byte[12], new byte[4], new byte[16], new byte[5]);
        Assert.True(cipher.HoldsContext);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Seals_and_opens_the_published_vectors(string vector, bool libcrypto)
    {
        var (v, backend) = Case(vector, libcrypto);
        using var cipher = new AeadCipher(v.Algorithm, Convert.FromHexString(v.Key), backend);
        byte[] nonce = Convert.FromHexString(v.Nonce), aad = Convert.FromHexString(v.Aad);
        byte[] data = Convert.FromHexString(v.Plaintext);
        var tag = new byte[16];
        cipher.Seal(nonce, data, tag, aad);
        Assert.Equal(v.Ciphertext, Convert.ToHexString(data), ignoreCase: true);
        Assert.Equal(v.Tag, Convert.ToHexString(tag), ignoreCase: true);

        Assert.True(cipher.Open(nonce, data, tag, aad));
        Assert.Equal(v.Plaintext, Convert.ToHexString(data), ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_wrong_tag_or_aad_fails_and_wipes_the_data(string vector, bool libcrypto)
    {
        var (v, backend) = Case(vector, libcrypto);
        using var cipher = new AeadCipher(v.Algorithm, Convert.FromHexString(v.Key), backend);
        byte[] nonce = Convert.FromHexString(v.Nonce), aad = Convert.FromHexString(v.Aad), tag = Convert.FromHexString(v.Tag);
        tag[^1] ^= 1;
        byte[] data = Convert.FromHexString(v.Ciphertext);
        Assert.False(cipher.Open(nonce, data, tag, aad));
        Assert.All(data, b => Assert.Equal(0, b));

        tag[^1] ^= 1;
        aad[0] ^= 0x80;
        data = Convert.FromHexString(v.Ciphertext);
        Assert.False(cipher.Open(nonce, data, tag, aad));
        // The same cipher still opens a good record afterwards (a failure leaves no state behind).
        aad[0] ^= 0x80;
        data = Convert.FromHexString(v.Ciphertext);
        Assert.True(cipher.Open(nonce, data, tag, aad));
        Assert.Equal(v.Plaintext, Convert.ToHexString(data), ignoreCase: true);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void The_context_is_made_on_first_use_freed_by_release_and_rebuilt_from_the_key(string vector, bool libcrypto)
    {
        var (v, backend) = Case(vector, libcrypto);
        var cipher = new AeadCipher(v.Algorithm, Convert.FromHexString(v.Key), backend);
        byte[] nonce = Convert.FromHexString(v.Nonce), aad = Convert.FromHexString(v.Aad);
        Assert.False(cipher.HoldsContext);
        for (int round = 0; round < 3; round++)
        {
            byte[] data = Convert.FromHexString(v.Plaintext);
            var tag = new byte[16];
            cipher.Seal(nonce, data, tag, aad);
            Assert.True(cipher.HoldsContext);
            Assert.Equal(v.Tag, Convert.ToHexString(tag), ignoreCase: true);
            cipher.Release();
            Assert.False(cipher.HoldsContext);
            cipher.Release(); // twice is fine
            Assert.True(cipher.Open(nonce, data, tag, aad));
            Assert.Equal(v.Plaintext, Convert.ToHexString(data), ignoreCase: true);
            cipher.Release();
        }

        Assert.Contains(cipher.KeyForTests.ToArray(), b => b != 0);
        cipher.Open(nonce, new byte[4], new byte[16], aad); // holds a context again
        cipher.Dispose();
        Assert.False(cipher.HoldsContext);
        Assert.All(cipher.KeyForTests.ToArray(), b => Assert.Equal(0, b));
        Assert.Throws<ObjectDisposedException>(() => cipher.Seal(nonce, new byte[1], new byte[16], aad));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Empty_plaintext_seals_to_a_tag_both_backends_agree_on(bool libcrypto)
    {
        var backend = libcrypto ? AeadBackend.LibCrypto : AeadBackend.Bcl;
        // A TLS 1.2 record may carry no plaintext: the tag then covers the additional data alone.
        using var reference = new AeadCipher(AeadAlgorithm.Aes128Gcm, new byte[16], AeadBackend.Bcl);
        using var cipher = new AeadCipher(AeadAlgorithm.Aes128Gcm, new byte[16], backend);
        byte[] nonce = new byte[12], aad = [1, 2, 3], expected = new byte[16], tag = new byte[16];
        reference.Seal(nonce, [], expected, aad);
        cipher.Seal(nonce, [], tag, aad);
        Assert.Equal(expected, tag);
        Assert.True(cipher.Open(nonce, [], tag, aad));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_plaintext_sealed_from_where_it_is_gives_the_published_ciphertext_at_every_split(string vector, bool libcrypto)
    {
        // The record path encrypts the caller's plaintext straight into the record (a head read from elsewhere) and the
        // rest (TLS 1.3's content type and padding) in place: two EVP updates that must join into the one-shot result,
        // whatever the split (inside a 16-byte GCM block, a 64-byte ChaCha20 block, at 0 and at the end).
        var (v, backend) = Case(vector, libcrypto);
        using var cipher = new AeadCipher(v.Algorithm, Convert.FromHexString(v.Key), backend);
        byte[] nonce = Convert.FromHexString(v.Nonce), aad = Convert.FromHexString(v.Aad), plain = Convert.FromHexString(v.Plaintext);
        foreach (int split in new[] { 0, 1, 15, 16, 17, 33, 63, 64, plain.Length - 1, plain.Length }.Where(x => x <= plain.Length).Distinct())
        {
            var data = new byte[plain.Length];
            plain.AsSpan(split).CopyTo(data.AsSpan(split)); // the in-place part
            byte[] head = plain[..split], tag = new byte[16];
            cipher.Seal(nonce, head, data, tag, aad);
            Assert.Equal(v.Ciphertext, Convert.ToHexString(data), ignoreCase: true);
            Assert.Equal(v.Tag, Convert.ToHexString(tag), ignoreCase: true);
            Assert.Equal(plain[..split], head); // the caller's plaintext is read, not changed
        }

        // A head that already lies in the data (at its start, or shifted by one) is sealed as well.
        var buffer = new byte[plain.Length + 1];
        plain.CopyTo(buffer, 1);
        var tag2 = new byte[16];
        cipher.Seal(nonce, buffer.AsSpan(1, plain.Length), buffer.AsSpan(0, plain.Length), tag2, aad);
        Assert.Equal(v.Ciphertext, Convert.ToHexString(buffer, 0, plain.Length), ignoreCase: true);
        Assert.Equal(v.Tag, Convert.ToHexString(tag2), ignoreCase: true);
        var inPlace = (byte[])plain.Clone();
        cipher.Seal(nonce, inPlace, inPlace, tag2, aad);
        Assert.Equal(v.Ciphertext, Convert.ToHexString(inPlace), ignoreCase: true);
    }
}
