using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpTls.Diagnostics;
using SharpTls.Interop.Tests.Infrastructure;
using SharpTls.IO;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Tls13;

/// <summary>What our server does with a connection after the handshake.</summary>
public enum ServeMode
{
    /// <summary>Echoes every byte back until the client closes.</summary>
    Echo,
    /// <summary>Answers one HTTP request (HTTP/1.1, or HTTP/2 when ALPN chose h2) and closes.</summary>
    Http,
}

/// <summary>One connection accepted by <see cref="SharpTlsServer"/>: our TlsStream and what it saw.</summary>
public sealed class ServedConnection
{
    private readonly StringBuilder _received = new();
    private readonly TaskCompletionSource _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _dataArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);

    internal ServedConnection(int number, TlsStream stream)
    {
        Number = number;
        Stream = stream;
    }

    /// <summary>1-based accept order.</summary>
    public int Number { get; }

    /// <summary>Our server's stream.</summary>
    public TlsStream Stream { get; }

    /// <summary>The sans-I/O connection under the stream.</summary>
    public TlsConnection Connection => Stream.Connection;

    /// <summary>What our server negotiated.</summary>
    public TlsConnectionInfo Info => Connection.Info;

    /// <summary>Our server's recorded failure, if the connection failed.</summary>
    public TlsFailure? Failure => Connection.Failure;

    /// <summary>True when AuthenticateAsServerAsync returned normally.</summary>
    public bool HandshakeCompleted { get; private set; }

    /// <summary>The exception AuthenticateAsServerAsync (or the serve loop) threw, if any.</summary>
    public Exception? Error { get; private set; }

    /// <summary>Application data received so far (UTF-8).</summary>
    public string Received { get { lock (_received) return _received.ToString(); } }

    internal Task Handshake => _handshake.Task;

    internal Task Ended => _ended.Task;

    internal void OnHandshake(Exception? error)
    {
        HandshakeCompleted = error is null;
        Error = error;
        _handshake.TrySetResult();
    }

    internal void OnEnded(Exception? error)
    {
        Error ??= error;
        _handshake.TrySetResult();
        _ended.TrySetResult();
        lock (_received) _dataArrived.TrySetResult();
    }

    internal void Append(ReadOnlySpan<byte> data)
    {
        lock (_received)
        {
            _received.Append(Encoding.UTF8.GetString(data));
            _dataArrived.TrySetResult();
            _dataArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Waits until the data received contains <paramref name="text"/>.</summary>
    public async Task WaitForReceivedAsync(string text, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? PeerTimeouts.Wait);
        while (true)
        {
            Task next;
            lock (_received)
            {
                if (_received.ToString().Contains(text, StringComparison.Ordinal)) return;
                next = _dataArrived.Task;
            }
            if (_ended.Task.IsCompleted)
                throw new PeerException($"our server: connection #{Number} ended before '{text}' arrived; received: {Received}; {Describe()}");
            try
            {
                await next.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new PeerException($"our server: '{text}' did not arrive on connection #{Number}; received: {Received}; {Describe()}");
            }
        }
    }

    /// <summary>A one-line account of the connection, for assertion messages.</summary>
    public string Describe() =>
        $"status={Connection.Status} version={Info.Version} suite={Info.CipherSuite} group={Info.Group} resumed={Info.Resumed} hrr={Info.HelloRetryRequested} alpn={Info.ApplicationProtocol} failure={Failure} error={Error?.Message}";

    /// <inheritdoc />
    public override string ToString() => $"our server #{Number}: {Describe()}";
}

/// <summary>
/// Our server: a <see cref="LoopbackServer"/> whose callback runs SharpTls's <see cref="TlsStream"/> as the server,
/// then echoes or answers HTTP. Each connection is kept as a <see cref="ServedConnection"/> for the test to inspect.
/// </summary>
public sealed class SharpTlsServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly List<TaskCompletionSource<ServedConnection>> _connections = [];
    private int _accepted;

    private SharpTlsServer(TlsServerOptions options, ServeMode mode)
    {
        Options = options;
        Mode = mode;
        _server = LoopbackServer.Start(ServeAsync);
    }

    /// <summary>Listening port on 127.0.0.1.</summary>
    public int Port => _server.Port;

    /// <summary>The options every connection starts with.</summary>
    public TlsServerOptions Options { get; }

    /// <summary>What is done after the handshake.</summary>
    public ServeMode Mode { get; }

    /// <summary>Starts listening.</summary>
    public static SharpTlsServer Start(TlsServerOptions options, ServeMode mode = ServeMode.Echo) => new(options, mode);

    /// <summary>Starts listening with <see cref="DefaultOptions"/> changed by <paramref name="configure"/>.</summary>
    public static SharpTlsServer Start(Action<TlsServerOptions>? configure = null, ServeMode mode = ServeMode.Echo)
    {
        var options = DefaultOptions();
        configure?.Invoke(options);
        return new(options, mode);
    }

    /// <summary>Server options with one certificate (default the ECDSA leaf with its intermediate).</summary>
    public static TlsServerOptions DefaultOptions(TestCertificate? certificate = null)
    {
        var cert = certificate ?? TestPki.Shared.ServerEcdsa;
        return new TlsServerOptions
        {
            Certificates = [new ServerCertificate(cert.Certificate, cert.Chain)],
            Versions = TlsVersions.Tls13,
            HandshakeTimeout = TimeSpan.FromSeconds(10),
            KeyLog = null,
        };
    }

    /// <summary>Configures a client-certificate request in <paramref name="mode"/>, trusting the test root (sent as certificate_authorities).</summary>
    public static Action<TlsServerOptions> ClientCertificates(ClientCertificateMode mode) => o =>
    {
        o.ClientCertificateMode = mode;
        o.TrustedIssuers = [TestPki.Shared.Root];
    };

    private TaskCompletionSource<ServedConnection> Slot(int index)
    {
        lock (_connections)
        {
            while (_connections.Count <= index)
                _connections.Add(new TaskCompletionSource<ServedConnection>(TaskCreationOptions.RunContinuationsAsynchronously));
            return _connections[index];
        }
    }

    /// <summary>Waits until connection <paramref name="number"/> (1-based) has finished or failed its handshake.</summary>
    public async Task<ServedConnection> WaitForHandshakeAsync(int number = 1, TimeSpan? timeout = null)
    {
        var limit = timeout ?? PeerTimeouts.Wait;
        try
        {
            var c = await Slot(number - 1).Task.WaitAsync(limit);
            await c.Handshake.WaitAsync(limit);
            return c;
        }
        catch (TimeoutException)
        {
            throw new PeerException($"our server on port {Port}: connection #{number} did not finish its handshake within {limit.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Waits until connection <paramref name="number"/> has ended (closed or failed).</summary>
    public async Task<ServedConnection> WaitForEndAsync(int number = 1, TimeSpan? timeout = null)
    {
        var c = await WaitForHandshakeAsync(number, timeout);
        try
        {
            await c.Ended.WaitAsync(timeout ?? PeerTimeouts.Wait);
        }
        catch (TimeoutException)
        {
            throw new PeerException($"our server: connection #{number} did not end; {c.Describe()}");
        }
        return c;
    }

    private async Task ServeAsync(NetworkStream tcp, Action<TlsPeerResult> report, CancellationToken token)
    {
        int index = Interlocked.Increment(ref _accepted) - 1;
        await using var tls = new TlsStream(tcp);
        var connection = new ServedConnection(index + 1, tls);
        try
        {
            try
            {
                var authenticate = tls.AuthenticateAsServerAsync(Options, token);
                Slot(index).TrySetResult(connection);
                await authenticate;
            }
            catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException)
            {
                connection.OnHandshake(e);
                report(new TlsPeerResult { Peer = "SharpTls server", Error = e.Message, Output = e.ToString() });
                connection.OnEnded(null);
                return;
            }
            connection.OnHandshake(null);
            report(new TlsPeerResult { Peer = "SharpTls server", HandshakeCompleted = true, Version = tls.Info.Version });
            if (Mode == ServeMode.Echo)
                await EchoAsync(tls, connection, token);
            else if (tls.Info.ApplicationProtocol == "h2")
                await MinimalHttp.ServeHttp2Async(tls, connection, token);
            else
                await MinimalHttp.ServeHttp1Async(tls, connection, token);
            connection.OnEnded(null);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or InvalidOperationException or ObjectDisposedException)
        {
            connection.OnEnded(e);
        }
        finally
        {
            Slot(index).TrySetResult(connection);
        }
    }

    private static async Task EchoAsync(TlsStream tls, ServedConnection connection, CancellationToken token)
    {
        var buffer = new byte[16384];
        int n;
        while ((n = await tls.ReadAsync(buffer, token)) > 0)
        {
            connection.Append(buffer.AsSpan(0, n));
            await tls.WriteAsync(buffer.AsMemory(0, n), token);
        }
        await tls.ShutdownAsync(token);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}

/// <summary>Just enough HTTP/1.1 and HTTP/2 for curl to get a 200 from our server.</summary>
internal static class MinimalHttp
{
    public static string Body(TlsConnectionInfo info) =>
        $"SharpTls {Wire.ProtocolVersions.Name(info.Version!.Value)} {info.CipherSuite} {info.Group} alpn={info.ApplicationProtocol ?? "none"} resumed={info.Resumed}\n";

    public static async Task ServeHttp1Async(TlsStream tls, ServedConnection connection, CancellationToken token)
    {
        var buffer = new byte[16384];
        while (!connection.Received.Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            int n = await tls.ReadAsync(buffer, token);
            if (n == 0) return;
            connection.Append(buffer.AsSpan(0, n));
        }
        byte[] body = Encoding.ASCII.GetBytes(Body(tls.Info));
        string head = $"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await tls.WriteAsync(Encoding.ASCII.GetBytes(head), token);
        await tls.WriteAsync(body, token);
        await tls.ShutdownAsync(token);
    }

    private const int FrameData = 0, FrameHeaders = 1, FrameSettings = 4, FrameGoAway = 7;
    private const byte FlagEndStream = 1, FlagAck = 1, FlagEndHeaders = 4;

    public static async Task ServeHttp2Async(TlsStream tls, ServedConnection connection, CancellationToken token)
    {
        // RFC 9113 §3.4: the client preface, then frames (9-byte header: length24, type, flags, stream id31).
        var pending = new List<byte>();
        var buffer = new byte[16384];
        async Task<bool> FillAsync(int count)
        {
            while (pending.Count < count)
            {
                int n = await tls.ReadAsync(buffer, token);
                if (n == 0) return false;
                connection.Append(buffer.AsSpan(0, n));
                pending.AddRange(buffer.AsSpan(0, n));
            }
            return true;
        }
        const string Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";
        if (!await FillAsync(Preface.Length) || Encoding.ASCII.GetString(pending.GetRange(0, Preface.Length).ToArray()) != Preface)
            throw new IOException("HTTP/2: no client connection preface");
        pending.RemoveRange(0, Preface.Length);
        await tls.WriteAsync(Frame(FrameSettings, 0, 0, []), token);
        bool answered = false;
        while (await FillAsync(9))
        {
            int length = pending[0] << 16 | pending[1] << 8 | pending[2];
            byte type = pending[3], flags = pending[4];
            int stream = BinaryPrimitives.ReadInt32BigEndian(pending.GetRange(5, 4).ToArray()) & 0x7FFFFFFF;
            if (!await FillAsync(9 + length)) break;
            pending.RemoveRange(0, 9 + length);
            if (type == FrameSettings && (flags & FlagAck) == 0)
                await tls.WriteAsync(Frame(FrameSettings, FlagAck, 0, []), token);
            else if (type == FrameHeaders && !answered)
            {
                answered = true;
                // HPACK (RFC 7541): 0x88 is the static table's ":status: 200".
                await tls.WriteAsync(Frame(FrameHeaders, FlagEndHeaders, stream, [0x88]), token);
                await tls.WriteAsync(Frame(FrameData, FlagEndStream, stream, Encoding.ASCII.GetBytes(Body(tls.Info))), token);
            }
            else if (type == FrameGoAway)
                break;
        }
        if (tls.Connection.Status == TlsStatus.Connected)
            await tls.ShutdownAsync(token);
    }

    private static byte[] Frame(int type, byte flags, int stream, byte[] payload)
    {
        var frame = new byte[9 + payload.Length];
        frame[0] = (byte)(payload.Length >> 16);
        frame[1] = (byte)(payload.Length >> 8);
        frame[2] = (byte)payload.Length;
        frame[3] = (byte)type;
        frame[4] = flags;
        BinaryPrimitives.WriteInt32BigEndian(frame.AsSpan(5), stream);
        payload.CopyTo(frame, 9);
        return frame;
    }
}

/// <summary>Our client: a TcpClient and SharpTls's <see cref="TlsStream"/> as the client.</summary>
public sealed class SharpTlsClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly StringBuilder _received = new();

    private readonly PeerKeyUpdates? _peerKeyUpdates;

    private SharpTlsClient(TcpClient tcp, TlsStream stream, Exception? error, TlsClientOptions options)
    {
        _tcp = tcp;
        Stream = stream;
        Error = error;
        _peerKeyUpdates = options.Trace as PeerKeyUpdates;
    }

    /// <summary>Our client's stream.</summary>
    public TlsStream Stream { get; }

    /// <summary>The sans-I/O connection under the stream.</summary>
    public TlsConnection Connection => Stream.Connection;

    /// <summary>What our client negotiated.</summary>
    public TlsConnectionInfo Info => Connection.Info;

    /// <summary>Our client's recorded failure.</summary>
    public TlsFailure? Failure => Connection.Failure;

    /// <summary>What AuthenticateAsClientAsync threw, if anything.</summary>
    public Exception? Error { get; }

    /// <summary>True when the handshake completed.</summary>
    public bool HandshakeCompleted => Error is null;

    /// <summary>Everything read so far (UTF-8).</summary>
    public string Received => _received.ToString();

    /// <summary>Client options trusting the test root, for localhost.</summary>
    public static TlsClientOptions DefaultOptions(string targetHost = "localhost") => new()
    {
        TargetHost = targetHost,
        TrustedRoots = [TestPki.Shared.Root],
        Versions = TlsVersions.Tls13,
        HandshakeTimeout = TimeSpan.FromSeconds(10),
        KeyLog = null,
        Trace = new PeerKeyUpdates(),
    };

    /// <summary><see cref="DefaultOptions"/> changed by <paramref name="configure"/>.</summary>
    public static TlsClientOptions Options(Action<TlsClientOptions>? configure = null)
    {
        var o = DefaultOptions();
        configure?.Invoke(o);
        return o;
    }

    /// <summary>
    /// Against an echoing server: <paramref name="rounds"/> times, a KeyUpdate from us, then a line that must come back.
    /// With update_requested the peer must answer each with its own KeyUpdate (update_not_requested) before the echo
    /// (RFC 8446 §4.6.3); without it, the peer must send none.
    /// </summary>
    public async Task UpdateKeysWhileEchoingAsync(bool requestPeer, int rounds = 3)
    {
        var peer = _peerKeyUpdates ?? throw new InvalidOperationException("the client's options have no PeerKeyUpdates trace (DefaultOptions installs one)");
        int before = peer.Requests.Count;
        for (int round = 0; round < rounds; round++)
        {
            await Stream.UpdateKeysAsync(requestPeer);
            await SendLineAsync($"after-update-{round}");
            await WaitForReceivedAsync($"after-update-{round}\n");
            // The peer's KeyUpdate precedes the echoed data it sends under its new keys.
            Assert.Equal(requestPeer ? round + 1 : 0, peer.Requests.Count - before);
        }
        Assert.All(peer.Requests.Skip(before), r => Assert.Equal(0, r)); // update_not_requested
    }

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and runs the handshake; a handshake failure is kept in <see cref="Error"/>.</summary>
    public static async Task<SharpTlsClient> ConnectAsync(int port, TlsClientOptions options)
    {
        var tcp = new TcpClient { NoDelay = true };
        using var cts = new CancellationTokenSource(PeerTimeouts.Wait);
        await tcp.ConnectAsync(IPAddress.Loopback, port, cts.Token);
        var tls = new TlsStream(tcp.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(options, cts.Token);
            return new SharpTlsClient(tcp, tls, null, options);
        }
        catch (Exception e) when (e is IOException or TimeoutException or OperationCanceledException)
        {
            return new SharpTlsClient(tcp, tls, e, options);
        }
    }

    /// <summary>Connects, checks the handshake completed and that a line comes back from an echoing server.</summary>
    public static async Task<SharpTlsClient> ConnectAndEchoAsync(int port, TlsClientOptions options, string line, Func<string>? peerOutput = null)
    {
        var client = await ConnectAsync(port, options);
        Assert.True(client.HandshakeCompleted, client + "\n" + peerOutput?.Invoke());
        await client.SendLineAsync(line);
        await client.WaitForReceivedAsync(line + "\n");
        return client;
    }

    /// <summary>Sends a line (UTF-8, '\n').</summary>
    public async Task SendLineAsync(string line) => await Stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));

    /// <summary>Reads until the data received contains <paramref name="text"/>.</summary>
    public Task WaitForReceivedAsync(string text, TimeSpan? timeout = null) =>
        StreamText.ReadUntilAsync(Stream, _received, text, "our client", timeout, () => "; " + Describe());

    /// <summary>Reads until the server closes (close_notify or EOF); returns all data received.</summary>
    public async Task<string> ReadToEndAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? PeerTimeouts.Wait);
        var buffer = new byte[16384];
        int n;
        while ((n = await Stream.ReadAsync(buffer, cts.Token)) > 0)
            _received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        return Received;
    }

    /// <summary>Sends close_notify (if connected) and closes the socket.</summary>
    public async Task CloseAsync()
    {
        if (HandshakeCompleted && Connection.Status == TlsStatus.Connected)
        {
            try
            {
                await Stream.ShutdownAsync();
            }
            catch (IOException)
            {
            }
        }
        await DisposeAsync();
    }

    /// <summary>A one-line account of the connection.</summary>
    public string Describe() =>
        $"status={Connection.Status} version={Info.Version} suite={Info.CipherSuite} group={Info.Group} resumed={Info.Resumed} hrr={Info.HelloRetryRequested} alpn={Info.ApplicationProtocol} failure={Failure} error={Error?.Message}";

    /// <inheritdoc />
    public override string ToString() => "our client: " + Describe();

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _tcp.Dispose();
    }
}

/// <summary>Reading openssl's -msg trace.</summary>
internal static class MsgTrace
{
    /// <summary>
    /// Waits (the trace comes through a pipe, after the bytes on the socket) for a KeyUpdate traced since
    /// <paramref name="from"/> going <paramref name="direction"/> (">>>" sent, "&lt;&lt;&lt;" received); then for the answer the
    /// other way when <paramref name="answered"/>, or checks there is none.
    /// </summary>
    public static async Task KeyUpdateAsync(PeerProcess peer, int from, string direction, bool answered)
    {
        string other = direction == ">>>" ? "<<<" : ">>>";
        await peer.WaitForOutputAsync($@"^{direction} [^\n]*KeyUpdate", startAt: from);
        if (answered)
            await peer.WaitForOutputAsync($@"^{other} [^\n]*KeyUpdate", startAt: from);
        else
            Assert.DoesNotMatch($@"{other} [^\n]*KeyUpdate", peer.Output[from..]);
    }
}

/// <summary>Certificates of the test PKI as SharpTls options want them.</summary>
internal static class Certs
{
    public static ServerCertificate Of(TestCertificate c) => new(c.Certificate, c.Chain);
}

/// <summary>Our client's trace of the peer's KeyUpdate messages: the request_update byte of each, in order.</summary>
public sealed class PeerKeyUpdates : SharpTls.Diagnostics.IHandshakeTrace
{
    private readonly List<int> _requests = [];

    /// <summary>request_update of each KeyUpdate received (0 update_not_requested, 1 update_requested).</summary>
    public IReadOnlyList<int> Requests { get { lock (_requests) return _requests.ToArray(); } }

    /// <inheritdoc />
    public void OnMessage(bool sent, ContentType contentType, ReadOnlySpan<byte> bytes, bool encrypted, ProtocolVersion? version)
    {
        if (!sent && contentType == ContentType.Handshake && bytes.Length == 5 && bytes[0] == 24) // KeyUpdate, 1-byte body
            lock (_requests) _requests.Add(bytes[4]);
    }
}
