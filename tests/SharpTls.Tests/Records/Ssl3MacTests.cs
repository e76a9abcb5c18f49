using System.Security.Cryptography;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Records;

/// <summary>The SSL 3.0 MAC as RFC 6101 §5.2.3.1 writes it, computed here from MD5/SHA-1 directly.</summary>
public class Ssl3MacTests
{
    [Theory]
    [InlineData("Md5", 16, 48)]
    [InlineData("Sha1", 20, 40)]
    public void RecordCarriesTheRfc6101Mac(string macName, int macLength, int padLength)
    {
        var mac = Enum.Parse<MacAlgorithm>(macName);
        var key = Enumerable.Range(1, 24).Select(i => (byte)i).ToArray();
        var iv = new byte[8];
        var secret = Enumerable.Range(100, macLength).Select(i => (byte)i).ToArray();
        var content = "SSL 3.0 record"u8.ToArray();
        using var sealer = new CbcRecordProtection(ProtocolVersion.Ssl3, CbcCipher.TripleDes, mac, key, iv, secret);
        RecordProtectionMatrixTests.Seal(sealer, ContentType.ApplicationData, [1, 2, 3], 0x0300); // sequence 0
        var record = RecordProtectionMatrixTests.Seal(sealer, ContentType.ApplicationData, content, 0x0300); // sequence 1

        // Chained IV: the second record's IV is the first record's last block; recompute it the same way.
        using var sealer0 = new CbcRecordProtection(ProtocolVersion.Ssl3, CbcCipher.TripleDes, mac, key, iv, secret);
        var first = RecordProtectionMatrixTests.Seal(sealer0, ContentType.ApplicationData, [1, 2, 3], 0x0300);
        using var des = TripleDES.Create();
        des.Key = key;
        var body = des.DecryptCbc(record[5..], first[^8..], PaddingMode.None);

        byte[] Hash(params byte[][] parts)
        {
            using var h = IncrementalHash.CreateHash(mac == MacAlgorithm.Md5 ? HashAlgorithmName.MD5 : HashAlgorithmName.SHA1);
            foreach (var p in parts) h.AppendData(p);
            return h.GetHashAndReset();
        }
        byte[] seq = [0, 0, 0, 0, 0, 0, 0, 1];
        var inner = Hash(secret, Enumerable.Repeat((byte)0x36, padLength).ToArray(), seq, [23], [0, (byte)content.Length], content);
        var expected = Hash(secret, Enumerable.Repeat((byte)0x5c, padLength).ToArray(), inner);

        Assert.Equal(content, body[..content.Length]);
        Assert.Equal(expected, body[content.Length..(content.Length + macLength)]);
        int padding = body[^1];
        Assert.True(padding < 8, "SSL 3.0 padding is shorter than a block");
        Assert.Equal(body.Length, content.Length + macLength + padding + 1);
    }
}
