using System.Buffers;
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
    private const string InlineCompletions = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <param name="plainPort">Also serve the same files over plain HTTP there (the same accept loop and HTTP code, no TLS):
    /// the plain-TCP row, which the TLS rows are compared with.</param>
    public static async Task<int> RunAsync(int port, string certPem, string keyPem, string www, string? clientCaPem = null, int? plainPort = null)
    {
        // Socket completions run on the epoll thread instead of being handed to a thread-pool worker:
        // measured 1,079 -> ~575 µs server CPU per handshake (PROFILE.md). Read once, when the first
        // socket is created, so it must be set before the listener. An explicit setting wins.
        if (Environment.GetEnvironmentVariable(InlineCompletions) is null)
            Environment.SetEnvironmentVariable(InlineCompletions, "1");
        var responses = new FixedResponses(www);
        var options = new TlsServerOptions
        {
            Certificates = [ServerCertificate.FromPem(certPem, keyPem)],
            KeyLog = null,
            Name = "bench",
        };
        if (clientCaPem is not null)
        {
            options.ClientCertificateMode = ClientCertificateMode.Optional;
            options.TrustedIssuers.ImportFromPemFile(clientCaPem);
        }
        var whole = HttpLoop.Combine(responses);
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start(4096);
        if (plainPort is { } plain)
        {
            var plainListener = new TcpListener(IPAddress.Loopback, plain);
            plainListener.Start(4096);
            _ = AcceptAsync(plainListener, null, responses, whole);
        }
        CollectOnRequest.Start();
        Console.Out.WriteLine("ready");
        Console.Out.Flush();
        await AcceptAsync(listener, options, responses, whole).ConfigureAwait(false);
        return 0;
    }

    private static async Task AcceptAsync(TcpListener listener, TlsServerOptions? options, FixedResponses responses, Dictionary<string, byte[]> whole)
    {
        while (true)
        {
            var socket = await listener.AcceptSocketAsync().ConfigureAwait(false);
            // Started directly (no Task.Run): it runs on this thread until its first read waits.
            _ = ServeAsync(socket, options, responses, whole);
        }
    }

    /// <param name="options">Null: a plain-HTTP connection (the plain-TCP row), the same loop on the NetworkStream itself.</param>
    /// <remarks>The socket is read and written through <see cref="SocketStream"/>, as `sharptls listen` does (less memory per
    /// idle connection than TcpClient and NetworkStream: bench/PROFILE.md).</remarks>
    private static async Task ServeAsync(Socket socket, TlsServerOptions? options, FixedResponses responses, Dictionary<string, byte[]> whole)
    {
        socket.NoDelay = true;
        using var network = new SocketStream(socket);
        await using var tls = options is null ? null : new TlsStream(network)
        {
            LocalEndPoint = socket.LocalEndPoint as IPEndPoint,
            RemoteEndPoint = socket.RemoteEndPoint as IPEndPoint,
        };
        Stream stream = tls is null ? network : tls;
        try
        {
            if (tls is not null) await tls.AuthenticateAsServerAsync(options!).ConfigureAwait(false);
            // The HTTP loop runs in this method (not in one of its own) so that an idle connection's wait is one
            // suspended method, not one per layer.
            byte[]? buffer = null;
            int filled = 0;
            try
            {
                while (true)
                {
                    if (filled == 0)
                    {
                        if (buffer is not null) { ArrayPool<byte>.Shared.Return(buffer); buffer = null; }
                        await stream.ReadAsync(Memory<byte>.Empty).ConfigureAwait(false);
                    }
                    buffer ??= ArrayPool<byte>.Shared.Rent(HttpLoop.HeadLimit);
                    var (done, consumed) = await HttpLoop.AnswerAsync(stream, buffer, filled, responses, whole).ConfigureAwait(false);
                    if (done) break;
                    filled = consumed;
                }
            }
            finally
            {
                if (buffer is not null) ArrayPool<byte>.Shared.Return(buffer);
            }
            if (tls is not null) await tls.ShutdownAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or SocketException or TimeoutException or ObjectDisposedException or InvalidOperationException)
        {
            // Clients close without waiting; routine.
        }
    }
}

/// <summary>
/// A minimal HTTP/1.1 keep-alive exchange over a decrypted stream: read a request head, write the fixed
/// response (head and a small body in one write). Between requests the caller waits with a zero-byte read and
/// holds no buffer, so an idle connection costs only its objects.
/// </summary>
internal static class HttpLoop
{
    public const int HeadLimit = 4096;

    /// <summary>Head and body in one array, for the responses small enough to send in one write.</summary>
    public static Dictionary<string, byte[]> Combine(FixedResponses responses)
    {
        var whole = new Dictionary<string, byte[]>();
        foreach (var (name, body) in responses.Bodies)
            if (body.Length <= 16 * 1024) whole[name] = [.. responses.Heads[name], .. body];
        return whole;
    }

    /// <summary>
    /// Reads one request head into <paramref name="buffer"/> (which holds <paramref name="filled"/> bytes already) and
    /// writes its response. Returns done (the peer closed, or sent what this server does not answer) or the bytes of
    /// the next request already read, moved to the start of the buffer.
    /// </summary>
    public static async ValueTask<(bool Done, int Filled)> AnswerAsync(Stream stream, byte[] buffer, int filled, FixedResponses responses,
        Dictionary<string, byte[]> whole)
    {
        int end;
        while ((end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
        {
            if (filled == HeadLimit) return (true, 0);
            int n = await stream.ReadAsync(buffer.AsMemory(filled, HeadLimit - filled)).ConfigureAwait(false);
            if (n == 0) return (true, 0);
            filled += n;
        }
        string? name = responses.Select(buffer.AsSpan(0, end));
        if (name is null) return (true, 0);
        if (whole.TryGetValue(name, out var response))
        {
            await stream.WriteAsync(response).ConfigureAwait(false);
        }
        else
        {
            await stream.WriteAsync(responses.Heads[name]).ConfigureAwait(false);
            await stream.WriteAsync(responses.Bodies[name]).ConfigureAwait(false);
        }
        int consumed = end + 4;
        buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
        return (false, filled - consumed);
    }
}
