using System.Diagnostics;
using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace SharpTls.Benchmarks.Harness;

/// <summary>
/// What users run, measured for memory only (idle and stalled connections): the `sharptls` command of this
/// tree, started through its script (which builds it when sources changed), with its default logging.
/// These are .NET processes with no "gc" command on stdin, so the harness induces the full collection
/// through the runtime's diagnostics port (<see cref="InducedGc"/>), as dotnet-gcdump does.
/// </summary>
internal abstract class CliUnderTest : ServerUnderTest
{
    public override IReadOnlySet<Section> Sections { get; } = new HashSet<Section> { Section.Memory, Section.Stall };

    public override bool ServesBenchFiles => false;

    /// <summary>The `sharptls` script at the root of the source tree.</summary>
    protected static string Script()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "sharptls")) && Directory.Exists(Path.Combine(d.FullName, "src", "SharpTls.Cli")))
                return Path.Combine(d.FullName, "sharptls");
        throw new InvalidOperationException("the sharptls script (root of the source tree) was not found above " + AppContext.BaseDirectory);
    }

    protected static RunningServer WithInducedGc(RunningServer running)
    {
        running.InducedGc = true;
        return running;
    }
}

/// <summary>`sharptls listen` with the bench's certificate (and, for the client-certificate row, --client-cert optional).</summary>
internal sealed class ListenUnderTest : CliUnderTest
{
    public override string Name => "sharptls listen";
    public override string Version() => "sharptls listen (this tree), default logging";

    public override RunningServer Start(Workspace ws, CertKind cert, TextWriter log)
    {
        int port = Workspace.FreePort();
        var args = new List<string> { "listen", "--port", port.ToString(), "--cert", ws.CertPem(cert), "--key", ws.KeyPem(cert) };
        if (cert == CertKind.RsaClientAuth) args.AddRange(["--client-cert", "optional", "--cafile", ws.CaPem]);
        // The script builds the command first when sources changed: on a shared machine that takes more than 30 s.
        return WithInducedGc(Launch(Name, Script(), args, ws.Root, log, port, startTimeout: TimeSpan.FromSeconds(180)));
    }
}

/// <summary>
/// `sharptls serve`, the host on Kestrel, running its embedded demo (ECDSA P-256 certificates made in a data folder
/// inside the workspace, bound by hostnameport and ipport on 127.0.0.1:PORT): the ECDSA rows only.
/// </summary>
internal sealed class HostUnderTest : CliUnderTest
{
    public override string Name => "sharptls serve (host)";
    public override string Version() => "sharptls serve (this tree: Kestrel + SharpTls middleware, embedded demo), default logging";
    public override bool Serves(CertKind cert) => cert == CertKind.Ecdsa;

    public override RunningServer Start(Workspace ws, CertKind cert, TextWriter log)
    {
        int port = Workspace.FreePort();
        string home = Path.Combine(ws.Root, "host-home");
        Directory.CreateDirectory(home);
        // The demo's CA, certificates (CurrentUser store under HOME) and bindings file stay in the workspace.
        var env = new Dictionary<string, string> { ["SHARPTLS_HOME"] = home, ["HOME"] = home };
        return WithInducedGc(Launch(Name, Script(), ["serve", "--port", port.ToString()], home, log, port, env: env, startTimeout: TimeSpan.FromSeconds(180)));
    }
}

/// <summary>
/// A full blocking collection in another .NET process, through its diagnostics port: an EventPipe session with the
/// GCHeapCollect keyword makes the runtime collect (gen 2, blocking), and its GCHeapStats event gives the managed heap.
/// </summary>
internal static class InducedGc
{
    private const long GcKeyword = 0x1, GcHeapCollectKeyword = 0x800000;

    /// <summary>Collects twice (the second after finalizers ran) and returns the managed heap bytes after the last one.</summary>
    public static long Collect(int pid, TimeSpan timeout)
    {
        Once(pid, timeout);
        Thread.Sleep(200);
        return Once(pid, timeout);
    }

    private static long Once(int pid, TimeSpan timeout)
    {
        var client = new DiagnosticsClient(pid);
        var providers = new[] { new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Informational, GcKeyword | GcHeapCollectKeyword) };
        using var session = client.StartEventPipeSession(providers, requestRundown: false);
        long heap = -1;
        using var source = new EventPipeEventSource(session.EventStream);
        source.Clr.GCHeapStats += e =>
        {
            heap = e.GenerationSize0 + e.GenerationSize1 + e.GenerationSize2 + e.GenerationSize3 + e.GenerationSize4;
            try { session.Stop(); } catch (ServerNotAvailableException) { } catch (EndOfStreamException) { }
        };
        var reader = Task.Run(() => source.Process());
        if (!reader.Wait(timeout))
        {
            try { session.Stop(); } catch (ServerNotAvailableException) { }
            throw new TimeoutException($"process {pid} did not report an induced collection within {timeout.TotalSeconds} s");
        }
        if (heap < 0) throw new InvalidOperationException($"process {pid}: the induced collection reported no heap statistics");
        return heap;
    }
}
