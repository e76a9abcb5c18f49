using System.Xml.Linq;
using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Scanners;

/// <summary>
/// Debian's sslscan (2.0.x, on the system OpenSSL) against the real <c>sharptls listen</c> process, with its default settings
/// (RSA certificate) and with every legacy switch on. sslscan's results (its XML report, plus the fallback line of its text
/// output, which the XML lacks) become findings; every finding must be on the run's list below with the reason it is
/// accepted, so a new one fails the test.
/// <para>
/// Two facts about sslscan that explain its report: it tests renegotiation with a TLS 1.0-only client
/// (<c>TLSv1_client_method</c>), so a server without TLS 1.0 is reported "Session renegotiation not supported" (as are
/// most TLS 1.2/1.3 servers); with the tls1.0 switch on it reports secure renegotiation. And its group and signature
/// probes parse the server's flight one handshake message per record, as OpenSSL writes it: while our TLS 1.2 server
/// coalesced ServerHello..ServerHelloDone into one record (RFC 5246 §6.2.1 allows it) every probe waited for sslscan's
/// 3 s timeout, gave up with handshake_failure at ExpectClientKeyExchange and listed no TLS 1.2 group; since the flight
/// goes one message per record, the TLS 1.2 groups are listed, which this test requires.
/// </para>
/// </summary>
public class SslScanTests
{
    /// <summary>Findings accepted with the default settings, and why.</summary>
    private static readonly Dictionary<string, string> Accepted = new()
    {
        ["renegotiation not supported"] = "sslscan tries renegotiation with a TLS 1.0-only client; TLS 1.0 is off by default (with it on: secure renegotiation)",
        // The probe offers only 0xfdff in signature_algorithms and every suite: RSA key transport needs no ServerKeyExchange
        // signature, so it is chosen (OpenSSL refuses any suite then; Go chooses RSA key transport as we do).
        ["TLSv1.2 accepts any signature algorithm"] = "RSA key transport (enabled by default, last in our order) makes no handshake signature",
    };

    /// <summary>With <c>--protocols ssl3,tls1.0,tls1.1,tls1.2,tls1.3</c>: what switching the legacy protocols on means by definition.</summary>
    private static readonly Dictionary<string, string> AcceptedWithLegacy = new()
    {
        ["TLSv1.2 accepts any signature algorithm"] = Accepted["TLSv1.2 accepts any signature algorithm"],
        ["protocol SSLv3 enabled"] = "the ssl3 switch is on",
        ["protocol TLSv1.0 enabled"] = "the tls1.0 switch is on",
        ["protocol TLSv1.1 enabled"] = "the tls1.1 switch is on",
        ["cipher TLSv1.1 TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA medium"] = "3DES_EDE_CBC at TLS 1.1 and older only (legacy mode), last in the server's order",
        ["cipher TLSv1.1 TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA medium"] = "3DES_EDE_CBC at TLS 1.1 and older only (legacy mode)",
        ["cipher TLSv1.1 TLS_RSA_WITH_3DES_EDE_CBC_SHA medium"] = "3DES_EDE_CBC at TLS 1.1 and older only (legacy mode)",
        ["cipher TLSv1.0 TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA medium"] = "3DES_EDE_CBC at TLS 1.1 and older only (legacy mode)",
        ["cipher TLSv1.0 TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA medium"] = "3DES_EDE_CBC at TLS 1.1 and older only (legacy mode)",
        ["cipher TLSv1.0 TLS_RSA_WITH_3DES_EDE_CBC_SHA medium"] = "3DES_EDE_CBC at TLS 1.1 and older only (legacy mode)",
    };

    [Fact]
    public async Task DefaultListenHasNoNewFinding()
    {
        var report = await ScanAsync([], Accepted);
        Assert.Contains(report.Protocols, p => p == "TLSv1.3");
        Assert.DoesNotContain(report.Protocols, p => p is "SSLv3" or "TLSv1.0" or "TLSv1.1");
    }

    [Fact]
    public async Task ListenWithEveryLegacySwitchOnHasNoNewFinding()
    {
        var report = await ScanAsync(["--protocols", "ssl3,tls1.0,tls1.1,tls1.2,tls1.3"], AcceptedWithLegacy);
        foreach (string version in new[] { "SSLv3", "TLSv1.0", "TLSv1.1", "TLSv1.2", "TLSv1.3" })
            Assert.Contains(version, report.Protocols);
        // sslscan's TLS 1.0 client renegotiates: secure renegotiation (RFC 5746), never insecure.
        Assert.True(report.SecureRenegotiation, "sslscan did not see secure renegotiation with TLS 1.0 on");
    }

    private sealed record Report(List<string> Findings, List<string> Protocols, bool SecureRenegotiation);

    private static async Task<Report> ScanAsync(string[] listenArgs, Dictionary<string, string> accepted)
    {
        var (listenProcess, port) = await ScannedListen.StartAsync(listenArgs, TimeSpan.FromMinutes(4));
        await using var listen = listenProcess;

        string xml = Path.Combine(Path.GetTempPath(), $"sslscan-{Guid.NewGuid():N}.xml");
        await using var scan = PeerProcess.Start(PeerProcess.Require("sslscan"),
            ["--no-colour", "--show-sigs", $"--xml={xml}", $"{Ports.Loopback}:{port}"],
            new PeerProcessOptions { DisplayName = "sslscan", HardTimeout = TimeSpan.FromMinutes(3) });
        int exit = await scan.WaitForExitAsync(TimeSpan.FromMinutes(3));
        Assert.True(File.Exists(xml), $"sslscan wrote no XML (exit {exit}):\n{scan.Output}");
        var test = XDocument.Load(xml).Root!.Element("ssltest") ?? throw new InvalidOperationException($"no <ssltest> in sslscan's XML:\n{scan.Output}");
        File.Delete(xml);

        var findings = new List<string>();
        var protocols = new List<string>();
        foreach (var p in test.Elements("protocol"))
        {
            string name = (string)p.Attribute("type")! == "ssl" ? $"SSLv{(string)p.Attribute("version")!}" : $"TLSv{(string)p.Attribute("version")!}";
            if ((string)p.Attribute("enabled")! != "1") continue;
            protocols.Add(name);
            if (name is "SSLv2" or "SSLv3" or "TLSv1.0" or "TLSv1.1") findings.Add($"protocol {name} enabled");
        }
        var renegotiation = test.Element("renegotiation") ?? throw new InvalidOperationException($"sslscan did not test renegotiation:\n{scan.Output}");
        bool supported = (string)renegotiation.Attribute("supported")! == "1", secure = (string)renegotiation.Attribute("secure")! == "1";
        if (supported && !secure) findings.Add("insecure renegotiation");
        if (!supported) findings.Add("renegotiation not supported");
        if (!scan.Output.Contains("Server supports TLS Fallback SCSV", StringComparison.Ordinal)) findings.Add("no TLS_FALLBACK_SCSV");
        foreach (var c in test.Elements("compression"))
            if ((string?)c.Attribute("supported") == "1") findings.Add("compression");
        foreach (var h in test.Elements("heartbleed"))
            if ((string)h.Attribute("vulnerable")! != "0") findings.Add($"heartbleed {(string)h.Attribute("sslversion")!}");
        var ciphers = test.Elements("cipher").ToList();
        Assert.NotEmpty(ciphers);
        foreach (var c in ciphers)
            if ((string)c.Attribute("strength")! is not ("strong" or "acceptable"))
                findings.Add($"cipher {(string)c.Attribute("sslversion")!} {(string)c.Attribute("cipher")!} {(string)c.Attribute("strength")!}");
        var groups = test.Elements("group").ToList();
        foreach (var g in groups)
            if (int.Parse((string)g.Attribute("bits")!, System.Globalization.CultureInfo.InvariantCulture) < 128)
                findings.Add($"group {(string)g.Attribute("sslversion")!} {(string)g.Attribute("name")!} below 128 bits");
        foreach (var s in test.Elements("connection-signature-algorithm"))
        {
            string name = (string)s.Attribute("name")!;
            if (name == "ANY") findings.Add($"{(string)s.Attribute("sslversion")!} accepts any signature algorithm");
            else if (name.Contains("sha1", StringComparison.OrdinalIgnoreCase) || name.Contains("md5", StringComparison.OrdinalIgnoreCase))
                findings.Add($"signature {(string)s.Attribute("sslversion")!} {name}");
        }
        foreach (var cert in test.Descendants("certificate"))
        {
            if ((string?)cert.Element("expired") == "true") findings.Add("certificate expired");
            if (cert.Element("pk") is { } pk && (string?)pk.Attribute("type") == "RSA" && int.Parse((string)pk.Attribute("bits")!, System.Globalization.CultureInfo.InvariantCulture) < 2048)
                findings.Add("RSA key below 2048 bits");
            string algorithm = (string?)cert.Element("signature-algorithm") ?? "";
            if (algorithm.Contains("sha1", StringComparison.OrdinalIgnoreCase) || algorithm.Contains("md5", StringComparison.OrdinalIgnoreCase))
                findings.Add($"certificate signed with {algorithm}");
        }

        var bad = findings.Where(f => !accepted.ContainsKey(f)).ToList();
        Assert.True(bad.Count == 0, "new sslscan findings:\n" + string.Join("\n", bad) + "\n\n" + scan.Output);
        // Our TLS 1.2 server chooses X25519 and the NIST curves: sslscan must list them (it listed none while the flight was one record).
        foreach (string group in new[] { "x25519", "secp256r1 (NIST P-256)", "secp384r1 (NIST P-384)" })
            Assert.Contains(groups, g => (string)g.Attribute("sslversion")! == "TLSv1.2" && (string)g.Attribute("name")! == group);
        Assert.Contains(groups, g => (string)g.Attribute("sslversion")! == "TLSv1.3" && (string)g.Attribute("name")! == "x25519");
        return new Report(findings, protocols, supported && secure);
    }
}
