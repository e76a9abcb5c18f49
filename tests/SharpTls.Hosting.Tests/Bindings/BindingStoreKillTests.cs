using System.Diagnostics;
using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary>Writers killed with SIGKILL at random moments leave the old file or the new one, never a torn one.</summary>
public class BindingStoreKillTests
{
    [Fact]
    public async Task Writers_killed_in_a_loop_leave_the_old_or_the_new_file()
    {
        string data = TestHome.NewDataDirectory();
        string path = Path.Combine(data, BindingStore.FileName);
        var store = new BindingStore(path);
        // Bindings read without certificate checks: the writers run `http update`, which checks the certificate,
        // so give them a real one.
        using var cert = SharpTls.Hosting.Certificates.CertificateFactory.CreateServer(["kill.contoso.test"]);
        new SharpTls.Hosting.Certificates.StoreCertificateSource().Add(cert);
        var baseBindings = Enumerable.Range(1, 50)
            .Select(i => SslBinding.Parse([$"hostnameport=site{i}.contoso.test:8443", $"certhash={cert.Thumbprint}", "appid={4dc3e181-e14b-4a21-b022-59fc669b0914}"]))
            .ToList();
        store.Save(baseBindings);
        // The only two states a writer moves between: site1's disablehttp2 off or on.
        string off = BindingStore.Format(baseBindings);
        string on = BindingStore.Format([baseBindings[0] with { DisableHttp2 = true }, .. baseBindings.Skip(1)]);

        using var stop = new CancellationTokenSource();
        int reads = 0;
        string? torn = null;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                string text = File.ReadAllText(path);
                if (text != off && text != on) { torn = text; return; }
                reads++;
            }
        });

        var random = new Random(8);
        int killed = 0, finished = 0;
        for (int i = 0; i < 40 && torn is null; i++)
        {
            using var p = Process.Start(Cli.StartInfo(data, "http", "update", "sslcert", "hostnameport=site1.contoso.test:8443", $"disablehttp2={(i % 2 == 0 ? "enable" : "disable")}"))!;
            p.StandardInput.Close();
            await Task.Delay(random.Next(60, 450));
            if (!p.HasExited) { p.Kill(); killed++; } else finished++;   // Process.Kill is SIGKILL on Unix
            p.WaitForExit();
            string now = File.ReadAllText(path);
            Assert.True(now == off || now == on, $"after writer {i}: the file is neither the old nor the new content:\n{now}");
            Assert.Equal(50, store.Load().Count);
        }
        stop.Cancel();
        await reader;
        Assert.Null(torn);
        Assert.True(reads > 0);
        Assert.True(killed > 0, "no writer was killed: the test did not test anything");

        // The next write removes what the killed writers left behind.
        store.Update(baseBindings[1] with { DisableTls13 = true });
        Assert.Empty(Directory.EnumerateFiles(data, ".sslbindings.conf.*.tmp"));
    }
}
