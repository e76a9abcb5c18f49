using System.Diagnostics;
using System.Text.Json;

namespace SharpTls.Tests.Bench;

/// <summary>
/// Runs the side-by-side benchmark harness in --quick mode (bench/SharpTls.Benchmarks -- all --quick)
/// so it never rots: every server must start, serve, and get figures. No timing is asserted, only that
/// there is a figure. A missing peer (nginx, openssl) fails the run, and so this test.
/// </summary>
public class QuickBenchmarkTests
{
    private static readonly string[] Servers = ["SharpTls", "Kestrel+SslStream", "nginx", "openssl s_server"];

    [Fact]
    public void QuickRunHasFiguresForEveryServer()
    {
        string root = RepoRoot();
        string project = Path.Combine(root, "bench", "SharpTls.Benchmarks");
        string outDir = Directory.CreateTempSubdirectory("sharptls-quick-test-").FullName;
        try
        {
            Run("dotnet", ["build", project, "-c", "Release", "-nologo", "-v", "quiet"], root, TimeSpan.FromMinutes(8));
            string dll = Path.Combine(project, "bin", "Release", "net10.0", "SharpTls.Benchmarks.dll");
            string output = Run("dotnet", [dll, "all", "--quick", "--out", outDir], root, TimeSpan.FromMinutes(4));

            // The printed table has one summary row per server.
            foreach (var s in Servers)
                Assert.Contains($"| {s} |", output);
            Assert.True(File.Exists(Path.Combine(outDir, "RESULTS.md")));
            Assert.True(new FileInfo(Path.Combine(outDir, "handshake-cpu.png")).Length > 1000, "chart not drawn");

            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "results.json")));
            var rows = json.RootElement.GetProperty("Rows").EnumerateArray().ToList();
            JsonElement Cell(string scenario, string server)
            {
                var row = rows.Single(r => r.GetProperty("Scenario").GetString() == scenario);
                Assert.True(row.GetProperty("Cells").TryGetProperty(server, out var cell), $"{scenario}: no cell for {server}");
                return cell;
            }
            static double Number(JsonElement cell, string name, string what)
            {
                var v = cell.GetProperty(name);
                Assert.True(v.ValueKind == JsonValueKind.Number, $"{what}: no {name} ({cell})");
                return v.GetDouble();
            }

            foreach (var s in Servers)
            {
                var hs = Cell("TLS 1.3 full, X25519 + ECDSA P-256", s);
                Assert.True(Number(hs, "Value", $"{s} handshake CPU") > 0, $"{s}: handshake CPU not positive");
                Assert.True(Number(hs, "Rate", $"{s} conn/s") > 0, $"{s}: conn/s not positive");
                var rsa = Cell("TLS 1.3 full, X25519 + RSA-2048", s);
                Assert.True(Number(rsa, "Value", $"{s} RSA handshake CPU") > 0, $"{s}: RSA handshake CPU not positive");
                var bulk = Cell("TLS 1.3 AES-128-GCM", s);
                Assert.True(Number(bulk, "Value", $"{s} bulk CPU") >= 0, $"{s}: bulk CPU negative");
                Assert.True(Number(bulk, "Rate", $"{s} MB/s") > 0, $"{s}: MB/s not positive");
                var resumed = Cell("TLS 1.3 resumed (ticket, psk_dhe_ke X25519)", s);
                Assert.True(Number(resumed, "Rate", $"{s} resumed conn/s") > 0);
            }
            // The plain-TCP row (issue 11): the same server process over plain HTTP, a figure for every server with a plain
            // mode, a reason for s_server (it has none); each TLS row's TLS share is that row minus this one.
            var plainServers = new[] { "SharpTls", "Kestrel+SslStream", "nginx" };
            const string plainRow = "plain TCP: accept, GET 1 KB, close (no TLS)";
            foreach (var s in plainServers)
            {
                var plain = Cell(plainRow, s);
                Assert.True(Number(plain, "Value", $"{s} plain TCP CPU") >= 0, $"{s}: plain-TCP CPU negative");
                Assert.True(Number(plain, "Rate", $"{s} plain conn/s") > 0, $"{s}: plain-TCP conn/s not positive");
            }
            Assert.Contains("no plain-HTTP mode", Cell(plainRow, "openssl s_server").GetProperty("Note").GetString());
            var shares = json.RootElement.GetProperty("TlsShare").EnumerateArray().ToList();
            var ecdsaShare = shares.Single(r => r.GetProperty("Scenario").GetString() == "TLS 1.3 full, X25519 + ECDSA P-256").GetProperty("Cells");
            foreach (var s in plainServers)
            {
                double expected = Number(Cell("TLS 1.3 full, X25519 + ECDSA P-256", s), "Value", s) - Number(Cell(plainRow, s), "Value", s);
                Assert.Equal(expected, Number(ecdsaShare.GetProperty(s), "Value", $"{s} TLS share"), 2);
            }
            Assert.Equal(JsonValueKind.Null, ecdsaShare.GetProperty("openssl s_server").GetProperty("Value").ValueKind);
            Assert.Contains("| plain TCP: accept, GET 1 KB, close (no TLS) |", output);
            Assert.Contains("### TLS share:", output);

            foreach (var s in Servers.Where(s => s != "openssl s_server"))
                foreach (var idle in new[]
                {
                    "idle TLS 1.3 connection (X25519 + ECDSA)",
                    "idle TLS 1.3 connection (X25519 + RSA-2048 chain of two)",
                    "idle TLS 1.3 connection (RSA-2048 chain of two, RSA-2048 client certificate)",
                })
                    Assert.True(Number(Cell(idle, s), "Value", $"{s} {idle}") > 0, $"{s}: {idle}: memory not positive");

            // Stalled handshakes (issue 10): a figure per concurrent server, read with every connection still open.
            foreach (var s in Servers.Where(s => s != "openssl s_server"))
                foreach (var row in rows.Where(r => r.GetProperty("Section").GetString() == "Stall"))
                {
                    string scenario = row.GetProperty("Scenario").GetString()!;
                    var cell = Cell(scenario, s);
                    Number(cell, "Value", $"{s} {scenario}");
                    Assert.Equal(200, Number(cell, "Rate", $"{s} {scenario} connections"));
                    Assert.DoesNotContain("closed", cell.GetProperty("Note").GetString() ?? "");
                }

            // TLS 1.2: every server, SharpTls included, is measured. A cell is a number, or has no number and
            // says why (a refusal, a failure): never an empty cell, never a number with nothing behind it.
            foreach (var row in rows.Where(r => r.GetProperty("Scenario").GetString()!.StartsWith("TLS 1.2 ", StringComparison.Ordinal)))
                foreach (var s in Servers)
                {
                    var cell = Cell(row.GetProperty("Scenario").GetString()!, s);
                    var value = cell.GetProperty("Value");
                    if (value.ValueKind == JsonValueKind.Number)
                        Assert.True(value.GetDouble() >= 0, $"{s} {row}: negative figure");
                    else
                        Assert.False(string.IsNullOrWhiteSpace(cell.GetProperty("Note").GetString()), $"{s} {row}: no figure and no reason");
                }
            foreach (var s in Servers)
                Assert.True(Number(Cell("TLS 1.2 full, ECDHE-ECDSA (X25519)", s), "Rate", $"{s} TLS 1.2") > 0);
            // SharpTls implements every TLS 1.2 row (issue 9): each has a figure, none a reason instead.
            foreach (string scenario in new[] { "TLS 1.2 full, ECDHE-RSA (X25519)", "TLS 1.2 full, RSA key transport (RSA-2048)",
                         "TLS 1.2 AES-128-GCM", "TLS 1.2 AES-128-CBC-SHA256 (encrypt_then_mac)" })
                Assert.True(Number(Cell(scenario, "SharpTls"), "Rate", $"SharpTls {scenario}") > 0, $"SharpTls {scenario}: no rate");
        }
        finally
        {
            Directory.Delete(outDir, true);
        }
    }

    private static string Run(string file, string[] args, string workDir, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            Assert.Fail($"{file} {string.Join(' ', args)} did not finish within {timeout}");
        }
        string output = stdout.Result + stderr.Result;
        Assert.True(p.ExitCode == 0, $"{file} {string.Join(' ', args)} exited {p.ExitCode}:\n{output}");
        return output;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SharpTls.slnx"))) return d.FullName;
        throw new DirectoryNotFoundException("SharpTls.slnx not found above " + AppContext.BaseDirectory);
    }
}
