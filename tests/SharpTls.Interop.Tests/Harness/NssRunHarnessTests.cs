using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Harness;

[Trait("Category", "PeerHarness")] // never touches SharpTls: counted apart from the interop tests (scripts/test.sh)
public class NssRunHarnessTests
{
    /// <summary>
    /// The NSS interop tests' wrapper (issue 10: an NSS run failed once without its output kept): whatever fails in a
    /// test, the failure carries each peer process's command line, state and output, also of a peer that has already exited.
    /// </summary>
    [Fact]
    public async Task A_failing_test_reports_every_peer_it_started()
    {
        var e = await Assert.ThrowsAsync<PeerOutputException>(() => NssPeer.RunAsync(async nss =>
        {
            var exited = nss.Start("sh", ["-c", "echo peer-stdout-marker; echo peer-stderr-marker >&2; exit 3"], new PeerProcessOptions { DisplayName = "first peer" });
            await exited.WaitForExitAsync();
            var running = nss.Start("sh", ["-c", "echo still-running-marker; exec sleep 60"], new PeerProcessOptions { DisplayName = "second peer" });
            await running.WaitForOutputAsync("still-running-marker");
            Assert.Equal("expected", "actual");
        }));
        Assert.IsType<Xunit.Sdk.EqualException>(e.InnerException);
        Assert.Contains("EqualException", e.Message);
        Assert.Contains("first peer", e.Message);
        Assert.Contains("exited with code 3", e.Message);
        Assert.Contains("peer-stdout-marker", e.Message);
        Assert.Contains("peer-stderr-marker", e.Message);
        Assert.Contains("second peer", e.Message);
        Assert.Contains("state: running", e.Message);
        Assert.Contains("still-running-marker", e.Message);
    }
}
