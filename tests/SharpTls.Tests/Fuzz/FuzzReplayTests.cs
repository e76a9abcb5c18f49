using System.Text;
using SharpTls.Diagnostics;
using SharpTls.Fuzz;

namespace SharpTls.Tests.Fuzz;

/// <summary>
/// Replays the committed fuzzing corpus (fuzz/corpus) and every crash ever found (fuzz/crashes) through the AFL++
/// harnesses, so a fixed crash stays fixed and CI runs each harness's invariant on real inputs (issue 10).
/// </summary>
public class FuzzReplayTests
{
    public static TheoryData<string> HarnessNames() => [.. Harnesses.All.Keys];

    [Theory]
    [MemberData(nameof(HarnessNames))]
    public void CorpusAndCrashesKeepTheInvariant(string harness)
    {
        string root = Path.Combine(AppContext.BaseDirectory, "fuzz");
        var inputs = new[] { "corpus", "crashes" }
            .Select(kind => Path.Combine(root, kind, harness))
            .Where(Directory.Exists)
            .SelectMany(Directory.EnumerateFiles)
            .ToList();
        Assert.Contains(inputs, f => f.Contains(Path.Combine("corpus", harness), StringComparison.Ordinal));
        foreach (string input in inputs)
        {
            var bytes = File.ReadAllBytes(input);
            var run = Record.Exception(() => Harnesses.All[harness](bytes));
            Assert.True(run is null, $"{Path.GetRelativePath(root, input)}: {run}");
        }
    }

    /// <summary>
    /// The dissect corpus's CompressedCertificate seeds (fuzz/SharpTls.Fuzz/Seeds.cs) take the harness into the dissector's
    /// certificate inflation (RFC 8879) for each algorithm: the certificate is inflated and shown, so a campaign starts there.
    /// </summary>
    [Theory]
    [InlineData("zlib", 1)]
    [InlineData("brotli", 2)]
    [InlineData("zstd", 3)]
    public void DissectSeedsReachTheCertificateInflation(string algorithm, int code)
    {
        var bytes = File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "fuzz", "corpus", "dissect", $"compressed-certificate-{algorithm}.s2c.bin"));
        var text = new StringBuilder();
        foreach (var node in Dissector.DissectStream(bytes, DissectorDirection.ServerToClient)) node.WriteText(text, 0);
        string s = text.ToString();
        Assert.Contains($"Algorithm: {algorithm} ({code})", s);
        Assert.Contains("decompressed): Certificate", s);
        Assert.Contains("Certificate: CN=fuzz.test (issuer: CN=SharpTls Fuzz CA)", s);
        Assert.DoesNotContain("[Not decompressed", s);
        Assert.DoesNotContain("[Malformed", s);
    }
}
