using System.Security.Cryptography;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Records;

/// <summary>
/// The Lucky Thirteen countermeasure (RFC 5246 §6.2.3.2's timing note; AlFardan and Paterson 2013) of a
/// MAC-then-encrypt CBC record: whatever the secret padding length, the MAC makes the same number of calls
/// into the hash and the same number of compression blocks. Counted through <see cref="RecordMac.Work"/>,
/// not timed.
/// </summary>
public class RecordMacWorkTests
{
    [Theory]
    [InlineData("Md5", false)]
    [InlineData("Sha1", false)]
    [InlineData("Sha256", false)]
    [InlineData("Sha384", false)]
    [InlineData("Md5", true)]
    [InlineData("Sha1", true)]
    public void Work_does_not_depend_on_the_padding_length(string algorithmName, bool ssl3)
    {
        var algorithm = Enum.Parse<MacAlgorithm>(algorithmName);
        int macLength = algorithm switch { MacAlgorithm.Md5 => 16, MacAlgorithm.Sha1 => 20, MacAlgorithm.Sha256 => 32, _ => 48 };
        using var mac = new RecordMac(algorithm, Enumerable.Range(1, macLength).Select(i => (byte)i).ToArray(), ssl3);
        // A 1,024-byte plaintext area: content + MAC + padding + padding length byte; every padding length 0..255.
        int n = 1024;
        int maxContentLength = n - 1 - macLength;
        byte[] record = RandomNumberGenerator.GetBytes(n);
        var seen = new HashSet<(int Calls, long Blocks)>();
        Span<byte> constant = stackalloc byte[macLength];
        Span<byte> plain = stackalloc byte[macLength];
        for (int padLength = 0; padLength <= 255; padLength++)
        {
            int contentLength = n - padLength - 1 - macLength;
            var work = new HashWork();
            mac.Work = work;
            mac.ComputeConstantWork(7, ContentType.ApplicationData, 0x0303, record, contentLength, maxContentLength, constant);
            mac.Work = null;
            seen.Add((work.Calls, work.Blocks));

            // And it is still the MAC of the real content.
            mac.Compute(7, ContentType.ApplicationData, 0x0303, record.AsSpan(0, contentLength), plain);
            Assert.True(constant.SequenceEqual(plain), $"padding {padLength}: the constant-work MAC differs from the MAC");
        }
        var only = Assert.Single(seen);
        Assert.True(only.Blocks > maxContentLength / (algorithm == MacAlgorithm.Sha384 ? 128 : 64), "the dummy blocks were not counted");
    }

    [Fact]
    public void A_plain_mac_is_counted_by_its_length()
    {
        // The counter itself sees length: without the countermeasure, the work follows the content length.
        using var mac = new RecordMac(MacAlgorithm.Sha256, new byte[32], ssl3: false);
        var blocks = new List<long>();
        byte[] output = new byte[32];
        foreach (int length in new[] { 0, 500, 1000 })
        {
            var work = new HashWork();
            mac.Work = work;
            mac.Compute(0, ContentType.ApplicationData, 0x0303, new byte[length], output);
            blocks.Add(work.Blocks);
        }
        Assert.Equal(blocks.Distinct().Count(), blocks.Count);
    }
}
