using System.Text.Json;
using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Scanners;

/// <summary>
/// The scanner administrators run: Debian's testssl.sh against the real <c>sharptls listen</c> process with its default
/// settings (RSA certificate), and again with every legacy switch on. Every finding testssl rates LOW or worse must be on
/// the run's list below with the reason it is accepted; a new one fails the test. The vulnerability checks the issues
/// name must be present and rated OK.
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

    /// <summary>
    /// With <c>--protocols ssl3,tls1.0,tls1.1,tls1.2,tls1.3</c>: what the default run accepts, plus what switching the
    /// legacy protocols on means by definition. Nothing else may appear.
    /// </summary>
    private static readonly Dictionary<string, string> AcceptedWithLegacy = new(Accepted)
    {
        ["SSLv3"] = "offered: the ssl3 switch is on (testssl rates any SSL 3.0 HIGH)",
        ["TLS1"] = "offered: the tls1.0 switch is on (deprecated by RFC 8996)",
        ["TLS1_1"] = "offered: the tls1.1 switch is on (deprecated by RFC 8996)",
        ["POODLE_SSL"] = "by definition with SSL 3.0 on: its CBC padding is not covered by the MAC (RFC 7568); the switch is the opt-in",
        ["cipherlist_3DES_IDEA"] = "3DES_EDE_CBC, negotiated at TLS 1.1 and older only (legacy mode), last in the server's order",
        ["SWEET32"] = "3DES's 64-bit blocks, at TLS 1.1 and older only (legacy mode)",
        ["BEAST_CBC_SSL3"] = "testssl lists every SSL 3.0 CBC suite: BEAST is a client-side attack; our client splits records 1/n-1",
        ["BEAST_CBC_TLS1"] = "testssl lists every TLS 1.0 CBC suite: BEAST is a client-side attack; our client splits records 1/n-1",
        ["BEAST"] = "reported for any server offering CBC at TLS 1.0 (testssl itself says 'likely mitigated' as TLS 1.1+ is offered)",
    };

    /// <summary>The checks that must still pass with every legacy switch on (POODLE, SWEET32, BEAST and SSLv3 are accepted findings there).</summary>
    private static readonly string[] MustBeOkWithLegacy =
        ["heartbleed", "CCS", "ticketbleed", "ROBOT", "secure_renego", "secure_client_renego", "CRIME_TLS", "fallback_SCSV", "FREAK", "DROWN",
         "LOGJAM", "RC4", "SSLv2"];

    [Fact]
    public async Task DefaultListenHasNoNewFinding()
    {
        var findings = await ScanAsync([], Accepted, MustBeOk);
        Assert.Contains(findings, f => f.Id == "TLS1_3" && f.Finding.StartsWith("offered", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListenWithEveryLegacySwitchOnHasNoNewFinding()
    {
        var findings = await ScanAsync(["--protocols", "ssl3,tls1.0,tls1.1,tls1.2,tls1.3"], AcceptedWithLegacy, MustBeOkWithLegacy);
        foreach (string id in new[] { "SSLv3", "TLS1", "TLS1_1", "TLS1_2", "TLS1_3" })
            Assert.Contains(findings, f => f.Id == id && f.Finding.StartsWith("offered", StringComparison.Ordinal));
    }

    private static async Task<List<(string Id, string Severity, string Finding)>> ScanAsync(string[] listenArgs, Dictionary<string, string> accepted, string[] mustBeOk)
    {
        var (listenProcess, port) = await ScannedListen.StartAsync(listenArgs, TimeSpan.FromMinutes(6));
        await using var listen = listenProcess;

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
        var bad = findings.Where(f => f.Severity is "LOW" or "MEDIUM" or "HIGH" or "CRITICAL" && !accepted.ContainsKey(f.Id)).ToList();
        Assert.True(bad.Count == 0, "new testssl findings:\n" + string.Join("\n", bad.Select(f => $"{f.Id} {f.Severity}: {f.Finding}")));
        foreach (string id in mustBeOk)
        {
            var check = findings.FirstOrDefault(f => f.Id == id);
            Assert.True(check.Id is not null, $"testssl did not report {id}:\n{scan.Output}");
            Assert.True(check.Severity == "OK", $"{id}: {check.Severity} {check.Finding}");
        }
        return findings;
    }
}
