using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Security;
using SharpTls.Crypto;

namespace SharpTls.Benchmarks.Micro;

/// <summary>
/// <c>robot [N] [--managed] [--minutes M] [--out FILE]</c>: the ROBOT/Marvin timing check of the server's RSA key-exchange decryption (issue 9 item 1).
/// The server's path (<see cref="ICryptoProvider.DecryptRsaPreMasterSecret"/>, as ExpectClientKeyExchange calls it) is
/// timed on valid EncryptedPreMasterSecrets and on each class of invalid one, N samples per class, the classes
/// interleaved in random order (dudect's design: the same conditions for every class). Each invalid class is compared
/// with the valid one by Welch's t-test on all samples and on the samples below the pooled 90th percentile (dudect's
/// cropping, which drops preemption outliers on a shared machine). |t| above 4.5 is reported as a suspected difference.
/// The padding classes are built by raw RSA (BouncyCastle's RsaEngine) over a hand-made PKCS#1 block; the
/// "wrong length ciphertext" class is a public fact (its length) and is rejected before any private-key work, by design.
/// With <c>--managed</c> the managed fallback (<see cref="RsaKeyExchange.DecryptManaged"/>, the path taken where libcrypto
/// does not load or cannot serve the key) is timed instead, called as the provider calls it: a fresh substitute drawn
/// from the provider, then the branch-free check.
/// <para>
/// Each sample is taken twice: wall time (what a peer could observe, but on a shared machine mostly other processes'
/// slices) and the measuring thread's own CPU time (<c>CLOCK_THREAD_CPUTIME_ID</c>: the work this decryption did, without
/// the time the thread spent preempted), and both are tested. The order is drawn per round (every class once per round,
/// shuffled), so with <c>--minutes M</c> the run stops after M minutes at a round boundary with equal counts per class.
/// </para>
/// </summary>
public static class RsaTiming
{
    private sealed record Class(string Name, byte[] Ciphertext, bool Public = false);

    public static int Run(string[] args)
    {
        int n = args.Length > 0 && int.TryParse(args[0], out int given) ? given : 100_000;
        string? outFile = args.SkipWhile(a => a != "--out").Skip(1).FirstOrDefault();
        bool managed = args.Contains("--managed");
        string? minutesArg = args.SkipWhile(a => a != "--minutes").Skip(1).FirstOrDefault();
        TimeSpan budget = minutesArg is null ? TimeSpan.MaxValue : TimeSpan.FromMinutes(double.Parse(minutesArg, CultureInfo.InvariantCulture));
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=robot timing", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var provider = CryptoProviders.Default;
        int k = rsa.KeySize / 8;
        var classes = BuildClasses(rsa, k, provider);

        byte[] pms = new byte[48], substitute = new byte[48];
        Action<byte[]> decrypt = managed
            ? ct =>
            {
                provider.Fill(substitute);
                RsaKeyExchange.DecryptManaged(rsa, ct, 0x0303, substitute, pms);
            }
            : ct => provider.DecryptRsaPreMasterSecret(certificate, ct, 0x0303, pms);

        // Warm-up: JIT, libcrypto's blinding set-up, caches.
        for (int i = 0; i < 2000; i++)
            decrypt(classes[i % classes.Count].Ciphertext);

        var samples = classes.Select(_ => new List<long>(n)).ToArray();
        var cpu = classes.Select(_ => new List<long>(n)).ToArray();
        var order = new int[classes.Count];
        for (int i = 0; i < order.Length; i++) order[i] = i;
        var wall = Stopwatch.StartNew();
        int rounds = 0;
        for (; rounds < n && wall.Elapsed < budget; rounds++)
        {
            RandomNumberGenerator.Shuffle(order.AsSpan());
            foreach (int c in order)
            {
                byte[] ct = classes[c].Ciphertext;
                long cpuStart = ThreadCpuNanoseconds();
                long start = Stopwatch.GetTimestamp();
                decrypt(ct);
                long end = Stopwatch.GetTimestamp();
                cpu[c].Add(ThreadCpuNanoseconds() - cpuStart);
                samples[c].Add(end - start);
            }
        }
        wall.Stop();

        string path = managed ? "managed fallback (RsaKeyExchange.DecryptManaged: BouncyCastle's blinded raw RSA on the key's form made once per key, branch-free padding check)"
            : OpenSslRsaKeyExchange.IsAvailable ? "libcrypto TLS padding mode (implicit rejection)" : "managed fallback (libcrypto did not load)";
        double tick = 1e9 / Stopwatch.Frequency;
        string report = Report(classes, samples, rounds, wall.Elapsed, path, "wall time", tick)
            + "\n" + Report(classes, cpu, rounds, wall.Elapsed, path, "the measuring thread's CPU time (CLOCK_THREAD_CPUTIME_ID)", 1.0);
        Console.Write(report);
        if (outFile is not null) File.WriteAllText(outFile, report);
        return 0;
    }

    private static List<Class> BuildClasses(RSA rsa, int k, ICryptoProvider provider)
    {
        var publicKey = DotNetUtilities.GetRsaPublicKey(rsa.ExportParameters(false));
        var engine = new RsaEngine();
        engine.Init(true, publicKey);
        byte[] Raw(byte[] em)
        {
            byte[] c = engine.ProcessBlock(em, 0, em.Length);
            if (c.Length == k) return c;
            byte[] padded = new byte[k];
            c.CopyTo(padded, k - c.Length);
            return padded;
        }
        // EM = 0x00 || 0x02 || PS (non-zero) || 0x00 || M (RFC 8017 §7.2.1), with the knobs each class turns.
        byte[] Block(byte blockType = 2, int messageLength = 48, bool separator = true, ushort version = 0x0303)
        {
            byte[] em = new byte[k];
            em[0] = 0;
            em[1] = blockType;
            int psEnd = k - messageLength - 1;
            for (int i = 2; i < psEnd; i++) em[i] = (byte)RandomNumberGenerator.GetInt32(1, 256);
            em[psEnd] = separator ? (byte)0 : (byte)RandomNumberGenerator.GetInt32(1, 256);
            RandomNumberGenerator.Fill(em.AsSpan(psEnd + 1));
            if (messageLength >= 2)
            {
                em[psEnd + 1] = (byte)(version >> 8);
                em[psEnd + 2] = (byte)version;
            }
            return em;
        }
        // A value still below the modulus whose top byte is not zero: the plaintext is one byte longer as an integer, the
        // case Marvin probes with random ciphertexts (BouncyCastle's output conversion is variable-length).
        byte[] FirstByteNonzero(byte[] em)
        {
            byte top = rsa.ExportParameters(false).Modulus![0];
            em[0] = (byte)Math.Max(1, top / 2);
            return em;
        }
        byte[] valid = RsaKeyExchange.Encrypt(rsa, RsaKeyExchange.CreatePreMasterSecret(0x0303, provider), provider);
        byte[] noSeparator = Block(separator: false);
        for (int i = 2; i < k; i++) if (noSeparator[i] == 0) noSeparator[i] = 1;
        return
        [
            new("valid (0x0303 pre-master, correct padding)", valid),
            new("bad padding: block type 01", Raw(Block(blockType: 1))),
            new("bad padding: no zero separator", Raw(noSeparator)),
            new("wrong length: 47-byte message", Raw(Block(messageLength: 47))),
            new("wrong length: 49-byte message", Raw(Block(messageLength: 49))),
            new("wrong version: 0x0301 in the pre-master", Raw(Block(version: 0x0301))),
            new("malformed: block type 00 (no PKCS#1 v1.5 encryption block)", Raw(Block(blockType: 0))),
            new("malformed: first byte nonzero (as most random ciphertexts decrypt)", Raw(FirstByteNonzero(Block()))),
            new("malformed: ciphertext one byte short (public length check)", valid[1..], Public: true),
        ];
    }

    private static string Report(List<Class> classes, List<long>[] samples, int n, TimeSpan wall, string path, string clock, double tick)
    {
        var pooled = samples.SelectMany(s => s).Order().ToArray();
        long crop = pooled[(int)(pooled.Length * 0.9)];
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"RSA-2048 key-exchange decryption timing, {n:N0} samples per class, classes interleaved at random (shuffled per round); {wall.TotalSeconds:F0} s; timed by {clock}.\n");
        sb.Append(CultureInfo.InvariantCulture, $"Decryption path: {path}.\n");
        sb.Append(CultureInfo.InvariantCulture, $"Cropped: samples below the pooled 90th percentile ({crop * tick / 1000:F1} µs).\n\n");
        sb.Append("| class | median µs | mean µs | mean µs (cropped) | Welch t vs valid | t (cropped) | verdict |\n|---|---|---|---|---|---|---|\n");
        var valid = samples[0];
        for (int c = 0; c < classes.Count; c++)
        {
            var s = samples[c];
            var sorted = s.Order().ToArray();
            double median = sorted[sorted.Length / 2] * tick / 1000, mean = s.Average() * tick / 1000;
            var cropped = s.Where(v => v < crop).ToList();
            double croppedMean = cropped.Count > 0 ? cropped.Average() * tick / 1000 : double.NaN;
            string t = "-", tc = "-", verdict = "reference";
            if (c > 0)
            {
                double t1 = Welch(valid, s), t2 = Welch(valid.Where(v => v < crop).ToList(), cropped);
                t = t1.ToString("F2", CultureInfo.InvariantCulture);
                tc = t2.ToString("F2", CultureInfo.InvariantCulture);
                bool differs = Math.Abs(t1) > 4.5 || Math.Abs(t2) > 4.5;
                verdict = classes[c].Public ? (differs ? "differs (public length: rejected before the private-key operation)" : "no difference found")
                    : differs ? "SUSPECTED DIFFERENCE (|t| > 4.5)" : "no difference found (|t| <= 4.5)";
            }
            sb.Append(CultureInfo.InvariantCulture, $"| {classes[c].Name} | {median:F1} | {mean:F1} | {croppedMean:F1} | {t} | {tc} | {verdict} |\n");
        }
        return sb.ToString();
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out TimeSpec value);

    /// <summary>The calling thread's CPU time in nanoseconds (Linux <c>CLOCK_THREAD_CPUTIME_ID</c>).</summary>
    private static long ThreadCpuNanoseconds()
    {
        const int ClockThreadCpuTimeId = 3;
        if (ClockGetTime(ClockThreadCpuTimeId, out var t) != 0) throw new InvalidOperationException("clock_gettime(CLOCK_THREAD_CPUTIME_ID) failed");
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }

    /// <summary>Welch's t statistic of two samples.</summary>
    private static double Welch(IReadOnlyCollection<long> a, IReadOnlyCollection<long> b)
    {
        static (double Mean, double Var) Moments(IReadOnlyCollection<long> x)
        {
            double mean = x.Average(v => (double)v);
            double var = x.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1);
            return (mean, var);
        }
        var (ma, va) = Moments(a);
        var (mb, vb) = Moments(b);
        return (ma - mb) / Math.Sqrt(va / a.Count + vb / b.Count);
    }
}
