using System.Text.Json;
using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Scanners;

/// <summary>
/// The scanner administrators run: Debian's testssl.sh against the real <c>sharptls listen</c> process with its default
/// settings (RSA certificate). Every finding testssl rates LOW or worse must be on the list below with the reason it is
/// accepted; a new one fails the test. The vulnerability checks the issues name must be present and rated OK.
/// </summary>
public class TestSslScanTests
{
    /// <summary>Findings accepted, and why.</summary>
    private static readonly Dictionary<string, string> Accepted = new()
    {
        // Schannel's defaults, which the seeds' clients need: AES-CBC suites stay on, last in the server's order (issue 9).
        ["cipherlist_AVERAGE"] = "CBC suites offered, after every forward-secret AEAD suite",
        // testssl's blanket rule for any server with CBC suites ("potentially vulnerable ... check patches"); our MAC and
        // padding check does the same work whatever the padding (Records/RecordMac.cs, issue 7 item 7).
        ["LUCKY13"] = "heuristic: reported whenever CBC is offered",
    };

    /// <summary>Checks that must run and pass (severity OK).</summary>
    private static readonly string[] MustBeOk =
        ["heartbleed", "CCS", "ticketbleed", "ROBOT", "secure_renego", "secure_client_renego", "CRIME_TLS", "POODLE_SSL",
         "fallback_SCSV", "SWEET32", "FREAK", "DROWN", "BEAST", "RC4", "SSLv2", "SSLv3"];

    [Fact]
    public async Task DefaultListenHasNoNewFinding()
    {
        var pki = TestPki.Shared;
        int port = Ports.Free();
        string cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");
        await using var listen = PeerProcess.Start("dotnet", [cli, "listen", "--port", port.ToString(), "--cert", pki.ServerRsa.FullChainPath, "--key", pki.ServerRsa.KeyPath],
            new PeerProcessOptions { DisplayName = "sharptls listen", HardTimeout = TimeSpan.FromMinutes(6) });
        await Ports.WaitUntilListeningAsync(port, listen, TimeSpan.FromSeconds(30));

        string json = Path.Combine(Path.GetTempPath(), $"testssl-{Guid.NewGuid():N}.json");
        await using var scan = PeerProcess.Start(PeerProcess.Require("testssl"),
            ["--quiet", "--color", "0", "--warnings", "off", "--jsonfile", json, "-p", "-s", "-U", "-R", $"{Ports.Loopback}:{port}"],
            new PeerProcessOptions { DisplayName = "testssl.sh", HardTimeout = TimeSpan.FromMinutes(5) });
        int exit = await scan.WaitForExitAsync(TimeSpan.FromMinutes(5));
        Assert.True(File.Exists(json), $"testssl wrote no JSON (exit {exit}):\n{scan.Output}");

        var findings = JsonDocument.Parse(File.ReadAllText(json)).RootElement.EnumerateArray()
            .Select(f => (Id: f.GetProperty("id").GetString()!, Severity: f.GetProperty("severity").GetString()!, Finding: f.GetProperty("finding").GetString()!))
            .ToList();
        File.Delete(json);
        Assert.DoesNotContain(findings, f => f.Severity == "FATAL");
        var bad = findings.Where(f => f.Severity is "LOW" or "MEDIUM" or "HIGH" or "CRITICAL" && !Accepted.ContainsKey(f.Id)).ToList();
        Assert.True(bad.Count == 0, "new testssl findings:\n" + string.Join("\n", bad.Select(f => $"{f.Id} {f.Severity}: {f.Finding}")));
        foreach (string id in MustBeOk)
        {
            var check = findings.FirstOrDefault(f => f.Id == id);
            Assert.True(check.Id is not null, $"testssl did not report {id}:\n{scan.Output}");
            Assert.True(check.Severity == "OK", $"{id}: {check.Severity} {check.Finding}");
        }
        Assert.Contains(findings, f => f.Id == "TLS1_3" && f.Finding.StartsWith("offered", StringComparison.Ordinal));
    }
}
