using System.Runtime.InteropServices;

namespace SharpTls.Benchmarks.Harness;

/// <summary>CPU time and resident memory of a process, from /proc.</summary>
internal static partial class Proc
{
    private static readonly double TickSeconds = 1.0 / ClockTicks();

    /// <summary>utime + stime of the whole process (all threads, dead ones included), in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after "(comm)": state is field 3; utime and stime are fields 14 and 15.
        var f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return (long.Parse(f[11]) + long.Parse(f[12])) * TickSeconds;
    }

    /// <summary>VmRSS in bytes.</summary>
    public static long RssBytes(int pid)
    {
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
                return long.Parse(line[6..].Trim().Split(' ')[0]) * 1024;
        throw new InvalidOperationException($"no VmRSS for pid {pid}");
    }

    public static double TickMilliseconds => TickSeconds * 1000;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec { public long Seconds; public long Nanoseconds; }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clock, out TimeSpec time);

    /// <summary>CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID), in seconds, nanosecond resolution.</summary>
    public static double ThreadCpuSeconds()
    {
        const int CLOCK_THREAD_CPUTIME_ID = 3;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, out var t);
        return t.Seconds + t.Nanoseconds * 1e-9;
    }

    /// <summary>The 1, 5 and 15 minute load averages (other work on the machine disturbs wall-clock figures).</summary>
    public static string LoadAverage() => string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

    [LibraryImport("libc", SetLastError = true)]
    private static partial long sysconf(int name);

    private static long ClockTicks()
    {
        const int _SC_CLK_TCK = 2;
        long t = sysconf(_SC_CLK_TCK);
        return t > 0 ? t : 100;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit { public ulong Cur; public ulong Max; }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int getrlimit(int resource, out RLimit limit);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int setrlimit(int resource, in RLimit limit);

    /// <summary>Raises the soft open-files limit (RLIMIT_NOFILE) toward <paramref name="wanted"/>, up to the hard limit; returns (soft, hard) after.</summary>
    public static (ulong Soft, ulong Hard) RaiseOpenFiles(ulong wanted)
    {
        const int RLIMIT_NOFILE = 7;
        getrlimit(RLIMIT_NOFILE, out var l);
        if (l.Cur < wanted)
        {
            var n = new RLimit { Cur = Math.Min(wanted, l.Max), Max = l.Max };
            if (setrlimit(RLIMIT_NOFILE, n) == 0) l = n;
        }
        return (l.Cur, l.Max);
    }
}
