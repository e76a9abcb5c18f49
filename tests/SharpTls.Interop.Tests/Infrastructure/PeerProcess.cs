using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Default time limits of the interop harness. No wait is ever unbounded.</summary>
public static class PeerTimeouts
{
    /// <summary>Default limit for one wait (a line of output, a port, an exit).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Default lifetime of a peer process: it is killed after this, whatever it is doing.</summary>
    public static readonly TimeSpan Hard = TimeSpan.FromSeconds(45);
}

/// <summary>A peer misbehaved: timed out, exited early or printed something unexpected. The message carries its output.</summary>
public class PeerException(string message) : Exception(message);

/// <summary>A peer program is not on PATH. Interop tests fail (never skip) on this.</summary>
public sealed class PeerNotInstalledException(string program, string package)
    : PeerException($"peer {program} is not installed (apt-get install {package})")
{
    /// <summary>The missing program.</summary>
    public string Program { get; } = program;

    /// <summary>The Debian package that provides it.</summary>
    public string Package { get; } = package;
}

/// <summary>Which captured stream a wait looks at.</summary>
public enum OutputStream
{
    /// <summary>stdout and stderr interleaved in arrival order.</summary>
    Combined,
    /// <summary>Standard output only.</summary>
    StandardOutput,
    /// <summary>Standard error only.</summary>
    StandardError,
}

/// <summary>Options for <see cref="PeerProcess.Start"/>.</summary>
public sealed record PeerProcessOptions
{
    /// <summary>Name used in failure messages (defaults to the program).</summary>
    public string? DisplayName { get; init; }

    /// <summary>The process is killed (with its children) after this long.</summary>
    public TimeSpan HardTimeout { get; init; } = PeerTimeouts.Hard;

    /// <summary>Working directory; defaults to the current one.</summary>
    public string? WorkingDirectory { get; init; }

    /// <summary>Extra environment variables.</summary>
    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    /// <summary>Run through <c>stdbuf -o0 -e0</c> so stdio output arrives as it is written.</summary>
    public bool Unbuffered { get; init; } = true;
}

/// <summary>
/// A peer program (openssl, gnutls-cli, curl, python3 ...) run with redirected stdin/stdout/stderr.
/// Output is captured into buffers readable while it runs; waits match a regex against it; the
/// process is killed (whole tree) on dispose and after a hard timeout, so no test can hang.
/// </summary>
public sealed class PeerProcess : IAsyncDisposable, IDisposable
{
    private static readonly Dictionary<string, string> Packages = new()
    {
        ["openssl"] = "openssl",
        ["gnutls-cli"] = "gnutls-bin",
        ["gnutls-serv"] = "gnutls-bin",
        ["certtool"] = "gnutls-bin",
        ["curl"] = "curl",
        ["python3"] = "python3",
        ["tshark"] = "tshark",
        ["nginx"] = "nginx",
        ["redis-server"] = "redis-server",
        ["chromium"] = "chromium",
        ["certutil"] = "libnss3-tools",
        ["pk12util"] = "libnss3-tools",
        ["tstclnt"] = "libnss3-tools",
        ["selfserv"] = "libnss3-tools",
        ["stdbuf"] = "coreutils",
    };

    private readonly Process _process;
    private readonly object _gate = new();
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly StringBuilder _combined = new();
    private readonly Task _pump;
    private readonly CancellationTokenSource _hardTimeout;
    private TaskCompletionSource _changed = NewSignal();
    private bool _outputComplete;
    private volatile bool _timedOut;
    private bool _disposed;

    private PeerProcess(Process process, string name, string commandLine, TimeSpan hardTimeout)
    {
        _process = process;
        Name = name;
        CommandLine = commandLine;
        HardTimeout = hardTimeout;
        _pump = Task.WhenAll(
            PumpAsync(process.StandardOutput, _stdout),
            PumpAsync(process.StandardError, _stderr)).ContinueWith(_ =>
            {
                lock (_gate)
                {
                    _outputComplete = true;
                    SignalLocked();
                }
            }, TaskScheduler.Default);
        _hardTimeout = new CancellationTokenSource(hardTimeout);
        _hardTimeout.Token.Register(() =>
        {
            _timedOut = true;
            KillTree();
        });
    }

    /// <summary>Name used in messages ("openssl s_server").</summary>
    public string Name { get; }

    /// <summary>The command line, as a shell would show it.</summary>
    public string CommandLine { get; }

    /// <summary>The lifetime limit.</summary>
    public TimeSpan HardTimeout { get; }

    /// <summary>OS process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Exit code, once exited.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>True if the hard timeout killed the process.</summary>
    public bool TimedOut => _timedOut;

    /// <summary>Everything written to stdout so far.</summary>
    public string StandardOutput { get { lock (_gate) return _stdout.ToString(); } }

    /// <summary>Everything written to stderr so far.</summary>
    public string StandardError { get { lock (_gate) return _stderr.ToString(); } }

    /// <summary>stdout and stderr so far, interleaved in arrival order.</summary>
    public string Output { get { lock (_gate) return _combined.ToString(); } }

    /// <summary>Length of the combined output so far (a start position for a later wait).</summary>
    public int OutputLength { get { lock (_gate) return _combined.Length; } }

    /// <summary>Throws <see cref="PeerNotInstalledException"/> if <paramref name="program"/> is not on PATH; returns its full path.</summary>
    public static string Require(string program)
    {
        string? found = FindOnPath(program);
        if (found is null)
            throw new PeerNotInstalledException(program, Packages.GetValueOrDefault(program, program));
        return found;
    }

    /// <summary>True if <paramref name="program"/> is on PATH.</summary>
    public static bool IsInstalled(string program) => FindOnPath(program) is not null;

    private static string? FindOnPath(string program)
    {
        if (program.Contains('/'))
            return File.Exists(program) ? program : null;
        foreach (string dir in (System.Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            string candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
                return candidate;
        }
        return null;
    }

    /// <summary>Starts <paramref name="program"/> with <paramref name="args"/> (no shell, no quoting issues).</summary>
    public static PeerProcess Start(string program, IEnumerable<string> args, PeerProcessOptions? options = null)
    {
        options ??= new PeerProcessOptions();
        string path = Require(program);
        var argList = args.ToList();
        var psi = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = options.WorkingDirectory ?? "",
        };
        string? stdbuf = options.Unbuffered ? FindOnPath("stdbuf") : null;
        if (stdbuf is not null)
        {
            psi.FileName = stdbuf;
            psi.ArgumentList.Add("-o0");
            psi.ArgumentList.Add("-e0");
            psi.ArgumentList.Add(path);
        }
        else
        {
            psi.FileName = path;
        }
        foreach (string a in argList)
            psi.ArgumentList.Add(a);
        if (options.Environment is not null)
            foreach (var (k, v) in options.Environment)
                psi.Environment[k] = v;

        string commandLine = string.Join(' ', argList.Prepend(program).Select(Quote));
        var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            process.Dispose();
            throw new PeerException($"could not start {commandLine}: {e.Message}");
        }
        return new PeerProcess(process, options.DisplayName ?? program, commandLine, options.HardTimeout);
    }

    private static string Quote(string s) =>
        s.Length > 0 && s.All(c => char.IsLetterOrDigit(c) || "-_./:=,@+%".Contains(c)) ? s : "'" + s.Replace("'", "'\\''") + "'";

    private async Task PumpAsync(StreamReader reader, StringBuilder target)
    {
        var buffer = new char[4096];
        try
        {
            while (true)
            {
                int n = await reader.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                if (n == 0)
                    break;
                lock (_gate)
                {
                    target.Append(buffer, 0, n);
                    _combined.Append(buffer, 0, n);
                    SignalLocked();
                }
            }
        }
        catch (ObjectDisposedException)
        {
        }
        catch (IOException)
        {
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private void SignalLocked()
    {
        _changed.TrySetResult();
        _changed = NewSignal();
    }

    private StringBuilder Buffer(OutputStream stream) => stream switch
    {
        OutputStream.StandardOutput => _stdout,
        OutputStream.StandardError => _stderr,
        _ => _combined,
    };

    /// <summary>Writes text to the peer's stdin.</summary>
    public async Task WriteAsync(string text)
    {
        try
        {
            await _process.StandardInput.WriteAsync(text).ConfigureAwait(false);
            await _process.StandardInput.FlushAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            throw Failure($"could not write to stdin ({e.Message})");
        }
    }

    /// <summary>Writes a line (with '\n') to the peer's stdin.</summary>
    public Task WriteLineAsync(string line) => WriteAsync(line + "\n");

    /// <summary>Closes the peer's stdin (EOF).</summary>
    public void CloseInput()
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (IOException)
        {
        }
    }

    /// <summary>
    /// Waits until the output (from <paramref name="startAt"/>) matches <paramref name="pattern"/>.
    /// Throws <see cref="PeerException"/> with the output on timeout or if the peer exits first.
    /// </summary>
    public async Task<Match> WaitForOutputAsync(string pattern, TimeSpan? timeout = null, int startAt = 0, OutputStream stream = OutputStream.Combined)
    {
        Match? m = await TryWaitForOutputAsync(pattern, timeout, startAt, stream).ConfigureAwait(false);
        return m ?? throw Failure($"exited (code {ExitCode}) before printing /{pattern}/");
    }

    /// <summary>
    /// Waits until the output matches <paramref name="pattern"/>; returns null if the peer exits
    /// (and its output ends) without a match. Throws <see cref="PeerException"/> on timeout.
    /// </summary>
    public async Task<Match?> TryWaitForOutputAsync(string pattern, TimeSpan? timeout = null, int startAt = 0, OutputStream stream = OutputStream.Combined)
    {
        var regex = new Regex(pattern, RegexOptions.Multiline | RegexOptions.CultureInvariant);
        Match? found = null;
        await TryWaitUntilAsync(text =>
        {
            var m = regex.Match(text, Math.Min(startAt, text.Length));
            found = m.Success ? m : null;
            return m.Success;
        }, $"/{pattern}/", timeout, stream).ConfigureAwait(false);
        return found;
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds for the output so far (re-checked whenever output arrives).
    /// Returns false if the peer exits (and its output ends) first; throws <see cref="PeerException"/> on timeout.
    /// </summary>
    public async Task<bool> TryWaitUntilAsync(Func<string, bool> condition, string description, TimeSpan? timeout = null, OutputStream stream = OutputStream.Combined)
    {
        var limit = timeout ?? PeerTimeouts.Wait;
        var sw = Stopwatch.StartNew();
        while (true)
        {
            Task changed;
            bool complete;
            string text;
            lock (_gate)
            {
                text = Buffer(stream).ToString();
                complete = _outputComplete;
                changed = _changed.Task;
            }
            if (condition(text))
                return true;
            if (complete)
                return false;
            var remaining = limit - sw.Elapsed;
            if (remaining <= TimeSpan.Zero)
                throw Failure($"did not print {description} within {limit.TotalSeconds:0.#} s");
            await Task.WhenAny(changed, Task.Delay(remaining)).ConfigureAwait(false);
        }
    }

    /// <summary>Waits for the process to exit and its output to be fully read; returns the exit code. Kills it and throws on timeout.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var limit = timeout ?? PeerTimeouts.Wait;
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            await _pump.WaitAsync(cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            KillTree();
            throw Failure($"did not exit within {limit.TotalSeconds:0.#} s");
        }
        return _process.ExitCode;
    }

    /// <summary>Builds an exception whose message has the command line, the state and the full output.</summary>
    public PeerException Failure(string what)
    {
        var sb = new StringBuilder();
        sb.Append(Name).Append(": ").AppendLine(what);
        sb.Append("  command: ").AppendLine(CommandLine);
        sb.Append("  state: ").AppendLine(_timedOut ? $"killed after hard timeout {HardTimeout.TotalSeconds:0} s"
            : HasExited ? $"exited with code {ExitCode}" : "running");
        lock (_gate)
        {
            sb.AppendLine("  ---- stdout ----").AppendLine(Tail(_stdout.ToString()));
            sb.AppendLine("  ---- stderr ----").AppendLine(Tail(_stderr.ToString()));
        }
        return new PeerException(sb.ToString());
    }

    private static string Tail(string s) => s.Length <= 20000 ? s : "...\n" + s[^20000..];

    /// <summary>Kills the process and all its children (no-op if exited).</summary>
    public void KillTree()
    {
        try
        {
            if (!_process.HasExited)
                _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
        }
        catch (System.ComponentModel.Win32Exception)
        {
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
            return;
        _disposed = true;
        _hardTimeout.Dispose();
        KillTree();
        try
        {
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await _pump.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
        _process.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override string ToString() => $"{Name} (pid {Id}): {CommandLine}";
}
