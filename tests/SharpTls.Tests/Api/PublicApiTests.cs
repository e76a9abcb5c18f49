using PublicApiGenerator;

namespace SharpTls.Tests.Api;

/// <summary>
/// The engine's public surface is what a library user needs (options, connection, stream, info, events, the
/// hook's types, the dissector, the registries they mention); everything else is internal. This test compares the
/// surface with src/SharpTls/PublicApi.txt, so every change to it is deliberate: update that file in the same commit
/// (the test writes the current surface next to the test binaries as PublicApi.received.txt).
/// </summary>
public class PublicApiTests
{
    [Fact]
    public void PublicSurfaceMatchesTheCheckedInListing()
    {
        string current = typeof(TlsConnection).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            ExcludeAttributes = ["System.Runtime.Versioning.TargetFrameworkAttribute", "System.Reflection.AssemblyMetadataAttribute",
                "System.Runtime.CompilerServices.InternalsVisibleToAttribute"],
        }).ReplaceLineEndings("\n");
        string approvedPath = Path.Combine(AppContext.BaseDirectory, "PublicApi.txt");
        string approved = File.ReadAllText(approvedPath).ReplaceLineEndings("\n");
        if (current != approved)
        {
            string received = Path.Combine(AppContext.BaseDirectory, "PublicApi.received.txt");
            File.WriteAllText(received, current);
            var added = current.Split('\n').Except(approved.Split('\n')).Take(10);
            var removed = approved.Split('\n').Except(current.Split('\n')).Take(10);
            Assert.Fail($"the public API changed; if deliberate, copy {received} to src/SharpTls/PublicApi.txt.\n+ {string.Join("\n+ ", added)}\n- {string.Join("\n- ", removed)}");
        }
    }
}
