using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace SharpTls.Benchmarks.Harness;

/// <summary>
/// The neutral client: OpenSSL's libssl (the system's libssl.so.3) driven through P/Invoke from
/// the bench process, on blocking sockets. Chosen over SslStream because SslStream cannot pick the
/// key-exchange group or signature algorithm on Linux, and over `openssl s_time` because s_time can
/// pick neither the group nor a session-ID-only resumption and starts no HTTP keep-alive. Its own
/// CPU time per connection is measured and printed (it is not part of any server figure).
/// </summary>
internal static unsafe partial class Ssl
{
    private const string LibSsl = "libssl.so.3";
    private const string LibCrypto = "libcrypto.so.3";

    public const int TLS1_2_VERSION = 0x0303;
    public const int TLS1_3_VERSION = 0x0304;
    private const int SSL_CTRL_SET_GROUPS_LIST = 92;
    private const int SSL_CTRL_SET_SIGALGS_LIST = 98;
    private const int SSL_CTRL_SET_MIN_PROTO_VERSION = 123;
    private const int SSL_CTRL_SET_MAX_PROTO_VERSION = 124;
    private const int SSL_CTRL_GET_NEGOTIATED_GROUP = 134;
    private const int SSL_CTRL_SET_SESS_CACHE_MODE = 44;
    public const ulong SSL_OP_NO_TICKET = 1UL << 14;
    public const int SSL_ERROR_ZERO_RETURN = 6;

    [LibraryImport(LibSsl)] public static partial nint TLS_client_method();
    [LibraryImport(LibSsl)] public static partial nint SSL_CTX_new(nint method);
    [LibraryImport(LibSsl)] public static partial void SSL_CTX_free(nint ctx);
    [LibraryImport(LibSsl)] public static partial long SSL_CTX_ctrl(nint ctx, int cmd, long larg, nint parg);
    [LibraryImport(LibSsl, StringMarshalling = StringMarshalling.Utf8)] public static partial int SSL_CTX_set_ciphersuites(nint ctx, string list);
    [LibraryImport(LibSsl, StringMarshalling = StringMarshalling.Utf8)] public static partial int SSL_CTX_set_cipher_list(nint ctx, string list);
    [LibraryImport(LibSsl)] public static partial ulong SSL_CTX_set_options(nint ctx, ulong options);
    [LibraryImport(LibSsl, StringMarshalling = StringMarshalling.Utf8)] public static partial int SSL_CTX_use_certificate_chain_file(nint ctx, string file);
    [LibraryImport(LibSsl, StringMarshalling = StringMarshalling.Utf8)] public static partial int SSL_CTX_use_PrivateKey_file(nint ctx, string file, int type);
    [LibraryImport(LibSsl)] public static partial nint SSL_new(nint ctx);
    [LibraryImport(LibSsl)] public static partial void SSL_free(nint ssl);
    [LibraryImport(LibSsl)] public static partial int SSL_set_fd(nint ssl, int fd);
    [LibraryImport(LibSsl)] public static partial int SSL_connect(nint ssl);
    [LibraryImport(LibSsl)] public static partial int SSL_use_certificate_ASN1(nint ssl, byte* der, int len);
    [LibraryImport(LibSsl)] public static partial int SSL_read(nint ssl, byte* buf, int num);
    [LibraryImport(LibSsl)] public static partial int SSL_write(nint ssl, byte* buf, int num);
    [LibraryImport(LibSsl)] public static partial int SSL_shutdown(nint ssl);
    [LibraryImport(LibSsl)] public static partial int SSL_get_error(nint ssl, int ret);
    [LibraryImport(LibSsl)] public static partial int SSL_session_reused(nint ssl);
    [LibraryImport(LibSsl)] public static partial nint SSL_get1_session(nint ssl);
    [LibraryImport(LibSsl)] public static partial int SSL_set_session(nint ssl, nint session);
    [LibraryImport(LibSsl)] public static partial void SSL_SESSION_free(nint session);
    [LibraryImport(LibSsl)] public static partial long SSL_ctrl(nint ssl, int cmd, long larg, nint parg);
    [LibraryImport(LibSsl)] public static partial nint SSL_get_current_cipher(nint ssl);
    [LibraryImport(LibSsl)] public static partial nint SSL_CIPHER_get_name(nint cipher);
    [LibraryImport(LibSsl)] public static partial int SSL_version(nint ssl);
    [LibraryImport(LibCrypto)] public static partial ulong ERR_get_error();
    [LibraryImport(LibCrypto)] public static partial void ERR_error_string_n(ulong e, byte* buf, nuint len);
    [LibraryImport(LibCrypto)] public static partial void ERR_clear_error();
    [LibraryImport(LibCrypto)] public static partial nint OpenSSL_version(int type);

    public static string Version => Marshal.PtrToStringUTF8(OpenSSL_version(0)) ?? "?";

    public static string LastError()
    {
        var sb = new StringBuilder();
        byte* buf = stackalloc byte[256];
        ulong e;
        while ((e = ERR_get_error()) != 0)
        {
            ERR_error_string_n(e, buf, 256);
            if (sb.Length > 0) sb.Append("; ");
            sb.Append(Marshal.PtrToStringUTF8((nint)buf));
        }
        return sb.Length == 0 ? "(no OpenSSL error queued)" : sb.ToString();
    }

    public static void CtxCtrlString(nint ctx, int cmd, string value, string what)
    {
        nint p = Marshal.StringToCoTaskMemUTF8(value);
        try
        {
            if (SSL_CTX_ctrl(ctx, cmd, 0, p) != 1) throw new InvalidOperationException($"client: {what} {value}: {LastError()}");
        }
        finally { Marshal.FreeCoTaskMem(p); }
    }

    public static void SetGroups(nint ctx, string groups) => CtxCtrlString(ctx, SSL_CTRL_SET_GROUPS_LIST, groups, "groups");
    public static void SetSigalgs(nint ctx, string sigalgs) => CtxCtrlString(ctx, SSL_CTRL_SET_SIGALGS_LIST, sigalgs, "sigalgs");
    public static void SetVersionRange(nint ctx, int min, int max)
    {
        SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, min, 0);
        SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, max, 0);
    }
    public static void DisableSessionCache(nint ctx) => SSL_CTX_ctrl(ctx, SSL_CTRL_SET_SESS_CACHE_MODE, 0, 0);
    public static int NegotiatedGroup(nint ssl) => (int)SSL_ctrl(ssl, SSL_CTRL_GET_NEGOTIATED_GROUP, 0, 0);
    public static string CipherName(nint ssl) => Marshal.PtrToStringUTF8(SSL_CIPHER_get_name(SSL_get_current_cipher(ssl))) ?? "?";
}

/// <summary>What one client configuration asks for.</summary>
internal sealed record ClientProfile(
    string Name,
    int Version,
    string Groups,
    string Sigalgs,
    string? Cipher = null,
    ResumeMode Resume = ResumeMode.None,
    bool ClientCertificate = false,
    bool CertificatePerConnection = false);

internal enum ResumeMode { None, Ticket, SessionId }

/// <summary>An OpenSSL client context for one profile; opens connections to one server.</summary>
internal sealed unsafe class NativeTlsClient : IDisposable
{
    private readonly nint _ctx;
    private readonly IPEndPoint _server;
    private readonly ClientProfile _profile;
    private readonly string _request1k;
    private readonly bool _http10;
    private nint _session;
    private IReadOnlyList<byte[]>? _perConnection;
    private int _next;

    public NativeTlsClient(ClientProfile profile, IPEndPoint server, bool http10)
    {
        _profile = profile;
        _server = server;
        _http10 = http10;
        _request1k = Request("/1k");
        _ctx = Ssl.SSL_CTX_new(Ssl.TLS_client_method());
        if (_ctx == 0) throw new InvalidOperationException("SSL_CTX_new: " + Ssl.LastError());
        Ssl.SetVersionRange(_ctx, profile.Version, profile.Version);
        Ssl.SetGroups(_ctx, profile.Groups);
        Ssl.SetSigalgs(_ctx, profile.Sigalgs);
        if (profile.Cipher is { } c)
        {
            int ok = profile.Version == Ssl.TLS1_3_VERSION ? Ssl.SSL_CTX_set_ciphersuites(_ctx, c) : Ssl.SSL_CTX_set_cipher_list(_ctx, c);
            if (ok != 1) throw new InvalidOperationException($"client: cipher {c}: {Ssl.LastError()}");
        }
        if (profile.Resume == ResumeMode.SessionId) Ssl.SSL_CTX_set_options(_ctx, Ssl.SSL_OP_NO_TICKET);
        // The session is kept by hand (SSL_get1_session), never by OpenSSL's client cache.
        Ssl.DisableSessionCache(_ctx);
    }

    /// <summary>The certificate (and key) sent when a server asks for one (PEM files).</summary>
    public void UseCertificate(string certPem, string keyPem)
    {
        const int SSL_FILETYPE_PEM = 1;
        if (Ssl.SSL_CTX_use_certificate_chain_file(_ctx, certPem) != 1 || Ssl.SSL_CTX_use_PrivateKey_file(_ctx, keyPem, SSL_FILETYPE_PEM) != 1)
            throw new InvalidOperationException($"client certificate {certPem}: {Ssl.LastError()}");
    }

    /// <summary>A different certificate for each connection, in turn (DER, all for the one key in <paramref name="keyPem"/>),
    /// as when every client of a server has its own.</summary>
    public void UseCertificates(IReadOnlyList<byte[]> certificatesDer, string keyPem)
    {
        const int SSL_FILETYPE_PEM = 1;
        if (Ssl.SSL_CTX_use_PrivateKey_file(_ctx, keyPem, SSL_FILETYPE_PEM) != 1)
            throw new InvalidOperationException($"client key {keyPem}: {Ssl.LastError()}");
        _perConnection = certificatesDer;
    }

    public string Request(string path) => _http10
        ? $"GET {path} HTTP/1.0\r\n\r\n"
        : $"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n";

    /// <summary>Connects and completes the handshake; the connection stays open.</summary>
    public NativeConnection Connect()
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            socket.Connect(_server);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        nint ssl = Ssl.SSL_new(_ctx);
        Ssl.SSL_set_fd(ssl, (int)socket.Handle);
        if (_session != 0) Ssl.SSL_set_session(ssl, _session);
        if (_perConnection is { Count: > 0 } certificates)
        {
            byte[] der = certificates[_next++ % certificates.Count];
            fixed (byte* p = der)
            {
                if (Ssl.SSL_use_certificate_ASN1(ssl, p, der.Length) != 1)
                {
                    string err = "client certificate: " + Ssl.LastError();
                    Ssl.SSL_free(ssl);
                    socket.Dispose();
                    throw new InvalidOperationException(err);
                }
            }
        }
        int r = Ssl.SSL_connect(ssl);
        if (r != 1)
        {
            string err = $"handshake with {_server} ({_profile.Name}) failed: SSL_get_error={Ssl.SSL_get_error(ssl, r)} {Ssl.LastError()}";
            Ssl.SSL_free(ssl);
            socket.Dispose();
            throw new IOException(err);
        }
        return new NativeConnection(ssl, socket);
    }

    /// <summary>
    /// One connection: handshake, GET (1k by default), read the response, close_notify, close.
    /// Returns whether the session was resumed. When resuming, the newest session (ticket) is kept
    /// for the next connection, as a browser does.
    /// </summary>
    public bool OneShot(string? request = null)
    {
        using var c = Connect();
        c.Get(request ?? _request1k, _http10);
        bool reused = Ssl.SSL_session_reused(c.Handle) == 1;
        if (_profile.Resume != ResumeMode.None)
        {
            nint s = Ssl.SSL_get1_session(c.Handle);
            if (s != 0)
            {
                ForgetSession();
                _session = s;
            }
        }
        return reused;
    }

    public bool Http10 => _http10;

    /// <summary>Forgets the kept session (the next connection is full).</summary>
    public void ForgetSession()
    {
        if (_session != 0) Ssl.SSL_SESSION_free(_session);
        _session = 0;
    }

    public void Dispose()
    {
        ForgetSession();
        Ssl.SSL_CTX_free(_ctx);
    }
}

/// <summary>An established client connection.</summary>
internal sealed unsafe class NativeConnection(nint ssl, Socket socket) : IDisposable
{
    private static readonly byte[] Scratch = new byte[64 * 1024];
    public nint Handle => ssl;

    public string Cipher => Ssl.CipherName(ssl);
    public int Group => Ssl.NegotiatedGroup(ssl);
    public int Version => Ssl.SSL_version(ssl);

    /// <summary>Sends the request and reads the whole response; returns the body length.</summary>
    public long Get(string request, bool untilClose)
    {
        byte[] req = Encoding.ASCII.GetBytes(request);
        fixed (byte* p = req)
        {
            int w = Ssl.SSL_write(ssl, p, req.Length);
            if (w != req.Length) throw new IOException($"SSL_write: {Ssl.SSL_get_error(ssl, w)} {Ssl.LastError()}");
        }
        // Read the head, then Content-Length bytes (or to close_notify/EOF for HTTP/1.0 without a length).
        var head = new List<byte>(512);
        int headEnd = -1;
        long bodyRead = 0;
        fixed (byte* buf = Scratch)
        {
            while (headEnd < 0)
            {
                int n = Ssl.SSL_read(ssl, buf, Scratch.Length);
                if (n <= 0) throw new IOException($"connection closed before the response head ({Ssl.SSL_get_error(ssl, n)})");
                int start = head.Count;
                head.AddRange(Scratch.AsSpan(0, n));
                headEnd = IndexOfHeadEnd(head, Math.Max(0, start - 3));
            }
            string headText = Encoding.ASCII.GetString(head.ToArray(), 0, headEnd);
            if (!headText.StartsWith("HTTP/1.", StringComparison.Ordinal) || !headText.Contains(" 200 ", StringComparison.Ordinal))
                throw new IOException($"unexpected response: {headText.Split('\n')[0]}");
            long length = ContentLength(headText);
            bodyRead = head.Count - (headEnd + 4);
            if (length < 0 || untilClose)
            {
                while (true)
                {
                    int n = Ssl.SSL_read(ssl, buf, Scratch.Length);
                    if (n <= 0) break;
                    bodyRead += n;
                }
            }
            else
            {
                while (bodyRead < length)
                {
                    int n = Ssl.SSL_read(ssl, buf, Scratch.Length);
                    if (n <= 0) throw new IOException($"connection closed after {bodyRead} of {length} body bytes");
                    bodyRead += n;
                }
            }
        }
        return bodyRead;
    }

    private static int IndexOfHeadEnd(List<byte> b, int from)
    {
        for (int i = from; i + 3 < b.Count; i++)
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        return -1;
    }

    private static long ContentLength(string head)
    {
        foreach (var line in head.Split("\r\n"))
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                return long.Parse(line.AsSpan(15).Trim());
        return -1;
    }

    public void Dispose()
    {
        Ssl.SSL_shutdown(ssl); // sends close_notify; does not wait for the peer's
        Ssl.SSL_free(ssl);
        socket.Dispose();
        Ssl.ERR_clear_error();
    }
}
