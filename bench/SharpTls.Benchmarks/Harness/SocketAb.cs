using System.Diagnostics;

namespace SharpTls.Benchmarks.Harness;

/// <summary>
/// `sockab [BLOCKS] [PER_CELL] [--server LIST] [--rows LIST] [--warmup S]`: the handshake rows over sockets with the servers
/// interleaved, for before/after figures on a shared machine. Every server (and certificate) is started at once; after the
/// warm-up, each block runs every row on every server in turn (PER_CELL connections a cell), so load that comes and goes
/// falls on all of them alike. Server CPU per connection is the sum of the server's threads' run time
/// (/proc/PID/task/*/schedstat, nanoseconds; not /proc's 10 ms ticks; a cell during which a thread ended takes the ticks),
/// and the report gives each cell's median and least
/// over the blocks and, per block, each server against the first one listed.
/// Servers: <c>SharpTls</c>, <c>nginx</c>, <c>Kestrel+SslStream</c>, or <c>NAME@DIR</c> for another build of this bench
/// (DIR holds its SharpTls.Benchmarks apphost; a copy of bin/Release/net10.0 from before a change), optionally
/// <c>NAME@DIR@VAR=VALUE</c> to run it with one environment variable set.
/// </summary>
internal static class SocketAb
{
    private static readonly (string Key, string Name, CertKind Cert, ClientProfile? Profile)[] AllRows =
    [
        ("plain", Runner.PlainRow, CertKind.Ecdsa, null),
        ("x25519-ecdsa", "TLS 1.3 full, X25519 + ECDSA P-256", CertKind.Ecdsa, new("x25519-ecdsa", Ssl.TLS1_3_VERSION, "X25519", "ECDSA+SHA256")),
        ("p256-ecdsa", "TLS 1.3 full, P-256 + ECDSA P-256", CertKind.Ecdsa, new("p256-ecdsa", Ssl.TLS1_3_VERSION, "P-256", "ECDSA+SHA256")),
        ("x25519-rsa", "TLS 1.3 full, X25519 + RSA-2048", CertKind.Rsa, new("x25519-rsa", Ssl.TLS1_3_VERSION, "X25519", "rsa_pss_rsae_sha256")),
        ("resume", "TLS 1.3 resumed (ticket, psk_dhe_ke X25519)", CertKind.Ecdsa,
            new("x25519-resume", Ssl.TLS1_3_VERSION, "X25519", "ECDSA+SHA256", Resume: ResumeMode.Ticket)),
    ];

    public static int Run(string[] args)
    {
        var positional = new List<string>();
        string serverList = "SharpTls,nginx", rowList = string.Join(',', AllRows.Select(r => r.Key));
        double warmupSeconds = 15;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--server" && i + 1 < args.Length) serverList = args[++i];
            else if (args[i] == "--rows" && i + 1 < args.Length) rowList = args[++i];
            else if (args[i] == "--warmup" && i + 1 < args.Length) warmupSeconds = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture);
            else positional.Add(args[i]);
        }
        int blocks = positional.Count > 0 ? int.Parse(positional[0]) : 8;
        int perCell = positional.Count > 1 ? int.Parse(positional[1]) : 200;
        var rows = rowList.Split(',', StringSplitOptions.TrimEntries).Select(k => AllRows.Single(r => r.Key == k)).ToArray();
        var servers = serverList.Split(',', StringSplitOptions.TrimEntries).Select(Server).ToArray();
        var log = Console.Out;

        using var ws = new Workspace();
        string load0 = Proc.LoadAverage();
        log.WriteLine($"sockab: {blocks} blocks x {perCell} connections per cell, load average {load0}");
        var running = new Dictionary<(string, CertKind), RunningServer>();
        try
        {
            foreach (var s in servers)
                foreach (var cert in rows.Select(r => r.Cert).Distinct())
                    running[(s.Name, cert)] = s.Start(ws, cert, log);

            // Warm-up: every row on every server, round robin, until each process has had its share of the time.
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < warmupSeconds * servers.Length)
                foreach (var s in servers)
                    foreach (var r in rows)
                        Cell(running[(s.Name, r.Cert)], r.Profile, 20);

            var samples = new Dictionary<(string Server, string Row), List<double>>();
            for (int b = 0; b < blocks; b++)
            {
                // Alternate the order of the servers from block to block.
                var order = b % 2 == 0 ? servers : servers.Reverse().ToArray();
                foreach (var r in rows)
                    foreach (var s in order)
                    {
                        double us = Cell(running[(s.Name, r.Cert)], r.Profile, r.Profile is null ? 3 * perCell : perCell);
                        (samples.TryGetValue((s.Name, r.Key), out var l) ? l : samples[(s.Name, r.Key)] = []).Add(us);
                    }
                log.WriteLine($"  block {b + 1}: " + string.Join("; ", rows.Select(r =>
                    r.Key + " " + string.Join("/", servers.Select(s => samples[(s.Name, r.Key)][b].ToString("0"))))));
            }

            log.WriteLine();
            log.WriteLine($"Server CPU µs per connection, median (least) of {blocks} blocks; load average {load0} at the start, {Proc.LoadAverage()} at the end.");
            log.WriteLine();
            log.WriteLine("| row | " + string.Join(" | ", servers.Select(s => s.Name)) + " | " + string.Join(" | ", servers.Skip(1).Select(s => $"{servers[0].Name} ÷ {s.Name}, median of per-block ratios (range)")) + " |");
            log.WriteLine("| --- |" + string.Concat(Enumerable.Repeat(" ---: |", 2 * servers.Length - 1)));
            foreach (var r in rows)
            {
                var cells = servers.Select(s => samples[(s.Name, r.Key)]).ToArray();
                var ratios = servers.Skip(1).Select((s, i) =>
                {
                    var per = cells[0].Zip(cells[i + 1], (a, x) => a / x).Order().ToArray();
                    return $"{Median(per):0.00}x ({per[0]:0.00}-{per[^1]:0.00})";
                });
                log.WriteLine($"| {r.Name} | " + string.Join(" | ", cells.Select(c => $"{Median(c):0} ({c.Min():0})")) + " | " + string.Join(" | ", ratios) + " |");
            }
            log.WriteLine();
            log.WriteLine("Check, all cells of each server (warm-up included): CPU s by /proc/PID/stat ticks (dead threads included) / by schedstat: "
                + string.Join("; ", servers.Select(s => $"{s.Name} {Ticks[s.Name] / 1e9:0.00} / {Runs[s.Name] / 1e9:0.00}")));
            return 0;
        }
        finally
        {
            foreach (var r in running.Values) r.Dispose();
        }
    }

    /// <summary>Per server, the measured cells' total CPU by /proc/PID/stat (ticks, dead threads included) and by schedstat (live threads):
    /// printed as a check that no thread's time was lost to an exit.</summary>
    private static readonly Dictionary<string, double> Ticks = [], Runs = [];

    private static double Median(IReadOnlyList<double> values)
    {
        var v = values.Order().ToArray();
        return v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }

    /// <summary>N connections of one row; server CPU µs per connection (all its threads' run time).</summary>
    private static double Cell(RunningServer server, ClientProfile? profile, int n)
    {
        if (profile is null)
        {
            var plain = new PlainHttpClient(server.PlainEndPoint ?? throw new InvalidOperationException($"{server.Name} has no plain port"));
            plain.OneShot();
            var p0 = Threads(server.MeasuredPid);
            double s0 = Proc.CpuSeconds(server.MeasuredPid);
            for (int i = 0; i < n; i++) plain.OneShot();
            Thread.Sleep(10);
            double pt = (Proc.CpuSeconds(server.MeasuredPid) - s0) * 1e9;
            Ticks[server.Name] = Ticks.GetValueOrDefault(server.Name) + pt;
            double pr = Delta(p0, Threads(server.MeasuredPid)) ?? pt;
            Runs[server.Name] = Runs.GetValueOrDefault(server.Name) + pr;
            return pr / 1e3 / n;
        }
        using var client = new NativeTlsClient(profile, server.EndPoint, http10: false);
        client.OneShot(); // the session a resumed row resumes, and the connection's warm-up
        var t0 = Threads(server.MeasuredPid);
        double c0 = Proc.CpuSeconds(server.MeasuredPid);
        int reused = 0;
        for (int i = 0; i < n; i++)
            if (client.OneShot()) reused++;
        Thread.Sleep(10); // the server finishes with the last close
        double ticks = (Proc.CpuSeconds(server.MeasuredPid) - c0) * 1e9;
        Ticks[server.Name] = Ticks.GetValueOrDefault(server.Name) + ticks;
        // A thread that ended during the cell took its run time with it: that cell falls back to /proc's ticks.
        double run = Delta(t0, Threads(server.MeasuredPid)) ?? ticks;
        Runs[server.Name] = Runs.GetValueOrDefault(server.Name) + run;
        double us = run / 1e3 / n;
        if (profile.Resume != ResumeMode.None && reused < n * 9 / 10)
            throw new InvalidOperationException($"{server.Name}: resumed only {reused} of {n}");
        return us;
    }

    /// <summary>The run time of every live thread of the process by thread id (ns, /proc/PID/task/*/schedstat's first field).</summary>
    private static Dictionary<string, double> Threads(int pid)
    {
        var threads = new Dictionary<string, double>();
        foreach (var task in Directory.GetDirectories($"/proc/{pid}/task"))
        {
            try
            {
                string s = File.ReadAllText(Path.Combine(task, "schedstat"));
                threads[Path.GetFileName(task)] = double.Parse(s.AsSpan(0, s.IndexOf(' ')), System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (IOException)
            {
                // the thread ended between the listing and the read
            }
        }
        return threads;
    }

    /// <summary>The run time between two readings (new threads count whole), or null when a thread of the first reading has
    /// ended (its time in between is lost to schedstat; the caller takes /proc's ticks, which keep dead threads' time).</summary>
    private static double? Delta(Dictionary<string, double> before, Dictionary<string, double> after)
    {
        double sum = 0;
        foreach (var (tid, t) in before)
            if (!after.ContainsKey(tid)) return null;
        foreach (var (tid, t) in after) sum += t - before.GetValueOrDefault(tid);
        return sum;
    }

    private static ServerUnderTest Server(string spec)
    {
        string[] parts = spec.Split('@');
        if (parts.Length == 1)
            return spec switch
            {
                "SharpTls" => new SharpTlsUnderTest(),
                "nginx" => new NginxUnderTest(),
                "Kestrel+SslStream" => new KestrelUnderTest(),
                _ => throw new ArgumentException($"unknown server {spec}"),
            };
        var env = new Dictionary<string, string>();
        if (parts.Length > 2)
        {
            int eq = parts[2].IndexOf('=');
            env[parts[2][..eq]] = parts[2][(eq + 1)..];
        }
        return new OtherBuildUnderTest(parts[0], parts[1].Length == 0 ? AppContext.BaseDirectory : parts[1], env);
    }
}

/// <summary>This bench's SharpTls server from another build directory (or this one with an environment variable set).</summary>
internal sealed class OtherBuildUnderTest(string name, string binDirectory, IReadOnlyDictionary<string, string> env) : ServerUnderTest
{
    public override string Name => name;
    public override string Version() => $"SharpTls from {binDirectory}";

    public override RunningServer Start(Workspace ws, CertKind cert, TextWriter log)
    {
        int port = Workspace.FreePort(), plain = Workspace.FreePort();
        string[] args = ["serve", "sharptls", port.ToString(), ws.CertPem(cert), ws.KeyPem(cert), ws.Www, .. ClientCa(ws, cert), "--plain", plain.ToString()];
        var running = Launch(Name, Path.Combine(binDirectory, "SharpTls.Benchmarks"), args, ws.Root, log, port, env: env);
        running.Collects = true;
        running.ListensPlainOn(plain, TimeSpan.FromSeconds(10));
        return running;
    }
}
