using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Free TCP ports on 127.0.0.1 and waiting until something listens on one.</summary>
public static class Ports
{
    private static readonly HashSet<int> Handed = [];

    /// <summary>The loopback address every harness peer binds to.</summary>
    public const string Loopback = "127.0.0.1";

    /// <summary>A port that is free on 127.0.0.1 now and has not been handed out before in this run.</summary>
    public static int Free()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            lock (Handed)
            {
                if (Handed.Add(port))
                    return port;
            }
        }
        throw new InvalidOperationException("no free port found");
    }

    /// <summary>True if a socket is in LISTEN state on <paramref name="port"/> (any local address). Does not connect.</summary>
    public static bool IsListening(int port)
    {
        if (File.Exists("/proc/net/tcp"))
            return ListensIn("/proc/net/tcp", port) || ListensIn("/proc/net/tcp6", port);
        try
        {
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static bool ListensIn(string table, int port)
    {
        if (!File.Exists(table))
            return false;
        string hex = ":" + port.ToString("X4", CultureInfo.InvariantCulture);
        foreach (string line in File.ReadLines(table).Skip(1))
        {
            // "  sl  local_address rem_address   st ..." ; state 0A = LISTEN
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (f.Length > 3 && f[1].EndsWith(hex, StringComparison.Ordinal) && f[3] == "0A")
                return true;
        }
        return false;
    }

    /// <summary>
    /// Waits until something listens on <paramref name="port"/> (checked in /proc/net/tcp, no connection is made,
    /// so a one-shot server is not disturbed). Fails with the peer's output if <paramref name="owner"/> exits first.
    /// </summary>
    public static async Task WaitUntilListeningAsync(int port, PeerProcess? owner = null, TimeSpan? timeout = null)
    {
        var limit = timeout ?? PeerTimeouts.Wait;
        var sw = Stopwatch.StartNew();
        while (!IsListening(port))
        {
            if (owner is { HasExited: true })
                throw owner.Failure($"exited before listening on port {port}");
            if (sw.Elapsed > limit)
                throw owner?.Failure($"not listening on port {port} after {limit.TotalSeconds:0.#} s")
                    ?? new PeerException($"nothing listening on port {port} after {limit.TotalSeconds:0.#} s");
            await Task.Delay(15).ConfigureAwait(false);
        }
    }
}
