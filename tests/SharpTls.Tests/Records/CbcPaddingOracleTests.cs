using System.Security.Cryptography;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Records;

/// <summary>
/// MAC-then-encrypt CBC must not be a padding oracle: bad padding, bad MAC, or both, give the same
/// alert and the same reason. Records are sealed by the real sealer, then decrypted, altered and
/// re-encrypted here with the same key and IV to build exactly the faults wanted.
/// </summary>
public class CbcPaddingOracleTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 16).Select(i => (byte)i).ToArray();
    private static readonly byte[] MacKey = Enumerable.Range(50, 20).Select(i => (byte)i).ToArray();

    private static CbcRecordProtection Make(ProtocolVersion v) =>
        new(v, CbcCipher.Aes128, MacAlgorithm.Sha1, Key, new byte[16], MacKey, random: iv => iv.Fill(0x42));

    // Seals content, then rewrites the decrypted body (content || MAC || padding || padding_length).
    private static byte[] Altered(ProtocolVersion v, byte[] content, Action<byte[]> alter)
    {
        using var sealer = Make(v);
        var record = RecordProtectionMatrixTests.Seal(sealer, ContentType.ApplicationData, content);
        int ivLength = v >= ProtocolVersion.Tls11 ? 16 : 0;
        var iv = ivLength > 0 ? record[5..21] : new byte[16];
        using var aes = Aes.Create();
        aes.Key = Key;
        var body = aes.DecryptCbc(record[(5 + ivLength)..], iv, PaddingMode.None);
        alter(body);
        var encrypted = aes.EncryptCbc(body, iv, PaddingMode.None);
        var result = record[..(5 + ivLength)].Concat(encrypted).ToArray();
        result[3] = (byte)((result.Length - 5) >> 8);
        result[4] = (byte)(result.Length - 5);
        return result;
    }

    private static TlsProtocolException Fails(ProtocolVersion v, byte[] record)
    {
        using var opener = Make(v);
        return Assert.Throws<TlsProtocolException>(() => RecordProtectionMatrixTests.Open(opener, record));
    }

    [Theory]
    [InlineData(ProtocolVersion.Tls10)]
    [InlineData(ProtocolVersion.Tls11)]
    [InlineData(ProtocolVersion.Tls12)]
    public void WrongPaddingAndWrongMacGiveTheIdenticalFailure(ProtocolVersion v)
    {
        var content = "0123456789"u8.ToArray(); // 10 + 20 MAC = 30: padding_length 1, body 32 bytes
        var unchanged = Altered(v, content, _ => { });
        using (var opener = Make(v))
            Assert.Equal(content, RecordProtectionMatrixTests.Open(opener, unchanged).Item2);

        var failures = new[]
        {
            Fails(v, Altered(v, content, b => b[^2] ^= 1)),                      // padding byte differs from padding_length
            Fails(v, Altered(v, content, b => b[^1] = 200)),                     // padding_length beyond the record
            Fails(v, Altered(v, content, b => b[^1] = 31)),                      // padding that would eat the MAC
            Fails(v, Altered(v, content, b => b[12] ^= 1)),                      // MAC byte wrong, padding right
            Fails(v, Altered(v, content, b => b[0] ^= 1)),                       // content wrong, padding right
            Fails(v, Altered(v, content, b => { b[12] ^= 1; b[^2] ^= 1; })),     // both wrong
        };
        foreach (var ex in failures)
        {
            Assert.Equal(AlertDescription.BadRecordMac, ex.Alert);
            Assert.Equal(failures[0].Reason, ex.Reason);
            Assert.Equal(failures[0].Message, ex.Message);
        }
    }

    [Fact]
    public void LongValidTlsPaddingIsAccepted()
    {
        // 10 + 20 = 30; a padding_length of 17 gives 30 + 17 + 1 = 48 bytes, three blocks.
        var record = Altered(ProtocolVersion.Tls12, "0123456789"u8.ToArray(), _ => { });
        using var aes = Aes.Create();
        aes.Key = Key;
        var iv = record[5..21];
        var body = aes.DecryptCbc(record[21..], iv, PaddingMode.None).Take(30).Concat(Enumerable.Repeat((byte)17, 18)).ToArray();
        var rebuilt = record[..21].Concat(aes.EncryptCbc(body, iv, PaddingMode.None)).ToArray();
        rebuilt[4] = (byte)(rebuilt.Length - 5);
        using var opener = Make(ProtocolVersion.Tls12);
        Assert.Equal("0123456789"u8.ToArray(), RecordProtectionMatrixTests.Open(opener, rebuilt).Item2);
    }

    [Fact]
    public void Ssl3PaddingContentIsNotCheckedButItsLengthIs()
    {
        var content = "0123456789"u8.ToArray();
        using var sealer = new CbcRecordProtection(ProtocolVersion.Ssl3, CbcCipher.Aes128, MacAlgorithm.Sha1, Key, new byte[16], MacKey);
        var record = RecordProtectionMatrixTests.Seal(sealer, ContentType.ApplicationData, content, 0x0300);
        using var aes = Aes.Create();
        aes.Key = Key;
        var body = aes.DecryptCbc(record[5..], new byte[16], PaddingMode.None);
        body[^2] = 0xEE; // SSL 3.0 padding bytes may be anything
        var rebuilt = record[..5].Concat(aes.EncryptCbc(body, new byte[16], PaddingMode.None)).ToArray();
        using (var opener = new CbcRecordProtection(ProtocolVersion.Ssl3, CbcCipher.Aes128, MacAlgorithm.Sha1, Key, new byte[16], MacKey))
            Assert.Equal(content, RecordProtectionMatrixTests.Open(opener, rebuilt).Item2);

        // padding_length must be below the block size: 16 + 1 bytes of padding is refused in SSL 3.0.
        var longBody = body.Take(30).Concat(Enumerable.Repeat((byte)17, 18)).ToArray();
        var tooLong = record[..5].Concat(aes.EncryptCbc(longBody, new byte[16], PaddingMode.None)).ToArray();
        tooLong[4] = (byte)(tooLong.Length - 5);
        using var opener2 = new CbcRecordProtection(ProtocolVersion.Ssl3, CbcCipher.Aes128, MacAlgorithm.Sha1, Key, new byte[16], MacKey);
        Assert.Equal(AlertDescription.BadRecordMac,
            Assert.Throws<TlsProtocolException>(() => RecordProtectionMatrixTests.Open(opener2, tooLong)).Alert);
    }

    [Fact]
    public void EncryptThenMacChecksTheMacBeforeDecrypting()
    {
        using var sealer = new CbcRecordProtection(ProtocolVersion.Tls12, CbcCipher.Aes128, MacAlgorithm.Sha1, Key, [], MacKey, encryptThenMac: true);
        var record = RecordProtectionMatrixTests.Seal(sealer, ContentType.ApplicationData, new byte[20]);
        // IV(16) + 2 blocks (20 + padding to 32) + MAC(20)
        Assert.Equal(5 + 16 + 32 + 20, record.Length);
        record[^1] ^= 1;
        using var opener = new CbcRecordProtection(ProtocolVersion.Tls12, CbcCipher.Aes128, MacAlgorithm.Sha1, Key, [], MacKey, encryptThenMac: true);
        Assert.Equal(AlertDescription.BadRecordMac,
            Assert.Throws<TlsProtocolException>(() => RecordProtectionMatrixTests.Open(opener, record)).Alert);
    }
}
