using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Scanners;

/// <summary>The server the scanners scan: the real <c>sharptls listen</c> process with the test PKI's RSA chain and <paramref name="listenArgs"/>.</summary>
internal static class ScannedListen
{
    public static async Task<(PeerProcess Listen, int Port)> StartAsync(string[] listenArgs, TimeSpan lifetime)
    {
        var pki = TestPki.Shared;
        int port = Ports.Free();
        string cli = Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");
        var listen = PeerProcess.Start("dotnet", [cli, "listen", "--port", port.ToString(), "--cert", pki.ServerRsa.FullChainPath, "--key", pki.ServerRsa.KeyPath, .. listenArgs],
            new PeerProcessOptions { DisplayName = "sharptls listen", HardTimeout = lifetime });
        try
        {
            await Ports.WaitUntilListeningAsync(port, listen, TimeSpan.FromSeconds(30));
        }
        catch
        {
            await listen.DisposeAsync();
            throw;
        }
        return (listen, port);
    }
}
