using SharpTls.Interop.Tests.Infrastructure;

namespace SharpTls.Interop.Tests.Scanners;

/// <summary>The server the scanners scan: the real <c>sharptls listen</c> process with the test PKI's RSA chain and <paramref name="listenArgs"/>.</summary>
internal static class ScannedListen
{
    public static async Task<(PeerProcess Listen, int Port)> StartAsync(string[] listenArgs, TimeSpan lifetime)
    {
        int port = Ports.Free();
        return (await SharpTlsCli.ListenAsync(port, listenArgs, lifetime), port);
    }
}
