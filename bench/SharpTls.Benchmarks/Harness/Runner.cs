using System.Diagnostics;

namespace SharpTls.Benchmarks.Harness;

/// <summary>How much work each measurement does.</summary>
internal sealed record RunSize(bool Quick, int Warmup, TimeSpan WarmupTime, int Handshakes, int BulkResponses, int IdleConnections, TimeSpan CryptoPerOp, TimeSpan Settle,
    int StalledConnections)
{
    /// <summary>
    /// Warm-up is by count and by time: .NET servers start in tier-0 code and are recompiled in the
    /// background after 30 calls and a 100 ms quiet period, so a few hundred connections and some
    /// seconds pass before any figure is taken (the same rule for every server). 15 s in a full run: on a loaded machine
    /// the background compiler is slow to get a core, and with 6 s the first row measured (X25519 + ECDSA) still ran
    /// partly unoptimized code (2,000 µs against the next row's 590 on 2026-12-01, load 58).
    /// </summary>
    public static RunSize For(bool quick) => quick
        ? new(true, 100, TimeSpan.FromSeconds(1.5), 50, 16, 200, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500), 200)
        : new(false, 500, TimeSpan.FromSeconds(15), 1000, 100, 5000, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), 3000);
}

internal enum Section { Handshake, Bulk, Memory, Stall }

/// <summary>How a stalled handshake stops (issue 10, floods): nothing sent, half a record header, or a whole ClientHello.</summary>
internal enum StallKind { None, NoBytes, HalfRecordHeader, WholeClientHello }

/// <summary>One scenario (a row of the table).</summary>
/// <param name="Plain">The plain-TCP row (issue 11): the same server's plain-HTTP port, no TLS (<see cref="PlainHttpClient"/>); the
/// profile is unused.</param>
internal sealed record Scenario(Section Section, string Name, CertKind Cert, ClientProfile Profile, Func<CryptoFloor, double?>? Floor = null, StallKind Stall = StallKind.None,
    bool Plain = false);

/// <summary>One server's figure in one row: a value (µs CPU/conn, ms CPU/MB, KB/conn), a rate (conn/s, MB/s), or why there is none.</summary>
internal sealed record Cell(double? Value, double? Rate, string? Note, double? ClientMicros = null);

internal sealed class Row(Scenario scenario)
{
    public Scenario Scenario { get; } = scenario;
    public Dictionary<string, Cell> Cells { get; } = [];
}

/// <summary>Drives every server through every scenario with the neutral client.</summary>
internal sealed class Runner(Workspace ws, RunSize size, TextWriter log, IReadOnlySet<Section>? only = null)
{
    private const string Ecdsa = "ECDSA+SHA256";
    private const string RsaPss = "rsa_pss_rsae_sha256";
    private const string Aes128 = "ECDHE-ECDSA-AES128-GCM-SHA256";
    private const string Groups12 = "X25519:P-256";

    /// <summary>The plain-TCP row's name: TLS rows minus this one (same server, same process, same run) are the TLS share.</summary>
    public const string PlainRow = "plain TCP: accept, GET 1 KB, close (no TLS)";

    public static IReadOnlyList<Scenario> Scenarios { get; } =
    [
        // Measured first in the ECDSA server process, on a second, plain-HTTP port of the same server (nginx: a plain
        // `listen`; Kestrel: an endpoint without UseHttps; SharpTls' bench server: a plain accept loop with the same HTTP code).
        new(Section.Handshake, PlainRow, CertKind.Ecdsa, new("plain", Ssl.TLS1_3_VERSION, "X25519", Ecdsa), Plain: true),
        new(Section.Handshake, "TLS 1.3 full, X25519 + ECDSA P-256", CertKind.Ecdsa, new("x25519-ecdsa", Ssl.TLS1_3_VERSION, "X25519", Ecdsa), f => f.X25519 + f.EcdsaSign),
        new(Section.Handshake, "TLS 1.3 full, P-256 + ECDSA P-256", CertKind.Ecdsa, new("p256-ecdsa", Ssl.TLS1_3_VERSION, "P-256", Ecdsa), f => f.P256 + f.EcdsaSign),
        new(Section.Handshake, "TLS 1.3 full, X25519 + RSA-2048", CertKind.Rsa, new("x25519-rsa", Ssl.TLS1_3_VERSION, "X25519", RsaPss), f => f.X25519 + f.RsaPssSign),
        new(Section.Handshake, "TLS 1.3 full, X25519MLKEM768 + ECDSA P-256", CertKind.Ecdsa, new("mlkem-ecdsa", Ssl.TLS1_3_VERSION, "X25519MLKEM768", Ecdsa), f => f.MlKemHybrid > 0 ? f.MlKemHybrid + f.EcdsaSign : null),
        new(Section.Handshake, "TLS 1.3 resumed (ticket, psk_dhe_ke X25519)", CertKind.Ecdsa, new("x25519-resume", Ssl.TLS1_3_VERSION, "X25519", Ecdsa, Resume: ResumeMode.Ticket), f => f.X25519),
        // TLS 1.2 (RFC 8422 §5.1): the client's supported_groups also limits the curve of an ECDSA
        // certificate, so P-256 is offered after X25519; the key exchange still uses X25519.
        new(Section.Handshake, "TLS 1.2 full, ECDHE-ECDSA (X25519)", CertKind.Ecdsa, new("tls12-ecdsa", Ssl.TLS1_2_VERSION, Groups12, Ecdsa, Aes128), f => f.X25519 + f.EcdsaSign),
        new(Section.Handshake, "TLS 1.2 full, ECDHE-RSA (X25519)", CertKind.Rsa, new("tls12-rsa", Ssl.TLS1_2_VERSION, "X25519", RsaPss, "ECDHE-RSA-AES128-GCM-SHA256"), f => f.X25519 + f.RsaPssSign),
        // RSA key transport: no key share, no signature; the server's work is one RSA-2048 private-key operation (the
        // decryption), so the floor is one RSA-2048 private-key operation (timed as the RSA-PSS signature).
        new(Section.Handshake, "TLS 1.2 full, RSA key transport (RSA-2048)", CertKind.Rsa, new("tls12-rsakx", Ssl.TLS1_2_VERSION, "X25519", RsaPss, "AES128-GCM-SHA256"), f => f.RsaPssSign),
        new(Section.Handshake, "TLS 1.2 resumed (session ID)", CertKind.Ecdsa, new("tls12-sessionid", Ssl.TLS1_2_VERSION, Groups12, Ecdsa, Aes128, ResumeMode.SessionId), _ => 0),
        new(Section.Handshake, "TLS 1.2 resumed (ticket)", CertKind.Ecdsa, new("tls12-ticket", Ssl.TLS1_2_VERSION, Groups12, Ecdsa, Aes128, ResumeMode.Ticket), _ => 0),
        new(Section.Bulk, "TLS 1.3 AES-128-GCM", CertKind.Ecdsa, new("bulk13-aes128", Ssl.TLS1_3_VERSION, "X25519", Ecdsa, "TLS_AES_128_GCM_SHA256")),
        new(Section.Bulk, "TLS 1.3 AES-256-GCM", CertKind.Ecdsa, new("bulk13-aes256", Ssl.TLS1_3_VERSION, "X25519", Ecdsa, "TLS_AES_256_GCM_SHA384")),
        new(Section.Bulk, "TLS 1.3 ChaCha20-Poly1305", CertKind.Ecdsa, new("bulk13-chacha", Ssl.TLS1_3_VERSION, "X25519", Ecdsa, "TLS_CHACHA20_POLY1305_SHA256")),
        new(Section.Bulk, "TLS 1.2 AES-128-GCM", CertKind.Ecdsa, new("bulk12-aes128", Ssl.TLS1_2_VERSION, Groups12, Ecdsa, Aes128)),
        new(Section.Bulk, "TLS 1.2 AES-256-GCM", CertKind.Ecdsa, new("bulk12-aes256", Ssl.TLS1_2_VERSION, Groups12, Ecdsa, "ECDHE-ECDSA-AES256-GCM-SHA384")),
        // CBC: OpenSSL, the neutral client, offers encrypt_then_mac (RFC 7366) and every server here takes it.
        new(Section.Bulk, "TLS 1.2 AES-128-CBC-SHA256 (encrypt_then_mac)", CertKind.Ecdsa, new("bulk12-cbc", Ssl.TLS1_2_VERSION, Groups12, Ecdsa, "ECDHE-ECDSA-AES128-SHA256")),
        new(Section.Bulk, "TLS 1.2 ChaCha20-Poly1305", CertKind.Ecdsa, new("bulk12-chacha", Ssl.TLS1_2_VERSION, Groups12, Ecdsa, "ECDHE-ECDSA-CHACHA20-POLY1305")),
        new(Section.Memory, "idle TLS 1.3 connection (X25519 + ECDSA)", CertKind.Ecdsa, new("idle", Ssl.TLS1_3_VERSION, "X25519", Ecdsa)),
        new(Section.Memory, "idle TLS 1.3 connection (X25519 + RSA-2048 chain of two)", CertKind.Rsa, new("idle-rsa-chain", Ssl.TLS1_3_VERSION, "X25519", RsaPss)),
        new(Section.Memory, "idle TLS 1.3 connection (RSA-2048 chain of two, RSA-2048 client certificate)", CertKind.RsaClientAuth,
            new("idle-client-cert", Ssl.TLS1_3_VERSION, "X25519", RsaPss, ClientCertificate: true)),
        // Every connection with a certificate of its own (same key, its own serial and subject): nothing of the peer's
        // certificate can be shared between connections, as when each client of a server has its own.
        new(Section.Memory, "idle TLS 1.3 connection (RSA-2048 chain of two, an RSA-2048 client certificate per connection)", CertKind.RsaClientAuth,
            new("idle-client-cert-each", Ssl.TLS1_3_VERSION, "X25519", RsaPss, ClientCertificate: true, CertificatePerConnection: true)),
        new(Section.Stall, "stalled handshake: TCP connected, no bytes", CertKind.Ecdsa, new("idle", Ssl.TLS1_3_VERSION, "X25519", Ecdsa), Stall: StallKind.NoBytes),
        new(Section.Stall, "stalled handshake: half a record header (2 bytes)", CertKind.Ecdsa, new("idle", Ssl.TLS1_3_VERSION, "X25519", Ecdsa), Stall: StallKind.HalfRecordHeader),
        new(Section.Stall, "stalled handshake: a whole ClientHello (X25519), then silence", CertKind.Ecdsa, new("idle", Ssl.TLS1_3_VERSION, "X25519", Ecdsa), Stall: StallKind.WholeClientHello),
    ];

    public List<Row> Rows { get; } = Scenarios.Select(s => new Row(s)).ToList();

    public void Run(ServerUnderTest server)
    {
        foreach (var cert in Enum.GetValues<CertKind>())
        {
            var rows = Rows.Where(r => r.Scenario.Cert == cert && (only is null || only.Contains(r.Scenario.Section))
                && (server.Sections is null || server.Sections.Contains(r.Scenario.Section)) && server.Runs(r.Scenario)).ToList();
            if (rows.Count == 0 || !server.Serves(cert)) continue;
            // Each stalled-handshake and idle-connection row in a fresh server process: memory an earlier row made the runtime
            // commit would otherwise hide in its resident figure, and an earlier row's connections, closed but not yet all
            // noticed and collected, would sit in its baseline (the two client-certificate rows share a certificate kind).
            // (A quick run keeps one process: its figures only show that the section works.)
            static bool Alone(Row r) => r.Scenario.Section is Section.Stall or Section.Memory;
            var groups = new List<List<Row>> { rows.Where(r => size.Quick || !Alone(r)).ToList() };
            if (!size.Quick) groups.AddRange(rows.Where(Alone).Select(r => new List<Row> { r }));
            foreach (var group in groups.Where(g => g.Count > 0))
                RunProcess(server, cert, group);
        }
    }

    private void RunProcess(ServerUnderTest server, CertKind cert, List<Row> rows)
    {
        {
            log.WriteLine($"{server.Name} ({cert}):");
            RunningServer running;
            try
            {
                running = server.Start(ws, cert, log);
            }
            catch (Exception e) when (e is InvalidOperationException or TimeoutException or System.ComponentModel.Win32Exception)
            {
                foreach (var r in rows) r.Cells[server.Name] = new(null, null, "server did not start");
                log.WriteLine($"  {server.Name} did not start: {e.Message}");
                return;
            }
            using (running)
            {
                Warmup(server, running, rows);
                foreach (var row in rows)
                {
                    Cell cell;
                    try
                    {
                        cell = row.Scenario.Section switch
                        {
                            Section.Handshake => Handshakes(server, running, row.Scenario),
                            Section.Bulk => Bulk(server, running, row.Scenario),
                            Section.Stall => Stalled.Measure(server, running, row.Scenario.Stall, size, log),
                            _ => Memory(server, running, row.Scenario),
                        };
                    }
                    catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
                    {
                        cell = new(null, null, e.Message.Contains("alert handshake failure", StringComparison.Ordinal)
                            ? "refused by the server (handshake_failure alert)"
                            : "failed: " + e.Message);
                    }
                    row.Cells[server.Name] = cell;
                    log.WriteLine($"  {row.Scenario.Name}: {Describe(cell)}");
                }
                if (running.Process.HasExited)
                    log.WriteLine($"  {server.Name} exited ({running.Process.ExitCode}):\n{running.Output}");
            }
        }
    }

    private static string Describe(Cell c) => c.Value is { } v ? $"{v:0.##} / {c.Rate:0.#}{(c.Note is null ? "" : " (" + c.Note + ")")}" : c.Note ?? "-";

    /// <summary>
    /// Round-robin full TLS 1.3 handshakes over this certificate's scenarios, so JIT, pools and
    /// caches are warm on every path before any figure is taken.
    /// </summary>
    private void Warmup(ServerUnderTest server, RunningServer running, IEnumerable<Row> rows)
    {
        if (!server.Tls) return; // a plain-HTTP floor: no TLS path to warm
        var clients = new List<NativeTlsClient>();
        try
        {
            // The TLS 1.3 handshake rows, or (a configuration without them: memory, stall or bulk rows only) those rows' clients.
            var warm = rows.Where(r => r.Scenario.Section == Section.Handshake && !r.Scenario.Plain && r.Scenario.Profile.Version == Ssl.TLS1_3_VERSION).ToList();
            if (warm.Count == 0) warm = rows.Where(r => r.Scenario.Section is Section.Memory or Section.Stall).ToList();
            if (warm.Count == 0) warm = rows.Where(r => r.Scenario.Section == Section.Bulk && r.Scenario.Profile.Version == Ssl.TLS1_3_VERSION).ToList();
            foreach (var r in warm)
            {
                try
                {
                    clients.Add(Client(r.Scenario.Profile, running, server));
                }
                catch (InvalidOperationException)
                {
                    // a group the client lacks: reported by the scenario itself
                }
            }
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < size.Warmup || sw.Elapsed < size.WarmupTime; i++)
            {
                if (server.ServesBenchFiles) clients[i % clients.Count].OneShot();
                else clients[i % clients.Count].Connect().Dispose(); // handshakes only: its pages are not the bench's files
            }
        }
        finally
        {
            foreach (var c in clients) c.Dispose();
        }
    }

    private Cell Handshakes(ServerUnderTest server, RunningServer running, Scenario s)
    {
        if (s.Plain) return PlainConnections(running);
        if (!server.Tls12 && s.Profile.Version == Ssl.TLS1_2_VERSION) return new(null, null, "n/a (TLS 1.2 not offered)");
        NativeTlsClient client;
        try
        {
            client = new NativeTlsClient(s.Profile, running.EndPoint, server.CloseAfterResponse);
        }
        catch (InvalidOperationException e) when (e.Message.Contains("groups"))
        {
            return new(null, null, $"n/a (client: {Ssl.Version} has no {s.Profile.Groups})");
        }
        using (client)
        {
            // Warm this path, check what was negotiated, and (when resuming) obtain the first session.
            using (var probe = client.Connect())
            {
                probe.Get(client.Request("/1k"), server.CloseAfterResponse);
                int want = s.Profile.Version;
                if (probe.Version != want) throw new IOException($"negotiated version 0x{probe.Version:x4}, wanted 0x{want:x4}");
                string group = probe.Group switch { 1034 => "X25519", 415 => "P-256", var g => $"NID {g}" };
                log.WriteLine($"    negotiated {probe.Cipher}, {group}");
            }
            for (int i = 0; i < Math.Max(10, size.Warmup / 10); i++) client.OneShot();

            int reused = 0;
            double cpu0 = Proc.CpuSeconds(running.MeasuredPid), self0 = Proc.ThreadCpuSeconds();
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < size.Handshakes; i++)
                if (client.OneShot()) reused++;
            sw.Stop();
            Thread.Sleep(20); // let the server finish with the last close
            double cpu = Proc.CpuSeconds(running.MeasuredPid) - cpu0, self = Proc.ThreadCpuSeconds() - self0;
            string? note = null;
            if (s.Profile.Resume != ResumeMode.None && reused < size.Handshakes * 9 / 10)
                note = $"resumed only {reused} of {size.Handshakes}: mostly full handshakes";
            return new(cpu * 1e6 / size.Handshakes, size.Handshakes / sw.Elapsed.TotalSeconds, note, self * 1e6 / size.Handshakes);
        }
    }

    /// <summary>
    /// The plain-TCP row: connections to the server's plain-HTTP port, measured like a handshake row (server CPU from /proc per
    /// connection). Its own warm-up (at least as many connections as a TLS row's, and a third of the TLS warm-up time, at most
    /// 20,000 connections), since none of the TLS warm-up ran this path. Three times a TLS row's connections: a plain
    /// connection is cheap and /proc counts in 10 ms ticks, and the TLS share is a difference.
    /// </summary>
    private Cell PlainConnections(RunningServer running)
    {
        if (running.PlainEndPoint is not { } endPoint) return new(null, null, "n/a (no plain-HTTP mode)");
        var client = new PlainHttpClient(endPoint);
        var warm = Stopwatch.StartNew();
        for (int i = 0; i < 20_000 && (i < size.Warmup || warm.Elapsed < size.WarmupTime / 3); i++) client.OneShot();
        int n = 3 * size.Handshakes;
        double cpu0 = Proc.CpuSeconds(running.MeasuredPid), self0 = Proc.ThreadCpuSeconds();
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < n; i++) client.OneShot();
        sw.Stop();
        Thread.Sleep(20); // let the server finish with the last close
        double cpu = Proc.CpuSeconds(running.MeasuredPid) - cpu0, self = Proc.ThreadCpuSeconds() - self0;
        return new(cpu * 1e6 / n, n / sw.Elapsed.TotalSeconds, null, self * 1e6 / n);
    }

    /// <summary>The least server CPU a keep-alive bulk cell measures (quick runs: the configured count only).</summary>
    private double MinBulkCpuSeconds => size.Quick ? 0 : 2.0;

    private Cell Bulk(ServerUnderTest server, RunningServer running, Scenario s)
    {
        if (!server.Tls12 && s.Profile.Version == Ssl.TLS1_2_VERSION) return new(null, null, "n/a (TLS 1.2 not offered)");
        using var client = new NativeTlsClient(s.Profile, running.EndPoint, server.CloseAfterResponse);
        double mb = Workspace.LargeResponse / (1024.0 * 1024.0);
        string large = client.Request("/1m");
        int k = size.BulkResponses;
        if (server.CloseAfterResponse)
        {
            // One response per connection: subtract the same number of connections serving 1 KB.
            client.OneShot(large);
            double c0 = Proc.CpuSeconds(running.MeasuredPid);
            for (int i = 0; i < k; i++) client.OneShot();
            double c1 = Proc.CpuSeconds(running.MeasuredPid);
            var sw = Stopwatch.StartNew();
            for (int i = 0; i < k; i++) client.OneShot(large);
            sw.Stop();
            double c2 = Proc.CpuSeconds(running.MeasuredPid);
            double perMb = Math.Max(0, (c2 - c1) - (c1 - c0)) * 1000 / (k * mb);
            return new(perMb, k * mb / sw.Elapsed.TotalSeconds, "closes after each response: 1 KB connections' CPU subtracted; MB/s includes a handshake per MB");
        }
        using var conn = client.Connect();
        // The bulk path's own warm-up (the process warm-up runs handshakes only): a second of 1 MB responses, so tiered
        // compilation has finished with the write path before the CPU is read.
        for (var warm = Stopwatch.StartNew(); warm.Elapsed < TimeSpan.FromSeconds(size.Quick ? 0.1 : 1); ) conn.Get(large, false);
        string cipher = conn.Cipher;
        double cpu0 = Proc.CpuSeconds(running.MeasuredPid);
        var wall = Stopwatch.StartNew();
        // /proc counts CPU in clock ticks (10 ms): at ~0.6 ms per MB, 100 MB is 6 ticks, so one tick moved a cell by 17%
        // (issue 11's "AES-256-GCM 1.33x nginx" was 12 ticks against 9). Go on until the server has used at least
        // 2 s (200 ticks, 0.5% resolution), within ten times the configured count.
        double cpu = 0;
        int served = 0;
        while (served < k || (cpu < MinBulkCpuSeconds && served < 10 * k))
        {
            conn.Get(large, false);
            served++;
            if (served >= k) cpu = Proc.CpuSeconds(running.MeasuredPid) - cpu0;
        }
        wall.Stop();
        k = served;
        log.WriteLine($"    ({cipher}) {k} x 1 MB in {wall.Elapsed.TotalMilliseconds:0} ms, server CPU {cpu * 1000:0} ms");
        return new(cpu * 1000 / (k * mb), k * mb / wall.Elapsed.TotalSeconds, null);
    }

    private NativeTlsClient Client(ClientProfile profile, RunningServer running, ServerUnderTest server)
    {
        var client = new NativeTlsClient(profile, running.EndPoint, server.CloseAfterResponse);
        if (profile.CertificatePerConnection) client.UseCertificates(ws.ClientCertificatesDer(size.IdleConnections), ws.ClientKeyPem);
        else if (profile.ClientCertificate) client.UseCertificate(ws.ClientCertPem, ws.ClientKeyPem);
        return client;
    }

    private Cell Memory(ServerUnderTest server, RunningServer running, Scenario s)
    {
        if (!server.Concurrent) return new(null, null, "n/a (serves one connection at a time)");
        using var client = Client(s.Profile, running, server);
        Thread.Sleep(size.Settle);
        long? heap0 = running.Collect(TimeSpan.FromSeconds(60));
        long rss0 = Proc.RssBytes(running.MeasuredPid);
        var open = new List<NativeConnection>(size.IdleConnections);
        try
        {
            for (int i = 0; i < size.IdleConnections; i++) open.Add(client.Connect());
            Thread.Sleep(size.Settle);
            long? heap1 = running.Collect(TimeSpan.FromSeconds(60));
            long rss1 = Proc.RssBytes(running.MeasuredPid);
            string managed = heap0 is { } h0 && heap1 is { } h1 ? $"; managed heap {(h1 - h0) / 1024.0 / open.Count:0.00} KB per connection" : "";
            log.WriteLine($"    RSS {rss0 / 1024} KB -> {rss1 / 1024} KB with {open.Count} idle connections{managed}");
            return new((rss1 - rss0) / 1024.0 / open.Count, open.Count, heap0 is null ? null : $"after a full GC{managed}");
        }
        finally
        {
            foreach (var c in open) c.Dispose();
        }
    }
}
