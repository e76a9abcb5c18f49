using System.Diagnostics;
using System.Net;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Certificates;

/// <summary>A <c>ccs</c> binding served from a folder of PFX files, checked with openssl s_client as the client.</summary>
public class CentralCertificateStoreTests
{
    [Fact]
    public async Task Dropped_pfx_files_are_served_without_restart_and_a_broken_one_takes_nothing_down()
    {
        string data = TestHome.NewDataDirectory();
        string folder = Path.Combine(data, "ccs");
        string variable = "SHARPTLS_TEST_CCS_" + Guid.NewGuid().ToString("N")[..8];
        Environment.SetEnvironmentVariable(variable, "farm-secret");
        var events = new RecordingDiagnostics();
        using var host = BindingHost.Start(new BindingHostOptions
        {
            BindingsFile = Path.Combine(data, BindingStore.FileName),
            CentralStorePath = folder,
            CentralStorePasswordVariable = variable,
            Diagnostics = events,
        });
        await using var server = new BindingTestServer(host.SelectPolicyAsync);
        host.Store.Add(SslBinding.Parse([$"ccs={server.Port}"]));
        await BindingHostTests.WaitUntil(() => host.Current.Bindings.Count == 1);

        // Nothing in the folder yet: the name is refused.
        Assert.DoesNotContain("subject=", SClient(server.Port, "a.contoso.test"), StringComparison.Ordinal);

        // A file dropped into the folder is served, without restart (written elsewhere, then moved in, as a copy tool does).
        Drop(folder, "a.contoso.test.pfx", TestCertificates.Pfx("a.contoso.test", "farm-secret"));
        var sw = Stopwatch.StartNew();
        await BindingHostTests.WaitUntil(() => host.Current.Select(new IPEndPoint(IPAddress.Loopback, server.Port), "a.contoso.test") is not null);
        var firstSeen = sw.Elapsed;
        Assert.Contains("subject=CN = a.contoso.test", SClient(server.Port, "a.contoso.test"), StringComparison.Ordinal);

        // A wildcard file serves names one level below its domain.
        Drop(folder, "_.contoso.test.pfx", TestCertificates.Pfx("*.contoso.test", "farm-secret"));
        await BindingHostTests.WaitUntil(() => SClient(server.Port, "any.contoso.test").Contains("subject=CN = *.contoso.test", StringComparison.Ordinal));
        Assert.Contains("subject=CN = a.contoso.test", SClient(server.Port, "a.contoso.test"), StringComparison.Ordinal);   // exact file first

        // A broken file and a file with another password: an event each, the other names keep working.
        Drop(folder, "broken.fabrikam.test.pfx", "this is not a PFX"u8.ToArray());
        Drop(folder, "wrongpw.fabrikam.test.pfx", TestCertificates.Pfx("wrongpw.fabrikam.test", "not-the-farm-secret"));
        string broken = SClient(server.Port, "broken.fabrikam.test");
        Assert.DoesNotContain("subject=", broken, StringComparison.Ordinal);
        Assert.DoesNotContain("subject=", SClient(server.Port, "wrongpw.fabrikam.test"), StringComparison.Ordinal);
        Assert.Contains(events.Events, e => e.StartsWith("CcsInvalid broken.fabrikam.test.pfx", StringComparison.Ordinal));
        Assert.Contains(events.Events, e => e.StartsWith("CcsInvalid wrongpw.fabrikam.test.pfx", StringComparison.Ordinal));
        Assert.Contains("subject=CN = a.contoso.test", SClient(server.Port, "a.contoso.test"), StringComparison.Ordinal);
        Assert.Contains("subject=CN = *.contoso.test", SClient(server.Port, "other.contoso.test"), StringComparison.Ordinal);

        // Replacing a file is seen by new handshakes; fixing the broken one too.
        var before = await Thumbprint(server, "a.contoso.test");
        Drop(folder, "a.contoso.test.pfx", TestCertificates.Pfx("a.contoso.test", "farm-secret"));
        await BindingHostTests.WaitUntil(async () => await Thumbprint(server, "a.contoso.test") != before);
        Drop(folder, "broken.fabrikam.test.pfx", TestCertificates.Pfx("broken.fabrikam.test", "farm-secret"));
        await BindingHostTests.WaitUntil(() => SClient(server.Port, "broken.fabrikam.test").Contains("subject=CN = broken.fabrikam.test", StringComparison.Ordinal));
        // Names that are not DNS names never reach the file system.
        Assert.Null(host.CentralStore.Find("../ccs/a.contoso.test"));
        Console.WriteLine($"ccs: a dropped PFX was served {firstSeen.TotalMilliseconds:F0} ms after it was moved into the folder");
    }

    [Fact]
    public void Overwriting_a_file_in_place_is_seen_and_a_removed_file_stops_serving()
    {
        string folder = Path.Combine(TestHome.NewDataDirectory(), "ccs");
        using var store = new CentralCertificateStore(folder, null);
        File.WriteAllBytes(Path.Combine(folder, "b.contoso.test.pfx"), TestCertificates.Pfx("b.contoso.test", null));
        var first = store.Find("b.contoso.test")!.Certificate.Thumbprint;
        Assert.Same(store.Find("b.contoso.test"), store.Find("B.Contoso.Test."));   // cached
        File.WriteAllBytes(Path.Combine(folder, "b.contoso.test.pfx"), TestCertificates.Pfx("b.contoso.test", null));
        SpinWait.SpinUntil(() => store.Find("b.contoso.test")?.Certificate.Thumbprint is { } t && t != first, TimeSpan.FromSeconds(20));
        Assert.NotEqual(first, store.Find("b.contoso.test")!.Certificate.Thumbprint);
        File.Delete(Path.Combine(folder, "b.contoso.test.pfx"));
        SpinWait.SpinUntil(() => store.Find("b.contoso.test") is null, TimeSpan.FromSeconds(20));
        Assert.Null(store.Find("b.contoso.test"));
    }

    private static void Drop(string folder, string name, byte[] bytes)
    {
        string temp = Path.Combine(Path.GetDirectoryName(folder)!, name + ".part");
        File.WriteAllBytes(temp, bytes);
        File.Move(temp, Path.Combine(folder, name), overwrite: true);
    }

    private static async Task<string> Thumbprint(BindingTestServer server, string name)
    {
        var c = await server.ConnectAsync(name);
        string answer = await BindingTestServer.AskAsync(c, "x");
        await c.Stream.DisposeAsync();
        return answer.Split(' ')[1];
    }

    /// <summary>openssl s_client's output for a handshake with SNI <paramref name="name"/> (the peer must exist: no skip).</summary>
    internal static string SClient(int port, string? name)
    {
        var psi = new ProcessStartInfo("openssl") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (string a in new[] { "s_client", "-connect", $"127.0.0.1:{port}" }) psi.ArgumentList.Add(a);
        if (name is null) psi.ArgumentList.Add("-noservername");
        else { psi.ArgumentList.Add("-servername"); psi.ArgumentList.Add(name); }
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var output = p.StandardOutput.ReadToEndAsync();
        var error = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(20_000)) { p.Kill(); throw new TimeoutException("openssl s_client did not finish"); }
        return output.Result + error.Result;
    }
}
