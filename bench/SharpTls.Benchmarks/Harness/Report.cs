using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace SharpTls.Benchmarks.Harness;

/// <summary>The tables (Markdown, printed and written to RESULTS.md), results.json and the chart.</summary>
internal sealed class Report(IReadOnlyList<ServerUnderTest> servers, IReadOnlyList<Row> rows, CryptoFloor floor, RunSize size, Report.RunEnvironment env)
{
    internal sealed record RunEnvironment(string Machine, string Date, Dictionary<string, string> Versions, string Limits, string Client, string Load = "");

    private const string Subject = "SharpTls";
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>The other stacks (the `sharptls` command is SharpTls too: shown beside, not divided by).</summary>
    private IEnumerable<ServerUnderTest> Peers => servers.Where(s => s.Name != Subject && s is not CliUnderTest);

    public string Markdown()
    {
        var md = new StringBuilder();
        md.AppendLine("# SharpTls benchmark results");
        md.AppendLine();
        md.AppendLine($"Written by `dotnet run -c Release --project bench/SharpTls.Benchmarks -- all{(size.Quick ? " --quick" : "")}` on {env.Date}.");
        md.AppendLine();
        md.AppendLine($"- Machine: {env.Machine}");
        foreach (var (k, v) in env.Versions) md.AppendLine($"- {k}: {v}");
        md.AppendLine($"- Neutral client: {env.Client}");
        md.AppendLine($"- Open files: {env.Limits}");
        md.AppendLine($"- Load average (1/5/15 min) {env.Load}: the machine is shared; wall-clock figures (conn/s, MB/s) suffer from other load, CPU-time figures much less.");
        md.AppendLine($"- Sizes: {size.Handshakes} connections per handshake figure (after {size.Warmup} warm-up connections {(size.Quick ? "in all" : "per handshake scenario")}, TLS 1.3 and 1.2 round-robin, and at least {size.WarmupTime.TotalSeconds:0.#} s), at least {size.BulkResponses} x 1 MB per bulk figure (keep-alive cells go on until the server used 2 s of CPU, at most ten times as many), {size.IdleConnections} idle connections for memory.");
        md.AppendLine();
        md.AppendLine("All servers run on 127.0.0.1 with the same test-CA certificates (ECDSA P-256, RSA-2048) and serve the same");
        md.AppendLine("1 KB and 1 MB files. Server CPU is utime+stime of the server process (nginx: its one worker) from");
        md.AppendLine("/proc/PID/stat, read before and after the connections, divided by their number: it includes TCP accept,");
        md.AppendLine("one GET of 1 KB and the close, not the client's work. conn/s is wall clock with one sequential client,");
        md.AppendLine("so it includes the client's CPU and loopback latency; compare servers by CPU. The crypto floor is the");
        md.AppendLine("server's key-share response (key generation + agreement) and one CertificateVerify signature, timed in");
        md.AppendLine("process with the primitives SharpTls uses (its default provider: libcrypto X25519 and ECDH P-256 where it loads, BouncyCastle ML-KEM; BCL ECDSA/RSA-PSS).");
        md.AppendLine();
        md.AppendLine("## Summary (one row per server)");
        md.AppendLine();
        md.AppendLine(SummaryTable());
        md.AppendLine("## Handshakes: server CPU µs per connection (connections/s)");
        md.AppendLine();
        md.AppendLine(SectionTable(Section.Handshake, c => $"{F(c.Value!.Value)} µs ({F(c.Rate!.Value)}/s)", "crypto floor µs"));
        md.AppendLine($"Neutral client CPU per connection (bench process, same for every server): {ClientOverhead()}.");
        md.AppendLine();
        md.AppendLine("### TLS share: each row minus the same server's plain-TCP row, server CPU µs per connection");
        md.AppendLine();
        md.AppendLine(SectionTable(TlsShareRows(), c => $"{F(c.Value!.Value)} µs", "crypto floor µs"));
        md.AppendLine($"The plain-TCP row (\"{Runner.PlainRow}\") is the same server process on a second, plain-HTTP port: the");
        md.AppendLine("same accept, HTTP/1.1 GET of 1 KB and close, without TLS (nginx: a plain `listen` in the same worker; Kestrel: an");
        md.AppendLine("endpoint without UseHttps; SharpTls' bench server: the same accept loop and HTTP code on the NetworkStream). A TLS");
        md.AppendLine("row minus it is what TLS costs that server per connection; issue 11's goal is SharpTls' share <= 0.5x nginx's.");
        md.AppendLine();
        md.AppendLine("## Bulk: server CPU ms per MB (MB/s), 1 MB responses on one keep-alive connection");
        md.AppendLine();
        md.AppendLine(SectionTable(Section.Bulk, c => $"{F(c.Value!.Value)} ms ({F(c.Rate!.Value)} MB/s)", null));
        md.AppendLine("MB per server-CPU-second is 1000 / (ms per MB).");
        md.AppendLine();
        md.AppendLine("## Memory: resident KB per idle established connection");
        md.AppendLine();
        md.AppendLine(SectionTable(Section.Memory, c => $"{F(c.Value!.Value)} KB ({c.Rate:0} open)", null));
        md.AppendLine("VmRSS of the server process before and after opening the connections (handshake done, no request),");
        md.AppendLine($"after {size.Settle.TotalSeconds:0.#} s to settle; divided by their number. The .NET servers (SharpTls, Kestrel) run a full,");
        md.AppendLine("aggressive GC before each reading, so uncollected handshake garbage does not count; nginx has no collector.");
        md.AppendLine("The RSA rows send a chain of two RSA-2048 certificates; the client-certificate row's server asks for an optional");
        md.AppendLine("client certificate issued by the bench CA and the client sends an RSA-2048 one. `sharptls listen` and");
        md.AppendLine("`sharptls serve (host)` are the command users run (default logging; the host serves its embedded demo, ECDSA");
        md.AppendLine("only); they are collected through the runtime's diagnostics port (an EventPipe GCHeapCollect session) instead.");
        md.AppendLine();
        md.AppendLine("## Stalled handshakes: resident KB per connection that stops mid-handshake");
        md.AppendLine();
        md.AppendLine(SectionTable(Section.Stall, c => $"{F(c.Value!.Value)} KB ({c.Rate:0} open)", null));
        md.AppendLine($"{size.StalledConnections} TCP connections opened one after another and left stalled: nothing sent, half a record");
        md.AppendLine("header (2 bytes), or a whole TLS 1.3 ClientHello (X25519 key share) and then silence (the server has sent its");
        md.AppendLine("flight and waits for the client's Finished). VmRSS before and after, after a full GC in the .NET servers, divided");
        md.AppendLine("by their number, read while every connection is still open (a note says if the server had closed some).");
        md.AppendLine();
        md.AppendLine("## Crypto floor (µs per operation, in process)");
        md.AppendLine();
        md.AppendLine("| operation | µs |");
        md.AppendLine("| --- | ---: |");
        md.AppendLine($"| X25519 key share response (default provider: libcrypto where it loads, else BouncyCastle; keygen + agree) | {F(floor.X25519)} |");
        md.AppendLine($"| P-256 key share response (default provider: libcrypto where it loads, else BCL ECDiffieHellman; keygen + agree) | {F(floor.P256)} |");
        md.AppendLine($"| X25519MLKEM768 key share response (BouncyCastle) | {(floor.MlKemHybrid > 0 ? F(floor.MlKemHybrid) : "n/a")} |");
        md.AppendLine($"| ECDSA P-256 sign (BCL, key object kept) | {F(floor.EcdsaSign)} |");
        md.AppendLine($"| RSA-2048 PSS sign (BCL, key object kept) | {F(floor.RsaPssSign)} |");
        md.AppendLine($"| ECDSA P-256 sign through the X509Certificate2 (key fetched per call, as the handshake does today) | {F(floor.EcdsaSignViaCertificate)} |");
        md.AppendLine($"| RSA-2048 PSS sign through the X509Certificate2 (key fetched per call) | {F(floor.RsaSignViaCertificate)} |");
        md.AppendLine();
        md.AppendLine("![server CPU per handshake](handshake-cpu.png)");
        return md.ToString();
    }

    private string SummaryTable()
    {
        var hs = Find("TLS 1.3 full, X25519 + ECDSA P-256");
        var rsa = Find("TLS 1.3 full, X25519 + RSA-2048");
        var res = Find("TLS 1.3 resumed (ticket, psk_dhe_ke X25519)");
        var bulk = Find("TLS 1.3 AES-128-GCM");
        var mem = Rows(Section.Memory).First();
        var sb = new StringBuilder();
        sb.AppendLine("| server | TLS 1.3 X25519+ECDSA µs CPU/conn | conn/s | X25519+RSA µs CPU/conn | resumed µs CPU/conn | AES-128-GCM ms CPU/MB | MB/s | idle KB/conn | SharpTls ÷ this server (ECDSA handshake CPU, bulk CPU, memory) |");
        sb.AppendLine("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |");
        foreach (var s in servers)
        {
            string ratio = s.Name == Subject ? "1" : s is CliUnderTest ? "- (SharpTls as users run it: memory rows only)" : string.Join(", ", new[] { hs, bulk, mem }.Select(r => Ratio(r, s.Name)));
            sb.AppendLine($"| {s.Name} | {V(hs, s.Name)} | {R(hs, s.Name)} | {V(rsa, s.Name)} | {V(res, s.Name)} | {V(bulk, s.Name)} | {R(bulk, s.Name)} | {V(mem, s.Name)} | {ratio} |");
        }
        return sb.ToString();
    }

    /// <summary>
    /// The handshake rows minus the same server's plain-TCP row (its TLS share); a server without a plain-TCP figure gets a
    /// note instead of a number.
    /// </summary>
    public IReadOnlyList<Row> TlsShareRows()
    {
        var plain = rows.FirstOrDefault(r => r.Scenario.Plain);
        var shares = new List<Row>();
        foreach (var row in Rows(Section.Handshake).Where(r => !r.Scenario.Plain))
        {
            var share = new Row(row.Scenario);
            foreach (var (server, cell) in row.Cells)
            {
                if (cell.Value is not { } v)
                {
                    share.Cells[server] = new(null, null, "-");
                    continue;
                }
                share.Cells[server] = plain?.Cells.GetValueOrDefault(server)?.Value is { } p
                    ? new(Math.Round(v - p, 3), null, null)
                    : new(null, null, "no plain-TCP figure");
            }
            shares.Add(share);
        }
        return shares;
    }

    private string SectionTable(Section section, Func<Cell, string> format, string? floorHeader) => SectionTable(Rows(section), format, floorHeader);

    private string SectionTable(IEnumerable<Row> tableRows, Func<Cell, string> format, string? floorHeader)
    {
        var sb = new StringBuilder();
        sb.Append("| scenario |");
        if (floorHeader is not null) sb.Append($" {floorHeader} |");
        foreach (var s in servers) sb.Append($" {s.Name} |");
        foreach (var p in Peers) sb.Append($" SharpTls ÷ {p.Name} |");
        sb.AppendLine();
        sb.Append("| --- |");
        int cols = (floorHeader is null ? 0 : 1) + servers.Count + Peers.Count();
        for (int i = 0; i < cols; i++) sb.Append(" ---: |");
        sb.AppendLine();
        var notes = new List<string>();
        foreach (var row in tableRows)
        {
            sb.Append($"| {row.Scenario.Name} |");
            if (floorHeader is not null) sb.Append($" {(row.Scenario.Floor?.Invoke(floor) is { } f ? F(f) : "n/a")} |");
            foreach (var s in servers)
            {
                var c = row.Cells.GetValueOrDefault(s.Name);
                string text = c is null ? "not run" : c.Value is null ? c.Note ?? "-" : format(c);
                if (c is { Value: not null, Note: { } note })
                {
                    notes.Add($"{s.Name}, {row.Scenario.Name}: {note}");
                    text += $" [{notes.Count}]";
                }
                sb.Append($" {text} |");
            }
            foreach (var p in Peers) sb.Append($" {Ratio(row, p.Name)} |");
            sb.AppendLine();
        }
        if (notes.Count > 0)
        {
            sb.AppendLine();
            for (int i = 0; i < notes.Count; i++) sb.AppendLine($"[{i + 1}] {notes[i]}  ");
        }
        return sb.ToString();
    }

    private string ClientOverhead()
    {
        var per = Rows(Section.Handshake).Select(r => (r.Scenario.Name, Values: r.Cells.Values.Where(c => c.ClientMicros is not null).Select(c => c.ClientMicros!.Value).ToList()))
            .Where(x => x.Values.Count > 0)
            .Select(x => $"{x.Name}: {F(x.Values.Min())}-{F(x.Values.Max())} µs");
        return string.Join("; ", per);
    }

    private Row Find(string name) => rows.First(r => r.Scenario.Name == name);
    private IEnumerable<Row> Rows(Section s) => rows.Where(r => r.Scenario.Section == s);
    private static string V(Row r, string server) => r.Cells.GetValueOrDefault(server)?.Value is { } v ? F(v) : r.Cells.GetValueOrDefault(server)?.Note ?? "-";
    private static string R(Row r, string server) => r.Cells.GetValueOrDefault(server)?.Rate is { } v && r.Cells[server].Value is not null ? F(v) : "-";

    private static string Ratio(Row r, string peer)
    {
        var mine = r.Cells.GetValueOrDefault(Subject)?.Value;
        var theirs = r.Cells.GetValueOrDefault(peer)?.Value;
        return mine is { } m && theirs is { } t && t > 0 ? (m / t).ToString("0.00", Inv) + "x" : "-";
    }

    private static string F(double v) => v >= 100 ? v.ToString("#,0", Inv) : v >= 10 ? v.ToString("0.0", Inv) : v.ToString("0.00", Inv);

    public string Json()
    {
        var data = new
        {
            env.Date,
            env.Machine,
            env.Versions,
            Quick = size.Quick,
            Servers = servers.Select(s => s.Name).ToList(),
            Floor = floor,
            Rows = rows.Select(r => new
            {
                Section = r.Scenario.Section.ToString(),
                Scenario = r.Scenario.Name,
                FloorMicros = r.Scenario.Floor?.Invoke(floor),
                Cells = r.Cells.ToDictionary(kv => kv.Key, kv => kv.Value),
            }).ToList(),
            // Each handshake row minus the same server's plain-TCP row (µs server CPU per connection), per server.
            TlsShare = TlsShareRows().Select(r => new
            {
                Scenario = r.Scenario.Name,
                Cells = r.Cells.ToDictionary(kv => kv.Key, kv => kv.Value),
            }).ToList(),
        };
        return JsonSerializer.Serialize(data, new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>Grouped bars: server CPU per TLS 1.3 handshake by scenario and server, with the crypto floor.</summary>
    public void Chart(string path)
    {
        var plot = new ScottPlot.Plot();
        var palette = new ScottPlot.Palettes.Category10();
        var scenarios = Rows(Section.Handshake).Where(r => r.Cells.Values.Any(c => c.Value is not null)).ToList();
        var series = new List<(string Name, Func<Row, double?> Value)> { ("crypto floor (SharpTls primitives)", r => r.Scenario.Floor?.Invoke(floor)) };
        series.AddRange(servers.Select(s => (s.Name, (Func<Row, double?>)(r => r.Cells.GetValueOrDefault(s.Name)?.Value))));
        var bars = new List<ScottPlot.Bar>();
        double groupWidth = series.Count + 1;
        for (int g = 0; g < scenarios.Count; g++)
            for (int i = 0; i < series.Count; i++)
                if (series[i].Value(scenarios[g]) is { } v)
                    bars.Add(new ScottPlot.Bar { Position = g * groupWidth + i, Value = v, FillColor = palette.GetColor(i), Size = 0.9 });
        plot.Add.Bars(bars);
        plot.Axes.Bottom.SetTicks(
            scenarios.Select((_, g) => g * groupWidth + (series.Count - 1) / 2.0).ToArray(),
            scenarios.Select(r => r.Scenario.Name.Replace("TLS 1.", "1.").Replace(", ", "\n").Replace(" + ", "\n+ ").Replace(" (", "\n(")).ToArray());
        for (int i = 0; i < series.Count; i++)
            plot.Legend.ManualItems.Add(new ScottPlot.LegendItem { LabelText = series[i].Name, FillColor = palette.GetColor(i) });
        plot.ShowLegend(ScottPlot.Edge.Right);
        plot.YLabel("server CPU per connection (µs)");
        plot.Title($"Handshake cost by server ({env.Date[..10]}, {size.Handshakes} connections each)");
        plot.Axes.Margins(bottom: 0);
        plot.Axes.Bottom.MinimumSize = 90;
        plot.SavePng(path, 1400, 700);
    }

    public static RunEnvironment Describe(IReadOnlyList<ServerUnderTest> servers, (ulong Soft, ulong Hard) limits)
    {
        string cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? "?";
        string os = File.Exists("/etc/os-release")
            ? File.ReadLines("/etc/os-release").FirstOrDefault(l => l.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))?[12..].Trim('"') ?? "?"
            : RuntimeInformation.OSDescription;
        string mem = File.ReadLines("/proc/meminfo").First().Split(':')[1].Trim();
        var versions = new Dictionary<string, string>
        {
            [".NET"] = RuntimeInformation.FrameworkDescription,
        };
        foreach (var s in servers) versions[s.Name] = s.Version();
        return new(
            $"{cpu}, {Environment.ProcessorCount} CPUs, {mem} RAM, {os}, kernel {File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}",
            DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm 'UTC'", Inv),
            versions,
            $"RLIMIT_NOFILE soft {limits.Soft}, hard {limits.Hard} (raised by the harness to what the idle-connection test needs, within the hard limit); nginx worker_rlimit_nofile 12000, worker_connections 11000",
            $"OpenSSL libssl through P/Invoke in the bench process ({Ssl.Version}), one blocking connection at a time, no certificate verification; every server sees the same ClientHello for a scenario");
    }
}
