using System.Net;
using System.Net.Sockets;
using System.Text;

namespace SharpTls.Benchmarks.Harness;

/// <summary>
/// The plain-TCP row's client (issue 11): a TCP connect, one HTTP/1.1 GET of 1 KB, the whole response read, close; no TLS.
/// What every server pays for a connection besides TLS (accept, the HTTP exchange, the close), so a TLS row minus the same
/// server's plain row is its TLS share. Blocking socket, one connection at a time, like the TLS rows' client.
/// </summary>
internal sealed class PlainHttpClient(IPEndPoint server)
{
    private static readonly byte[] Request = Encoding.ASCII.GetBytes("GET /1k HTTP/1.1\r\nHost: localhost\r\n\r\n");
    private readonly byte[] _buffer = new byte[8 * 1024];

    /// <summary>One connection; returns the body length (checked against the response's Content-Length).</summary>
    public int OneShot()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        socket.Connect(server);
        socket.Send(Request);
        int filled = 0, headEnd = -1;
        while (headEnd < 0)
        {
            if (filled == _buffer.Length) throw new IOException("plain response head larger than 8 KB");
            int n = socket.Receive(_buffer, filled, _buffer.Length - filled, SocketFlags.None);
            if (n == 0) throw new IOException("connection closed before the response head");
            filled += n;
            headEnd = _buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
        }
        string head = Encoding.ASCII.GetString(_buffer, 0, headEnd);
        if (!head.StartsWith("HTTP/1.1 200 ", StringComparison.Ordinal)) throw new IOException($"unexpected plain response: {head.Split('\r')[0]}");
        int length = -1;
        foreach (var line in head.Split("\r\n"))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase)) length = int.Parse(line.AsSpan(15).Trim());
        if (length < 0) throw new IOException("plain response without Content-Length");
        int body = filled - (headEnd + 4);
        while (body < length)
        {
            int n = socket.Receive(_buffer, 0, _buffer.Length, SocketFlags.None);
            if (n == 0) throw new IOException($"connection closed after {body} of {length} body bytes");
            body += n;
        }
        if (body != length) throw new IOException($"plain response: {body} body bytes, Content-Length {length}");
        return body;
    }
}
