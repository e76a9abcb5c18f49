using System.Diagnostics;
using System.Net;
using System.Text;

namespace SharpTls.Hosting.Tests;

/// <summary>A real peer's run: exit code and output.</summary>
public sealed record PeerResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\nstdout: {Stdout}\nstderr: {Stderr}";
}

/// <summary>Runs real peers (curl, openssl, browsers); a missing peer fails the test.</summary>
public static class Peer
{
    public static async Task<PeerResult> RunAsync(string file, IEnumerable<string> args, TimeSpan? timeout = null, string? stdin = null, IDictionary<string, string>? env = null,
        string? workingDirectory = null)
    {
        var psi = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        if (workingDirectory is not null) psi.WorkingDirectory = workingDirectory;
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (stdin is not null) await p.StandardInput.WriteAsync(stdin);
        p.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync();
            return new PeerResult(-1, await stdout, await stderr + $"\n[killed after {(timeout ?? TimeSpan.FromSeconds(60)).TotalSeconds} s]");
        }
        return new PeerResult(p.ExitCode, await stdout, await stderr);
    }

    public static Task<PeerResult> CurlAsync(params string[] args) => RunAsync("curl", ["-sS", "--max-time", "20", .. args]);

    /// <summary>Runs curl every 250 ms until <paramref name="done"/> holds or 20 s have passed; returns the last run (the caller asserts on it).</summary>
    public static async Task<PeerResult> CurlUntilAsync(Func<PeerResult, bool> done, params string[] args)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        var result = await CurlAsync(args);
        while (!done(result) && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            result = await CurlAsync(args);
        }
        return result;
    }

    /// <summary>Runs <paramref name="run"/> every 250 ms until <paramref name="done"/> holds or 20 s have passed; returns the last run (the
    /// caller asserts on it). For a change a running host applies within a second or so.</summary>
    public static async Task<PeerResult> UntilAsync(Func<Task<PeerResult>> run, Func<PeerResult, bool> done)
    {
        var until = DateTime.UtcNow.AddSeconds(20);
        var result = await run();
        while (!done(result) && DateTime.UtcNow < until)
        {
            await Task.Delay(250);
            result = await run();
        }
        return result;
    }

    /// <summary>The subject of the certificate a server presents, as openssl prints it ("CN = www.contoso.test").</summary>
    public static async Task<string> ServedSubjectAsync(int port, string? serverName, string caFile)
    {
        var connect = await RunAsync("openssl", ["s_client", "-connect", $"127.0.0.1:{port}", .. serverName is null ? new[] { "-noservername" } : ["-servername", serverName], "-CAfile", caFile], TimeSpan.FromSeconds(20), stdin: "");
        var x509 = await RunAsync("openssl", ["x509", "-noout", "-subject"], TimeSpan.FromSeconds(10), stdin: connect.Stdout);
        Assert.True(x509.ExitCode == 0, $"openssl got no certificate: {connect}");
        return x509.Stdout.Trim();
    }
}

/// <summary>Files a test keeps for people to look at: under the repository's TestResults/ (ignored by git).</summary>
public static class TestArtifacts
{
    public static string PathFor(string folder, string name)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(System.IO.Path.Combine(dir.FullName, "SharpTls.slnx"))) dir = dir.Parent;
        string path = System.IO.Path.Combine(dir?.FullName ?? AppContext.BaseDirectory, "TestResults", folder);
        Directory.CreateDirectory(path);
        return System.IO.Path.Combine(path, name);
    }
}
