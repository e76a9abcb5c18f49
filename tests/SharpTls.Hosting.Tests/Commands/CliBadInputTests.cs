using System.Net;
using System.Net.Sockets;

namespace SharpTls.Hosting.Tests.Commands;

/// <summary>
/// Bad command-line input to the real <c>sharptls</c> process (a missing or wrong file, a key of another certificate, a
/// port out of range or in use, a malformed configuration) ends with one clear line on stderr and exit code 1, never an
/// unhandled exception with a stack trace.
/// </summary>
public sealed class CliBadInputTests : IDisposable
{
    private readonly TestCerts _certs = new();

    public void Dispose() => _certs.Dispose();

    private static void AssertClearFailure((int Exit, string Out, string Err) run, string verb, string expected)
    {
        string all = $"exit {run.Exit}\nstdout: {run.Out}\nstderr: {run.Err}";
        Assert.True(run.Exit == 1, all);
        Assert.DoesNotContain("Unhandled exception", run.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("\n   at ", run.Err, StringComparison.Ordinal);
        Assert.StartsWith($"sharptls {verb}: ", run.Err, StringComparison.Ordinal);
        Assert.Contains(expected, run.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void Listen_refuses_bad_files_and_ports_with_a_message()
    {
        string data = TestHome.NewDataDirectory();
        var (cert, key) = _certs.Client("listen-leaf", _certs.Ca);
        var (_, otherKey) = _certs.Client("other-leaf", _certs.Ca);
        string junk = _certs.Write("junk.txt", "junk\n");
        string[] Listen(int port, params string[] extra) => ["listen", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. extra];
        int free = ServeProcess.FreePort();

        AssertClearFailure(Cli.Run(data, Listen(free, "--cert", Path.Combine(_certs.Dir, "missing.pem"), "--key", key)), "listen", "Could not find file");
        AssertClearFailure(Cli.Run(data, Listen(free, "--cert", cert, "--key", otherKey)), "listen", "key does not match");
        AssertClearFailure(Cli.Run(data, Listen(free, "--cert", cert)), "listen", "key");
        AssertClearFailure(Cli.Run(data, Listen(free, "--cert", junk, "--key", junk)), "listen", "CERTIFICATE");
        AssertClearFailure(Cli.Run(data, Listen(free, "--cert", cert, "--key", key, "--ticket-keys", junk)), "listen", "junk.txt:1");
        AssertClearFailure(Cli.Run(data, Listen(99999, "--cert", cert, "--key", key)), "listen", "port");
        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        AssertClearFailure(Cli.Run(data, Listen(((IPEndPoint)busy.LocalEndpoint).Port, "--cert", cert, "--key", key)), "listen", "in use");
    }

    [Fact]
    public void Serve_refuses_a_malformed_configuration_and_a_bad_port_with_a_message()
    {
        string data = TestHome.NewDataDirectory();
        string config = _certs.Write("appsettings.json", "{ \"SharpTls\": { \"Sites\": [ { \"Name\": \n");
        AssertClearFailure(Cli.Run(data, "serve", "--port", ServeProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture), "--config", config),
            "serve", "Could not parse the JSON file");
        AssertClearFailure(Cli.Run(data, "serve", "--port", "99999"), "serve", "a port is 1 to 65535");
    }
}
