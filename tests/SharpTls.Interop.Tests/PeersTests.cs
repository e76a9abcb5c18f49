using System.Diagnostics;

namespace SharpTls.Interop.Tests;

/// <summary>Every peer the interop tests use must be installed: a missing peer fails the run.</summary>
[Trait("Category", "PeerHarness")] // never touches SharpTls: counted apart from the interop tests (scripts/test.sh)
public class PeersTests
{
    [Theory]
    [InlineData("openssl", "version")]
    [InlineData("gnutls-cli", "--version")]
    [InlineData("curl", "--version")]
    [InlineData("python3", "--version")]
    [InlineData("tshark", "--version")]
    public void PeerIsInstalled(string program, string arg)
    {
        var psi = new ProcessStartInfo(program, arg) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.Equal(0, p.ExitCode);
        Assert.False(string.IsNullOrWhiteSpace(output));
    }
}
