using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace SharpTls.Hosting.Tests;

/// <summary>
/// Points HOME (and so the CurrentUser X509 stores) and SHARPTLS_HOME at a fresh temporary folder before any
/// test runs: no test touches the real user's certificate store or data folder. Child processes inherit it.
/// </summary>
internal static class TestHome
{
    /// <summary>The temporary HOME of this test run.</summary>
    public static string Home { get; private set; } = "";

    /// <summary>HOME as the test run found it (where `dotnet tool restore` put the repository's tools).</summary>
    public static string? OriginalHome { get; private set; }

    [ModuleInitializer]
    internal static void Initialize()
    {
        OriginalHome = Environment.GetEnvironmentVariable("HOME");
        SharpTls.TestSupport.StaleTestDirectories.Sweep("sharptls-tests");
        Home = Path.Combine(Path.GetTempPath(), $"sharptls-tests-{Environment.ProcessId}-{Guid.NewGuid().ToString("N")[..8]}");
        Directory.CreateDirectory(Home);
        Environment.SetEnvironmentVariable("HOME", Home);
        Environment.SetEnvironmentVariable("SHARPTLS_HOME", Path.Combine(Home, "data"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try { Directory.Delete(Home, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        };
    }

    /// <summary>A new, empty data folder for one test.</summary>
    public static string NewDataDirectory()
    {
        string dir = Path.Combine(Home, "data-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(dir);
        return dir;
    }
}

/// <summary>Runs the real <c>sharptls</c> command (the built SharpTls.Cli.dll) as a child process.</summary>
internal static class Cli
{
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");

    public static ProcessStartInfo StartInfo(string dataDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Dll);
        foreach (string a in args) psi.ArgumentList.Add(a);
        psi.Environment["SHARPTLS_HOME"] = dataDirectory;
        psi.Environment["HOME"] = TestHome.Home;
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        return psi;
    }

    public static (int Exit, string Out, string Err) Run(string dataDirectory, params string[] args)
    {
        using var p = Process.Start(StartInfo(dataDirectory, args))!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(60_000))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"sharptls {string.Join(' ', args)} did not finish in 60 s");
        }
        return (p.ExitCode, stdout.Result, stderr.Result);
    }
}
