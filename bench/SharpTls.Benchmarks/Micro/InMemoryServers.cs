using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Benchmarks.Harness;
using SharpTls.Wire;

namespace SharpTls.Benchmarks.Micro;

/// <summary>
/// `inmem`: the server side of a TLS 1.3 handshake in memory (no sockets, no threads), SharpTls' server against libssl's
/// server on memory BIOs, in this one process, driven by the same client (libssl on memory BIOs, the same ClientHello
/// for both servers). Only the server's calls are timed (this thread's CPU time around each Feed / host answer /
/// output read for SharpTls, around each SSL_do_handshake / BIO transfer for libssl); the client's work is not counted.
/// Both servers send two NewSessionTickets (their default). Blocks of handshakes alternate between the two servers, so
/// load on the shared machine falls on both alike; the figure is the least block (load only adds to CPU time).
/// </summary>
internal static unsafe partial class InMemoryServers
{
    internal sealed record Scenario(string Name, string Groups, bool Rsa, bool Resume);

    internal static readonly Scenario[] Scenarios =
    [
        new("TLS 1.3 full, X25519 + ECDSA P-256", "X25519", Rsa: false, Resume: false),
        new("TLS 1.3 full, P-256 + ECDSA P-256", "P-256", Rsa: false, Resume: false),
        new("TLS 1.3 full, X25519 + RSA-2048", "X25519", Rsa: true, Resume: false),
        new("TLS 1.3 resumed (ticket, psk_dhe_ke X25519)", "X25519", Rsa: false, Resume: true),
    ];

    /// <summary>One scenario's result, µs of server CPU per handshake.</summary>
    internal sealed record Result(Scenario Scenario, double SharpTls, double LibSsl, double Floor);

    public static int Run(string[] args)
    {
        if (args.Length == 3 && args[0] == "loop")
            return Loop(Scenarios[int.Parse(args[1])], double.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
        if (args.Length >= 1 && args[0] == "bulk")
            return Bulk(args.Length > 1 ? int.Parse(args[1]) : 200);
        if (args.Length == 4 && args[0] == "count")
            return Count(Scenarios[int.Parse(args[1])], args[2] == "libssl", int.Parse(args[3]));
        int blocks = args.Length > 0 && int.TryParse(args[0], out int b) ? b : 15;
        int perBlock = args.Length > 1 && int.TryParse(args[1], out int p) ? p : 100;
        foreach (var r in Measure(blocks, perBlock, Console.Out, args.Length > 2 ? args[2] : null))
            Console.WriteLine($"{r.Scenario.Name,-46} SharpTls {r.SharpTls,7:0.0} µs  libssl {r.LibSsl,7:0.0} µs  ratio {r.SharpTls / r.LibSsl:0.00}x  floor {r.Floor,6:0.0} µs ({r.SharpTls / r.Floor:0.00}x floor)");
        return 0;
    }

    /// <summary>`inmem loop INDEX SECONDS`: SharpTls' server only, in a loop, for a profiler attached to this process.</summary>
    private static int Loop(Scenario s, double seconds)
    {
        var listener = new TlsServerOptions { Certificates = [new ServerCertificate(s.Rsa ? MicroPki.Rsa : MicroPki.Ecdsa)], KeyLog = null }.Listener;
        using var client = new MemoryClient(s.Groups, s.Resume);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        double cpu = 0;
        long n = 0;
        for (; sw.Elapsed.TotalSeconds < seconds; n++) cpu += client.Handshake(new SharpTlsSide(listener));
        Console.WriteLine($"{n} handshakes, server {cpu * 1e6 / n:0} µs CPU each");
        return 0;
    }

    /// <summary>
    /// `inmem count INDEX sharptls|libssl N`: exactly N handshakes against one server after a fixed warm-up, for an
    /// instruction counter run over the whole process (valgrind --tool=callgrind): the difference between two N gives
    /// instructions per handshake, client included (the same libssl client for both servers).
    /// </summary>
    private static int Count(Scenario s, bool libssl, int n)
    {
        using var pki = new PemFiles();
        var listener = new TlsServerOptions { Certificates = [new ServerCertificate(s.Rsa ? MicroPki.Rsa : MicroPki.Ecdsa)], KeyLog = null }.Listener;
        using var server = new LibSslServer(pki.Cert(s.Rsa), pki.Key(s.Rsa));
        using var client = new MemoryClient(s.Groups, s.Resume);
        for (int i = 0; i < n; i++) client.Handshake(libssl ? server.NewConnection() : new SharpTlsSide(listener));
        Console.WriteLine($"{n} handshakes");
        return 0;
    }

    /// <summary>
    /// `inmem bulk [MB]`: the server's cost of sending 1 MB of application data in memory (WriteApplicationData and taking
    /// the output, as TlsStream does per write), per AEAD, against the AEAD's floor (the BCL sealing 16 KB records into
    /// a buffer it reuses: what no implementation of the record layer can avoid). Thread CPU time, least of ten blocks.
    /// </summary>
    private static int Bulk(int megabytes)
    {
        byte[] payload = new byte[1 << 20];
        Random.Shared.NextBytes(payload);
        foreach (var (name, suite) in new[]
                 {
                     ("AES-128-GCM", CipherSuite.TLS_AES_128_GCM_SHA256), ("AES-256-GCM", CipherSuite.TLS_AES_256_GCM_SHA384),
                     ("ChaCha20-Poly1305", CipherSuite.TLS_CHACHA20_POLY1305_SHA256),
                 })
        {
            var serverOptions = new TlsServerOptions { Certificates = [new ServerCertificate(MicroPki.Ecdsa)], KeyLog = null, CipherSuites = [suite] };
            using var server = TlsConnection.CreateServer(serverOptions, new IPEndPoint(IPAddress.Loopback, 443), new IPEndPoint(IPAddress.Loopback, 50000));
            using var client = TlsConnection.CreateClient(new TlsClientOptions { TargetHost = "localhost", TrustedRoots = [MicroPki.Root], KeyLog = null, CipherSuites = [suite] });
            InMemory.Pump(client, server);
            if (server.Status != TlsStatus.Connected) throw new InvalidOperationException($"bulk {name}: {server.Failure}");
            long bytes = 0;
            void SendOneMb()
            {
                server.WriteApplicationData(payload);
                var pending = server.PendingOutput;
                bytes += pending.Length;
                server.ConsumeOutput(pending.Length);
            }
            double perMb = TimeOp(SendOneMb, warm: 50, n: megabytes);
            double floor = AeadFloor(suite, payload);
            Console.WriteLine($"{name,-18} server {perMb * 1e3:0.000} ms CPU per MB in memory; AEAD floor {floor * 1e3:0.000} ms ({perMb / floor:0.00}x); {bytes / (double)(50 + megabytes) / (1 << 20):0.0000} bytes out per byte");
        }
        return 0;
    }

    /// <summary>1 MB sealed as 64 records of 16 KB (plus the content-type byte) with the BCL's AEAD, into one reused buffer.</summary>
    private static double AeadFloor(CipherSuite suite, byte[] payload)
    {
        byte[] key = new byte[suite == CipherSuite.TLS_AES_128_GCM_SHA256 ? 16 : 32], nonce = new byte[12], tag = new byte[16];
        byte[] record = new byte[16385], output = new byte[16385], aad = new byte[5];
        using var gcm = suite == CipherSuite.TLS_CHACHA20_POLY1305_SHA256 ? null : new AesGcm(key, 16);
        using var chacha = suite == CipherSuite.TLS_CHACHA20_POLY1305_SHA256 ? new ChaCha20Poly1305(key) : null;
        void Seal()
        {
            for (int offset = 0; offset < payload.Length; offset += 16384)
            {
                payload.AsSpan(offset, 16384).CopyTo(record);
                if (gcm is not null) gcm.Encrypt(nonce, record, output, tag, aad);
                else chacha!.Encrypt(nonce, record, output, tag, aad);
            }
        }
        return TimeOp(Seal, warm: 50, n: 200);
    }

    public static List<Result> Measure(int blocks, int perBlock, TextWriter log, string? only = null)
    {
        using var pki = new PemFiles();
        var results = new List<Result>();
        foreach (var s in Scenarios)
        {
            if (only is not null && !s.Name.Contains(only, StringComparison.OrdinalIgnoreCase)) continue;
            var cert = s.Rsa ? MicroPki.Rsa : MicroPki.Ecdsa;
            var listener = new TlsServerOptions { Certificates = [new ServerCertificate(cert)], KeyLog = null }.Listener;
            // One client per server: each keeps the tickets of its own server.
            using var client = new MemoryClient(s.Groups, s.Resume);
            using var libsslClient = new MemoryClient(s.Groups, s.Resume);
            using var libssl = new LibSslServer(pki.Cert(s.Rsa), pki.Key(s.Rsa));
            var ours = new List<double>();
            var theirs = new List<double>();
            // Warm-up: tiered compilation reaches optimized code for the SharpTls server. By count and by time: the
            // compiler's background thread is slow to get a core on a loaded machine.
            var warm = System.Diagnostics.Stopwatch.StartNew();
            for (int i = 0; i < 2000 || warm.Elapsed < TimeSpan.FromSeconds(results.Count == 0 ? 10 : 3); i++) client.Handshake(new SharpTlsSide(listener));
            for (int i = 0; i < 200; i++) libsslClient.Handshake(libssl.NewConnection());
            for (int block = 0; block < blocks; block++)
            {
                double sum = 0;
                for (int i = 0; i < perBlock; i++) sum += client.Handshake(new SharpTlsSide(listener));
                ours.Add(sum / perBlock);
                sum = 0;
                for (int i = 0; i < perBlock; i++) sum += libsslClient.Handshake(libssl.NewConnection());
                theirs.Add(sum / perBlock);
            }
            double floor = Floor(s, cert);
            // The least block: load on the shared machine only adds to a thread's CPU time (cache and TLB misses).
            results.Add(new Result(s, ours.Min() * 1e6, theirs.Min() * 1e6, floor));
            log.WriteLine($"  {s.Name}: SharpTls blocks [{string.Join(", ", ours.Select(x => (x * 1e6).ToString("0")))}] libssl [{string.Join(", ", theirs.Select(x => (x * 1e6).ToString("0")))}]");
        }
        return results;
    }

    /// <summary>
    /// The crypto floor of the scenario with the primitives SharpTls uses now (its default provider): the server's
    /// key-share response and, for a full handshake, one CertificateVerify signature through the provider.
    /// </summary>
    private static double Floor(Scenario s, X509Certificate2 cert)
    {
        var provider = Crypto.CryptoProviders.Default;
        NamedGroup group = s.Groups == "P-256" ? NamedGroup.Secp256r1 : NamedGroup.X25519;
        using var peer = provider.GenerateKeyShare(group);
        byte[] share = peer.PublicKey.ToArray();
        byte[] content = Crypto.TlsSignatures.Tls13SignedContent(true, SHA256.HashData("transcript"u8));
        SignatureScheme scheme = s.Rsa ? SignatureScheme.RsaPssRsaeSha256 : SignatureScheme.EcdsaSecp256r1Sha256;
        double kx = TimeOp(() => CryptographicOperations.ZeroMemory(provider.RespondKeyShare(group, share).SharedSecret));
        double sign = s.Resume ? 0 : TimeOp(() => provider.Sign(scheme, cert, content));
        return (kx + sign) * 1e6;
    }

    internal static double TimeOp(Action op, int warm = 300, int n = 1000)
    {
        for (int i = 0; i < warm; i++) op();
        var samples = new List<double>();
        for (int block = 0; block < 10; block++)
        {
            double t0 = Proc.ThreadCpuSeconds();
            for (int i = 0; i < n / 10; i++) op();
            samples.Add((Proc.ThreadCpuSeconds() - t0) / (n / 10));
        }
        return samples.Min();
    }

    private static double Median(List<double> xs)
    {
        var s = xs.OrderBy(x => x).ToList();
        return s[s.Count / 2];
    }

    /// <summary>A server under test: takes the client's bytes, returns its own; times only itself.</summary>
    internal interface IServerSide : IDisposable
    {
        /// <summary>Feeds client bytes and returns the server's answer; adds the CPU seconds spent to <paramref name="cpu"/>.</summary>
        byte[] Exchange(ReadOnlySpan<byte> fromClient, ref double cpu);
        bool Done { get; }
    }

    private sealed class SharpTlsSide(TlsServerListener listener) : IServerSide
    {
        private static readonly IPEndPoint Local = new(IPAddress.Loopback, 443), Remote = new(IPAddress.Loopback, 50000);
        private TlsConnection? _c;

        public bool Done => _c?.Status == TlsStatus.Connected;

        public byte[] Exchange(ReadOnlySpan<byte> fromClient, ref double cpu)
        {
            double t0 = Proc.ThreadCpuSeconds();
            _c ??= TlsConnection.CreateServer(listener, Local, Remote);
            while (!fromClient.IsEmpty)
            {
                int taken = _c.Feed(fromClient);
                fromClient = fromClient[taken..];
                if (_c.Status == TlsStatus.WaitingForHost)
                {
                    var answer = _c.AnswerHostRequestAsync(CancellationToken.None);
                    if (!answer.IsCompleted) answer.AsTask().GetAwaiter().GetResult();
                }
                else if (taken == 0) break;
            }
            if (_c.Status is TlsStatus.Closed) throw new InvalidOperationException($"SharpTls server failed: {_c.Failure}");
            var pending = _c.PendingOutput;
            byte[] output = pending.ToArray();
            _c.ConsumeOutput(pending.Length);
            cpu += Proc.ThreadCpuSeconds() - t0;
            return output;
        }

        public void Dispose() => _c?.Dispose();
    }

    /// <summary>libssl's server on a pair of memory BIOs.</summary>
    internal sealed class LibSslServer : IDisposable
    {
        private readonly nint _ctx;

        public LibSslServer(string certPem, string keyPem)
        {
            _ctx = Ssl.SSL_CTX_new(Native.TLS_server_method());
            Ssl.SetVersionRange(_ctx, Ssl.TLS1_3_VERSION, Ssl.TLS1_3_VERSION);
            if (Ssl.SSL_CTX_use_certificate_chain_file(_ctx, certPem) != 1 || Ssl.SSL_CTX_use_PrivateKey_file(_ctx, keyPem, 1) != 1)
                throw new InvalidOperationException("libssl server certificate: " + Ssl.LastError());
        }

        public IServerSide NewConnection() => new Side(_ctx);

        public void Dispose() => Ssl.SSL_CTX_free(_ctx);

        private sealed class Side : IServerSide
        {
            private readonly nint _ctx;
            private nint _ssl, _in, _out;

            public Side(nint ctx) => _ctx = ctx;

            public bool Done { get; private set; }

            public byte[] Exchange(ReadOnlySpan<byte> fromClient, ref double cpu)
            {
                double t0 = Proc.ThreadCpuSeconds();
                if (_ssl == 0)
                {
                    _ssl = Ssl.SSL_new(_ctx);
                    _in = Native.BIO_new(Native.BIO_s_mem());
                    _out = Native.BIO_new(Native.BIO_s_mem());
                    Native.SSL_set_bio(_ssl, _in, _out);
                    Native.SSL_set_accept_state(_ssl);
                }
                fixed (byte* p = fromClient) Native.BIO_write(_in, p, fromClient.Length);
                int r = Native.SSL_do_handshake(_ssl);
                if (r == 1) Done = true;
                else if (Ssl.SSL_get_error(_ssl, r) != 2) throw new InvalidOperationException("libssl server: " + Ssl.LastError());
                byte[] output = Native.Drain(_out);
                cpu += Proc.ThreadCpuSeconds() - t0;
                return output;
            }

            public void Dispose()
            {
                if (_ssl != 0) Ssl.SSL_free(_ssl); // frees both BIOs
                Ssl.ERR_clear_error();
            }
        }
    }

    /// <summary>The driving client: libssl on memory BIOs, TLS 1.3 only, one group; keeps the newest ticket when resuming.</summary>
    internal sealed class MemoryClient : IDisposable
    {
        private readonly nint _ctx;
        private readonly bool _resume;
        private nint _session;

        public MemoryClient(string groups, bool resume)
        {
            _resume = resume;
            _ctx = Ssl.SSL_CTX_new(Ssl.TLS_client_method());
            Ssl.SetVersionRange(_ctx, Ssl.TLS1_3_VERSION, Ssl.TLS1_3_VERSION);
            Ssl.SetGroups(_ctx, groups);
            Ssl.SetSigalgs(_ctx, "ECDSA+SHA256:rsa_pss_rsae_sha256");
            Ssl.DisableSessionCache(_ctx);
        }

        /// <summary>One handshake against <paramref name="server"/> (disposed here); returns the server's CPU seconds.</summary>
        public double Handshake(IServerSide server)
        {
            using var _ = server;
            nint ssl = Ssl.SSL_new(_ctx);
            nint rbio = Native.BIO_new(Native.BIO_s_mem()), wbio = Native.BIO_new(Native.BIO_s_mem());
            Native.SSL_set_bio(ssl, rbio, wbio);
            Native.SSL_set_connect_state(ssl);
            if (_resume && _session != 0) Ssl.SSL_set_session(ssl, _session);
            double cpu = 0;
            try
            {
                bool clientDone = false;
                for (int round = 0; round < 10 && !(clientDone && server.Done); round++)
                {
                    int r = Native.SSL_do_handshake(ssl);
                    if (r == 1) clientDone = true;
                    else if (Ssl.SSL_get_error(ssl, r) != 2) throw new InvalidOperationException("client: " + Ssl.LastError());
                    byte[] toServer = Native.Drain(wbio);
                    byte[] toClient = server.Exchange(toServer, ref cpu);
                    fixed (byte* p = toClient) Native.BIO_write(rbio, p, toClient.Length);
                }
                if (!clientDone || !server.Done) throw new InvalidOperationException("handshake did not complete");
                if (_resume && _session != 0 && Ssl.SSL_session_reused(ssl) != 1)
                    throw new InvalidOperationException($"the ticket was not accepted by {server.GetType().Name}");
                // The tickets: read them so the session can be kept.
                byte* buf = stackalloc byte[16];
                Ssl.SSL_read(ssl, buf, 16);
                if (_resume)
                {
                    nint s = Ssl.SSL_get1_session(ssl);
                    if (s != 0)
                    {
                        if (_session != 0) Ssl.SSL_SESSION_free(_session);
                        _session = s;
                    }
                }
            }
            finally
            {
                // close_notify first (into the BIO, not sent): a session freed without it is marked not resumable.
                Ssl.SSL_shutdown(ssl);
                Ssl.SSL_free(ssl);
                Ssl.ERR_clear_error();
            }
            return cpu;
        }

        public void Dispose()
        {
            if (_session != 0) Ssl.SSL_SESSION_free(_session);
            Ssl.SSL_CTX_free(_ctx);
        }
    }

    /// <summary>The in-memory certificates as PEM files for libssl.</summary>
    private sealed class PemFiles : IDisposable
    {
        private readonly string _dir = Directory.CreateTempSubdirectory("sharptls-inmem-").FullName;

        public PemFiles()
        {
            Write("ecdsa", MicroPki.Ecdsa, MicroPki.Ecdsa.GetECDsaPrivateKey()!);
            Write("rsa", MicroPki.Rsa, MicroPki.Rsa.GetRSAPrivateKey()!);
        }

        private void Write(string name, X509Certificate2 cert, AsymmetricAlgorithm key)
        {
            File.WriteAllText(Path.Combine(_dir, name + ".crt"), cert.ExportCertificatePem());
            File.WriteAllText(Path.Combine(_dir, name + ".key"), key.ExportPkcs8PrivateKeyPem());
            key.Dispose();
        }

        public string Cert(bool rsa) => Path.Combine(_dir, (rsa ? "rsa" : "ecdsa") + ".crt");
        public string Key(bool rsa) => Path.Combine(_dir, (rsa ? "rsa" : "ecdsa") + ".key");

        public void Dispose() => Directory.Delete(_dir, recursive: true);
    }

    private static partial class Native
    {
        [LibraryImport("libssl.so.3")] public static partial nint TLS_server_method();
        [LibraryImport("libssl.so.3")] public static partial void SSL_set_bio(nint ssl, nint rbio, nint wbio);
        [LibraryImport("libssl.so.3")] public static partial void SSL_set_accept_state(nint ssl);
        [LibraryImport("libssl.so.3")] public static partial void SSL_set_connect_state(nint ssl);
        [LibraryImport("libssl.so.3")] public static partial int SSL_do_handshake(nint ssl);
        [LibraryImport("libcrypto.so.3")] public static partial nint BIO_s_mem();
        [LibraryImport("libcrypto.so.3")] public static partial nint BIO_new(nint method);
        [LibraryImport("libcrypto.so.3")] public static partial int BIO_write(nint bio, byte* data, int length);
        [LibraryImport("libcrypto.so.3")] public static partial int BIO_read(nint bio, byte* data, int length);
        [LibraryImport("libcrypto.so.3")] public static partial long BIO_ctrl(nint bio, int cmd, long larg, nint parg);

        public static byte[] Drain(nint bio)
        {
            const int BIO_CTRL_PENDING = 10;
            int n = (int)BIO_ctrl(bio, BIO_CTRL_PENDING, 0, 0);
            if (n <= 0) return [];
            byte[] output = new byte[n];
            fixed (byte* p = output) BIO_read(bio, p, n);
            return output;
        }
    }
}
