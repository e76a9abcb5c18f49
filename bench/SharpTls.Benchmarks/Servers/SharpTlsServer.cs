using System.Net;
using System.Net.Sockets;
using SharpTls.IO;

namespace SharpTls.Benchmarks.Servers;

/// <summary>
/// The SharpTls server under test: a TcpListener and <see cref="TlsStream"/> (as `sharptls listen`
/// does), answering GET /1k and GET /1m with the fixed responses, HTTP/1.1 keep-alive. Run in its
/// own process (`serve sharptls`) so its CPU and memory can be read from /proc.
/// </summary>
internal static class SharpTlsServer
{
    public static async Task<int> RunAsync(int port, string certPem, string keyPem, string www)
    {
        var responses = new FixedResponses(www);
        var options = new TlsServerOptions
        {
            Certificates = [ServerCertificate.FromPem(certPem, keyPem)],
            KeyLog = null,
            Name = "bench",
        };
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(4096);
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        while (true)
        {
            var client = await listener.AcceptTcpClientAsync();
            _ = Task.Run(() => ServeAsync(client, options, responses));
        }
    }

    private static async Task ServeAsync(TcpClient client, TlsServerOptions options, FixedResponses responses)
    {
        using var _ = client;
        client.NoDelay = true;
        await using var tls = new TlsStream(client.GetStream())
        {
            LocalEndPoint = client.Client.LocalEndPoint as IPEndPoint,
            RemoteEndPoint = client.Client.RemoteEndPoint as IPEndPoint,
        };
        try
        {
            await tls.AuthenticateAsServerAsync(options);
            await HttpLoop.ServeAsync(tls, responses);
            await tls.ShutdownAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            // Clients close without waiting; routine.
        }
    }
}

/// <summary>A minimal HTTP/1.1 keep-alive loop over any decrypted stream: read a request head, write the fixed response.</summary>
internal static class HttpLoop
{
    public static async Task ServeAsync(Stream stream, FixedResponses responses)
    {
        byte[] buffer = new byte[4096];
        int filled = 0;
        while (true)
        {
            int end;
            while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
            {
                if (filled == buffer.Length) return;
                int n = await stream.ReadAsync(buffer.AsMemory(filled));
                if (n == 0) return;
                filled += n;
            }
            string? name = responses.Select(buffer.AsSpan(0, end));
            if (name is null) return;
            await stream.WriteAsync(responses.Heads[name]);
            await stream.WriteAsync(responses.Bodies[name]);
            int consumed = end + 4;
            buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
            filled -= consumed;
        }
    }
}
