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
}
