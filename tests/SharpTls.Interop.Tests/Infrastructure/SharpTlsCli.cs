namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>The real <c>sharptls</c> command (the built SharpTls.Cli.dll) as a peer process.</summary>
internal static class SharpTlsCli
{
    /// <summary>The command's assembly, run with <c>dotnet</c>.</summary>
    public static string Dll => Path.Combine(AppContext.BaseDirectory, "SharpTls.Cli.dll");

    /// <summary>
    /// <c>sharptls listen --port PORT</c> with the test PKI's RSA chain and <paramref name="args"/>; returns once the port
    /// listens. The process is killed after <paramref name="lifetime"/>.
    /// </summary>
    public static async Task<PeerProcess> ListenAsync(int port, IEnumerable<string> args, TimeSpan lifetime)
    {
        var pki = TestPki.Shared;
        var listen = PeerProcess.Start("dotnet", [Dll, "listen", "--port", port.ToString(), "--cert", pki.ServerRsa.FullChainPath, "--key", pki.ServerRsa.KeyPath, .. args],
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
        return listen;
    }
}
