using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.KeySchedule;

namespace SharpTls.Tests.Crypto;

/// <summary>
/// The key schedule's libcrypto HMAC path (<see cref="LibCryptoHmac"/>) against RFC 4231 and RFC 5869 and against the
/// BCL on random inputs; and that a context keeps no keyed state of the last secret after a call. libcrypto is
/// installed wherever the tests run: its absence fails these tests.
/// </summary>
public class LibCryptoHmacTests
{
    private static readonly HashAlgorithmName Sha256 = HashAlgorithmName.SHA256, Sha384 = HashAlgorithmName.SHA384;

    [Fact]
    public void Libcrypto_path_is_available_here() => Assert.True(LibCryptoHmac.IsAvailable);

    // RFC 4231 §4.2-§4.5 and §4.7 (§4.6 is truncated output): key, data, HMAC-SHA-256, HMAC-SHA-384.
    [Theory]
    [InlineData("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b", "4869205468657265",
        "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
        "afd03944d84895626b0825f4ab46907f15f9dadbe4101ec682aa034c7cebc59cfaea9ea9076ede7f4af152e8b2fa9cb6")]
    [InlineData("4a656665", "7768617420646f2079612077616e7420666f72206e6f7468696e673f",
        "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e8e2240ca5e69e2c78b3239ecfab21649")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd",
        "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
        "88062608d3e6ad8a0aa2ace014c8a86f0aa635d947ac9febe83ef4e55966144b2a5ab39dc13814b94e3ab6e101a34f27")]
    [InlineData("0102030405060708090a0b0c0d0e0f10111213141516171819",
        "cdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcdcd",
        "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
        "3e8a69b7783c25851933ab6290af6ca77a9981480850009cc5577c6e1f573b4e6801dd23c4a7d679ccf8a386c674cffb")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        "54657374205573696e67204c6172676572205468616e20426c6f636b2d53697a65204b6579202d2048617368204b6579204669727374",
        "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
        "4ece084485813e9088d2c63a041bc5b44f9ef1012a2b588f3cd11f05033ac4c60c2ef6ab4030fe8296248df163f44952")]
    public void Rfc4231_vectors(string key, string data, string sha256, string sha384)
    {
        byte[] k = Hex.Parse(key), d = Hex.Parse(data);
        foreach (var (hash, expected) in new[] { (Sha256, sha256), (Sha384, sha384) })
        {
            byte[] output = new byte[TlsHashes.Length(hash)];
            // Whole data, and the data split into the call's two parts at every third byte.
            LibCryptoHmac.Compute(hash, k, d, default, output);
            Hex.Equal(expected, output);
            for (int split = 0; split <= d.Length; split += 3)
            {
                Array.Clear(output);
                LibCryptoHmac.Compute(hash, k, d.AsSpan(0, split), d.AsSpan(split), output);
                Hex.Equal(expected, output);
            }
        }
    }

    [Fact]
    public void Agrees_with_the_BCL_on_random_keys_and_data()
    {
        var random = new Random(4231);
        foreach (var hash in new[] { Sha256, Sha384 })
            for (int i = 0; i < 300; i++)
            {
                byte[] key = new byte[random.Next(0, 200)], data = new byte[random.Next(0, 300)];
                random.NextBytes(key);
                random.NextBytes(data);
                int split = random.Next(0, data.Length + 1);
                byte[] ours = new byte[TlsHashes.Length(hash)];
                LibCryptoHmac.Compute(hash, key, data.AsSpan(0, split), data.AsSpan(split), ours);
                Assert.Equal(CryptographicOperations.HmacData(hash, key, data), ours);
            }
    }

    [Fact]
    public void A_context_is_left_keyed_with_a_public_key_after_each_call()
    {
        byte[] secret = RandomNumberGenerator.GetBytes(32), output = new byte[32];
        LibCryptoHmac.Compute(Sha256, secret, "some label"u8, default, output);
        // What the context yields as left: HMAC under the fixed public key over nothing, not anything keyed by the secret.
        Assert.Equal(HMACSHA256.HashData(new byte[] { 0 }, Array.Empty<byte>()), LibCryptoHmac.ResidueOfLastCall(Sha256));
        Assert.NotEqual(HMACSHA256.HashData(secret, Array.Empty<byte>()), LibCryptoHmac.ResidueOfLastCall(Sha256));
    }

    // RFC 5869 §A.1 (SHA-256): Extract, then Expand to 42 bytes (two blocks: the BCL), one block (this path) and a
    // truncated block (this path, the block wiped).
    [Fact]
    public void Rfc5869_case_1_through_the_key_schedule()
    {
        byte[] ikm = Hex.Parse("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b"), salt = Hex.Parse("000102030405060708090a0b0c");
        byte[] info = Hex.Parse("f0f1f2f3f4f5f6f7f8f9");
        const string prk = "077709362c2e32df0ddc3f0dc47bba6390b6c73bb50f9c3122ec844ad7c2b3e5";
        const string okm = "3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865";
        Hex.Equal(prk, Tls13Hkdf.Extract(Sha256, salt, ikm));
        foreach (int length in new[] { 42, 32, 16, 1 })
        {
            byte[] output = new byte[length];
            Tls13Hkdf.Expand(Sha256, Hex.Parse(prk), info, output);
            Hex.Equal(okm[..(2 * length)], output);
        }
    }

    [Fact]
    public void Expand_agrees_with_the_BCL_for_every_single_block_length()
    {
        foreach (var hash in new[] { Sha256, Sha384 })
        {
            byte[] prk = RandomNumberGenerator.GetBytes(TlsHashes.Length(hash)), info = RandomNumberGenerator.GetBytes(40);
            for (int length = 1; length <= TlsHashes.Length(hash); length++)
            {
                byte[] ours = new byte[length];
                Tls13Hkdf.Expand(hash, prk, info, ours);
                Assert.Equal(HKDF.Expand(hash, prk, length, info), ours);
            }
        }
    }
}
