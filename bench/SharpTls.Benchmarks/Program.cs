using BenchmarkDotNet.Running;
using SharpTls.Benchmarks.Harness;
using SharpTls.Benchmarks.Servers;

namespace SharpTls.Benchmarks;

/// <summary>
/// dotnet run -c Release --project bench/SharpTls.Benchmarks -- all [--quick] [--out DIR]
///   side-by-side servers; writes RESULTS.md, results.json and handshake-cpu.png (to bench/ for a
///   full run, to DIR or the temp workspace for --quick).
/// dotnet run -c Release --project bench/SharpTls.Benchmarks -- micro [BenchmarkDotNet args]
///   BenchmarkDotNet micro-benchmarks (record protection, ClientHello parse, in-memory handshake).
/// dotnet run -c Release --project bench/SharpTls.Benchmarks -- all [--quick] --only memory,stall [--server "SharpTls,sharptls listen"] --out DIR
///   some sections (handshake, bulk, memory, stall) and/or some servers only, for a quick before/after (needs --out).
/// serve sharptls|kestrel PORT CERT KEY WWW [CLIENT_CA] [--plain PORT]   (internal: a server under test, started by `all`;
///   with CLIENT_CA it asks for an optional client certificate issued by that CA; --plain also serves plain HTTP on PORT)
/// robot [N] [--managed] [--out FILE]   ROBOT/Marvin timing: the RSA key-exchange decryption of valid vs each invalid class (N per class; --managed: the managed fallback)
/// static sharptls|sslstream PORT CERT KEY WWW [tls12]  (internal: the host rows' Kestrel static-file server, started by bench/host/run.py)
/// alloc [N] [--types]   managed bytes the server allocates per TLS 1.3 handshake, by step (in memory, N handshakes)
/// inmem [BLOCKS] [PER_BLOCK]   server CPU per TLS 1.3 handshake in memory: SharpTls vs libssl on memory BIOs, same client
/// sockab [BLOCKS] [PER_CELL] [--server SharpTls,nginx,NAME@BINDIR[@VAR=VALUE]] [--rows plain,x25519-ecdsa,p256-ecdsa,x25519-rsa,resume] [--warmup S]
///   the handshake rows over sockets, servers interleaved block by block (server CPU from every thread's schedstat)
/// drive PORT SECONDS handshake|resume|bulk [SUITE]   (load for a profiler attached to a server, or bench/host/bulk.py's
///   client: the neutral client in a loop; SUITE: a TLS 1.3 suite name, or an OpenSSL TLS 1.2 cipher name for a TLS 1.2 client)
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string verb = args.Length > 0 ? args[0] : "";
        switch (verb)
        {
            case "all":
                return RunAll(args[1..]);
            case "micro":
                BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args[1..].Length > 0 ? args[1..] : ["--filter", "*"]);
                return 0;
            case "robot":
                return Micro.RsaTiming.Run(args[1..]);
            case "inmem":
                return Micro.InMemoryServers.Run(args[1..]);
            case "sockab":
                return SocketAb.Run(args[1..]);
            case "cryptopaths":
                return Micro.CryptoPaths.Run(args.Length > 1 && int.TryParse(args[1], out int cn) ? cn : 20000);
            case "parts":
                return Micro.HandshakeParts.Run(args.Length > 1 && int.TryParse(args[1], out int pn) ? pn : 20000);
            case "wake":
                return Micro.WakeCost.Run(args.Length > 1 && int.TryParse(args[1], out int r) ? r : 20);
            case "alloc":
                return Micro.ServerAllocations.Run(args.Length > 1 && int.TryParse(args[1], out int n) ? n : 2000, args.Contains("--types"));
            case "drive" when args.Length is 4 or 5:
                return Drive(int.Parse(args[1]), double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3],
                    args.Length == 5 ? args[4] : null);
            case "serve" when args.Length >= 6:
                int port = int.Parse(args[2]);
                // `--plain PORT` (last): the same files over plain HTTP on a second port, for the plain-TCP row.
                int plainAt = Array.IndexOf(args, "--plain");
                int? plainPort = plainAt > 0 && plainAt + 1 < args.Length ? int.Parse(args[plainAt + 1]) : null;
                string[] positional = plainAt > 0 ? args[..plainAt] : args;
                if (positional.Length is not (6 or 7)) return Usage();
                string? clientCa = positional.Length == 7 ? positional[6] : null;
                return args[1] switch
                {
                    "sharptls" => SharpTlsServer.RunAsync(port, args[3], args[4], args[5], clientCa, plainPort).GetAwaiter().GetResult(),
                    "kestrel" => KestrelServer.RunAsync(port, args[3], args[4], args[5], clientCa, plainPort: plainPort).GetAwaiter().GetResult(),
                    "kestrel-plain" => KestrelServer.RunAsync(port, args[3], args[4], args[5], tls: false).GetAwaiter().GetResult(),
                    _ => Usage(),
                };
            case "scaling":
                return Scaling.ScalingHost.Run(args[1..]);
            case "static" when (args.Length == 6 || args.Length == 7 && args[6] == "tls12") && args[1] is "sharptls" or "sslstream":
                return StaticSiteServer.RunAsync(args[1], int.Parse(args[2]), args[3], args[4], args[5], tls12Only: args.Length == 7).GetAwaiter().GetResult();
            default:
                return Usage();
        }
    }

    private static int Drive(int port, double seconds, string mode, string? suite)
    {
        bool tls13 = suite is null || suite.StartsWith("TLS_", StringComparison.Ordinal);
        var profile = new ClientProfile(mode, tls13 ? Ssl.TLS1_3_VERSION : Ssl.TLS1_2_VERSION, tls13 ? "X25519" : "X25519:P-256",
            "ECDSA+SHA256:rsa_pss_rsae_sha256", suite, Resume: mode == "resume" ? ResumeMode.Ticket : ResumeMode.None);
        using var client = new NativeTlsClient(profile, new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, port), http10: false);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        long n = 0;
        string cipher = "";
        if (mode == "bulk")
        {
            using var c = client.Connect();
            cipher = " " + c.Cipher;
            string large = client.Request("/1m");
            for (; sw.Elapsed.TotalSeconds < seconds; n++) c.Get(large, false);
        }
        else
        {
            for (; sw.Elapsed.TotalSeconds < seconds; n++) client.OneShot();
        }
        Console.WriteLine($"{n} {(mode == "bulk" ? "MB" : "connections")} in {sw.Elapsed.TotalSeconds:0.0} s{cipher}");
        return 0;
    }

    private static int Usage()
    {
        Console.Error.WriteLine("usage: SharpTls.Benchmarks all [--quick] [--out DIR] | micro [BenchmarkDotNet args]");
        return 2;
    }

    private static int RunAll(string[] args)
    {
        bool quick = args.Contains("--quick");
        int outIndex = Array.IndexOf(args, "--out");
        string? outDir = outIndex >= 0 && outIndex + 1 < args.Length ? args[outIndex + 1] : null;
        var log = Console.Out;

        var missing = Prerequisites.Check();
        if (missing.Count > 0)
        {
            Console.Error.WriteLine("The benchmark needs programs that are not installed (it installs nothing itself):");
            foreach (var m in missing) Console.Error.WriteLine("  - " + m);
            return 3;
        }

        int onlyIndex = Array.IndexOf(args, "--only"), serverIndex = Array.IndexOf(args, "--server");
        IReadOnlySet<Section>? only = onlyIndex >= 0 && onlyIndex + 1 < args.Length
            ? args[onlyIndex + 1].Split(',').Select(x => Enum.Parse<Section>(x, ignoreCase: true)).ToHashSet()
            : null;
        string? serverName = serverIndex >= 0 && serverIndex + 1 < args.Length ? args[serverIndex + 1] : null;
        if ((only is not null || serverName is not null) && outDir is null)
        {
            Console.Error.WriteLine("--only and --server write a partial report: give --out DIR (bench/RESULTS.md is for full runs)");
            return 2;
        }

        var size = RunSize.For(quick);
        // Idle-connection test: one fd per connection here, plus headroom. Servers inherit the limit.
        var limits = Proc.RaiseOpenFiles((ulong)size.IdleConnections + 1024);
        if (limits.Soft < (ulong)size.IdleConnections + 100)
        {
            Console.Error.WriteLine($"open-files limit {limits.Soft} (hard {limits.Hard}) is below the {size.IdleConnections} idle connections: raise it with `ulimit -n {size.IdleConnections + 1024}`");
            return 3;
        }

        using var ws = new Workspace();
        log.WriteLine($"workspace {ws.Root}; open files soft {limits.Soft} hard {limits.Hard}");
        ServerUnderTest[] servers = [new SharpTlsUnderTest(), new ListenUnderTest(), new HostUnderTest(), new KestrelUnderTest(), new KestrelPlainUnderTest(), new NginxUnderTest(), new OpenSslUnderTest()];
        // The `sharptls` command (built through its script, and the host's demo made on first start) only in full runs
        // or when named: a quick run stays under a minute.
        if (quick && serverName is null) servers = servers.Where(s => s is not CliUnderTest).ToArray();
        if (serverName is not null)
        {
            var names = serverName.Split(',', StringSplitOptions.TrimEntries);
            servers = servers.Where(s => names.Any(n => s.Name.Equals(n, StringComparison.OrdinalIgnoreCase))).ToArray();
        }

        string loadBefore = Proc.LoadAverage();
        log.WriteLine($"load average {loadBefore}; crypto floor...");
        var floor = CryptoFloor.Measure(ws, size.CryptoPerOp);
        var runner = new Runner(ws, size, log, only);
        foreach (var s in servers) runner.Run(s);

        var env = Report.Describe(servers, limits) with { Load = $"at the start {loadBefore}, at the end {Proc.LoadAverage()}" };
        var report = new Report(servers, runner.Rows, floor, size, env);
        string md = report.Markdown();
        string dir = outDir ?? (quick ? Path.Combine(Path.GetTempPath(), "sharptls-bench-quick") : BenchDirectory());
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "RESULTS.md"), md);
        File.WriteAllText(Path.Combine(dir, "results.json"), report.Json());
        try
        {
            report.Chart(Path.Combine(dir, "handshake-cpu.png"));
        }
        catch (Exception e) when (e is TypeInitializationException or DllNotFoundException)
        {
            log.WriteLine($"chart not drawn: {e.Message}");
        }
        log.WriteLine();
        log.WriteLine(md);
        log.WriteLine($"wrote {Path.Combine(dir, "RESULTS.md")}, results.json, handshake-cpu.png");
        return 0;
    }

    /// <summary>bench/ of the source tree (the directory above this project), for the committed results.</summary>
    private static string BenchDirectory()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "SharpTls.Benchmarks", "SharpTls.Benchmarks.csproj")))
                return d.FullName;
        return Directory.GetCurrentDirectory();
    }
}
