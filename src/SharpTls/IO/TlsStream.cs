using System.Buffers;
using System.Net;
using System.Net.Sockets;
using SharpTls.Wire;

namespace SharpTls.IO;

/// <summary>The handshake failed: the alert, why, and where.</summary>
public sealed class TlsHandshakeException(Diagnostics.TlsFailure failure) : IOException(failure.ToString())
{
    /// <summary>The failure the connection recorded.</summary>
    public Diagnostics.TlsFailure Failure { get; } = failure;
}

/// <summary>The server closed this handshake to make room for a newer one: <paramref name="limit"/> handshakes were in
/// progress (<see cref="TlsHandshakeLimit"/>), and this was the oldest.</summary>
public sealed class TlsHandshakeLimitException(int limit) : IOException($"the handshake was closed to make room: {limit} TLS handshakes were in progress, the limit, and it was the oldest")
{
    /// <summary>The limit that was reached.</summary>
    public int Limit { get; } = limit;
}

/// <summary>
/// An SslStream-shaped adapter: owns an inner stream (usually a NetworkStream) and moves
/// bytes between it and a sans-I/O <see cref="TlsConnection"/>. All protocol logic lives in
/// the connection; this class only reads, writes and waits.
/// </summary>
public sealed class TlsStream : Stream
{
    private const int ReadChunk = 16 * 1024 + 512;
    // Records sealed per send: 15 full records (240 KB; with their overhead the output buffer is the pool's 256 KB bucket).
    // Against 4 (64 KB) it cut the bench server's CPU per MB sent by 15-30 % (fewer sends and receiver wake-ups per MB;
    // bench/PROFILE.md, "The record write path"); an idle connection holds no write buffer either way.
    private const int WriteChunk = 15 * 16 * 1024;
    private readonly Stream _inner;
    private readonly bool _leaveInnerOpen;
    private TlsConnection? _connection;
    private byte[]? _readBuffer;
    private int _unfedStart, _unfedEnd;

    public TlsStream(Stream inner, bool leaveInnerOpen = false)
    {
        _inner = inner;
        _leaveInnerOpen = leaveInnerOpen;
    }

    /// <summary>The connection, after authentication has started.</summary>
    public TlsConnection Connection => _connection ?? throw new InvalidOperationException("not authenticated");

    /// <summary>The negotiated facts.</summary>
    public TlsConnectionInfo Info => Connection.Info;

    /// <summary>True while a read buffer is rented (for tests: a stalled or idle stream holds none).</summary>
    internal bool HoldsReadBuffer => _readBuffer is not null;

    /// <summary>Endpoints given to the server's selection hook (the binding lookup needs the local one).</summary>
    public IPEndPoint? LocalEndPoint { get; set; }

    /// <summary>The remote endpoint, reported in events.</summary>
    public IPEndPoint? RemoteEndPoint { get; set; }

    /// <summary>Runs the server side of the handshake with the listener's services and its selection hook.</summary>
    /// <remarks>Under the listener's <see cref="TlsServerListener.HandshakeLimit"/>: when it is full, the oldest handshake in
    /// progress is closed to make room for this one (that one fails with <see cref="TlsHandshakeLimitException"/>).</remarks>
    public async Task AuthenticateAsServerAsync(TlsServerListener listener, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(listener);
        _connection = TlsConnection.CreateServer(listener, LocalEndPoint, RemoteEndPoint);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var lease = listener.HandshakeLimit?.Enter(timeout);
        if (lease is { FirstEvictionOfBurst: true }) listener.ReportHandshakeLimit(RemoteEndPoint, LocalEndPoint);
        await HandshakeAsync(listener.HandshakeTimeout, timeout, lease, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs the server side of the handshake with the options' listener (see <see cref="TlsServerOptions.Listener"/>).</summary>
    public Task AuthenticateAsServerAsync(TlsServerOptions options, CancellationToken cancellationToken = default)
        => AuthenticateAsServerAsync(options.Listener, cancellationToken);

    /// <summary>Runs the client side of the handshake.</summary>
    public async Task AuthenticateAsClientAsync(TlsClientOptions options, CancellationToken cancellationToken = default)
    {
        _connection = TlsConnection.CreateClient(options);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await HandshakeAsync(options.HandshakeTimeout, timeout, null, cancellationToken).ConfigureAwait(false);
    }

    private async Task HandshakeAsync(TimeSpan handshakeTimeout, CancellationTokenSource timeout, TlsHandshakeLease? lease, CancellationToken cancellationToken)
    {
        timeout.CancelAfter(handshakeTimeout);
        var conn = Connection;
        try
        {
            while (true)
            {
                await FlushOutputAsync(timeout.Token).ConfigureAwait(false);
                switch (conn.Status)
                {
                    case TlsStatus.Connected:
                        return;
                    case TlsStatus.Failed:
                        throw new TlsHandshakeException(conn.Failure!);
                    case TlsStatus.Closed:
                        throw new IOException("the peer closed the connection during the handshake");
                    case TlsStatus.WaitingForHost:
                        await conn.AnswerHostRequestAsync(timeout.Token).ConfigureAwait(false);
                        continue;
                }
                // Wait for bytes before renting a read buffer: a stalled handshake (a peer that connects and sends
                // nothing, or stops half-way) holds no 32 KB array while it waits for its timeout (issue 10).
                if (!await FeedFromInnerAsync(timeout.Token, waitWithoutBuffer: true).ConfigureAwait(false))
                {
                    conn.OnTransportClosed();
                    await FlushOutputAsync(CancellationToken.None).ConfigureAwait(false);
                    throw conn.Failure is { } f ? new TlsHandshakeException(f) : new IOException("the peer closed the connection during the handshake");
                }
            }
        }
        catch (OperationCanceledException) when (lease is { Evicted: true } && !cancellationToken.IsCancellationRequested)
        {
            // Closed to make room for a newer handshake: no alert, nothing more spent on a peer that stalled.
            throw new TlsHandshakeLimitException(lease.Limit.Limit);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            conn.Abort(AlertDescription.UserCanceled, $"handshake timed out after {handshakeTimeout.TotalSeconds:0.#} s");
            await TryFlushAsync().ConfigureAwait(false);
            throw new TimeoutException($"TLS handshake timed out after {handshakeTimeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Sends close_notify. The read side stays open until the peer's close_notify (half-close).</summary>
    public async Task ShutdownAsync(CancellationToken cancellationToken = default)
    {
        Connection.Close();
        await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends a KeyUpdate (TLS 1.3); with <paramref name="requestPeer"/> asks the peer to update too.</summary>
    public async Task UpdateKeysAsync(bool requestPeer, CancellationToken cancellationToken = default)
    {
        Connection.UpdateKeys(requestPeer);
        await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Server: asks for a client certificate on the established connection and waits for the answer; returns the
    /// client's certificate, or null when it has none or declined. TLS 1.3: post-handshake authentication (the client
    /// must have offered post_handshake_auth). TLS 1.2: a secure renegotiation whose CertificateRequest follows the
    /// policy's mode (optional when the policy asks for none), as HTTP.sys does when a resource needs a certificate.
    /// Application data arriving meanwhile stays buffered for <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>
    /// (up to <see cref="TlsConnection.ReadAheadLimit"/>; read it first if the peer may send more). Do not call it
    /// while a read is pending on this stream. Bound the wait with <paramref name="cancellationToken"/>: a client may
    /// ignore a HelloRequest.
    /// </summary>
    public async Task<System.Security.Cryptography.X509Certificates.X509Certificate2?> RequestClientCertificateAsync(CancellationToken cancellationToken = default)
    {
        var conn = Connection;
        conn.RequestClientCertificate();
        await WaitForSecondHandshakeAsync(cancellationToken).ConfigureAwait(false);
        return conn.Info.PeerCertificates.Count > 0 ? conn.Info.PeerCertificates[0] : null;
    }

    /// <summary>
    /// TLS 1.2: renegotiates (RFC 5746 secure renegotiation only) and waits until the new handshake completes; false
    /// when the peer declined it with no_renegotiation (the connection goes on unchanged). The server sends
    /// HelloRequest, the client a new ClientHello. Application data flows meanwhile as for
    /// <see cref="RequestClientCertificateAsync"/>. TLS 1.3 has no renegotiation: use <see cref="UpdateKeysAsync"/>.
    /// </summary>
    public async Task<bool> RenegotiateAsync(CancellationToken cancellationToken = default)
    {
        var conn = Connection;
        conn.Renegotiate();
        await WaitForSecondHandshakeAsync(cancellationToken).ConfigureAwait(false);
        return !conn.RenegotiationRefused;
    }

    /// <summary>Reads until a post-handshake authentication or a renegotiation is over (done or refused).</summary>
    private async Task WaitForSecondHandshakeAsync(CancellationToken cancellationToken)
    {
        var conn = Connection;
        await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        while ((conn.PostHandshakeAuthPending || conn.RenegotiationPending) && conn.Status == TlsStatus.Connected)
        {
            if (conn.BufferedApplicationData >= TlsConnection.ReadAheadLimit)
                throw new InvalidOperationException($"the peer sent more than {TlsConnection.ReadAheadLimit} bytes of application data before answering; read them, then wait again");
            if (!await FeedFromInnerAsync(cancellationToken).ConfigureAwait(false))
            {
                conn.OnTransportClosed();
                throw new IOException("the peer closed the connection during the second handshake");
            }
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
        if (conn.Status == TlsStatus.Failed) throw new TlsHandshakeException(conn.Failure!);
    }

    /// <inheritdoc />
    /// <remarks>
    /// A zero-byte read waits until the transport has data (or is closed) and returns 0 without
    /// renting a buffer, as SslStream does: a caller that reads zero bytes first keeps an idle
    /// connection free of any read buffer.
    /// </remarks>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        // The two answers that need no wait, and the zero-byte wait itself, without an async method of this stream's
        // own: an idle connection's pending read is then only the socket's (no state machine box per connection).
        var conn = Connection;
        int n = conn.ReadApplicationData(buffer.Span);
        if (n > 0) return new ValueTask<int>(n);
        if (buffer.Length == 0)
        {
            if (conn.BufferedApplicationData > 0 || conn.PeerClosed || conn.Status != TlsStatus.Connected || !InnerWaitsWithoutBuffer)
                return new ValueTask<int>(0);
            return WhenIdle(_inner.ReadAsync(Memory<byte>.Empty, cancellationToken));
        }
        return ReadSlowAsync(buffer, cancellationToken);
    }

    private async ValueTask<int> ReadSlowAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var conn = Connection;
        while (true)
        {
            int n = conn.ReadApplicationData(buffer.Span);
            if (n > 0) return n;
            if (conn.Status == TlsStatus.Failed) throw new IOException(conn.Failure!.ToString());
            if (conn.PeerClosed) return 0;
            if (!await FeedFromInnerAsync(cancellationToken, waitWithoutBuffer: true).ConfigureAwait(false))
            {
                conn.OnTransportClosed();
                if (conn.Status == TlsStatus.Failed) throw new IOException(conn.Failure!.ToString());
                return 0;
            }
            if (conn.PendingOutput.Length > 0)
                await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var conn = Connection;
        if (conn.Status == TlsStatus.Failed) throw new IOException(conn.Failure!.ToString());
        // Seal and send up to WriteChunk at a time: the output buffer stays bounded and sending overlaps sealing.
        while (buffer.Length > 0)
        {
            int n = Math.Min(buffer.Length, WriteChunk);
            conn.WriteApplicationData(buffer.Span[..n]);
            buffer = buffer[n..];
            await FlushOutputAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads once from the inner stream and feeds everything it returned to the connection (which
    /// processes all complete records and queues its whole answer in one contiguous output buffer).
    /// With <paramref name="waitWithoutBuffer"/> on a socket, first waits with a zero-byte read so
    /// that an idle connection (a read pending for the next request) holds no rented buffer.
    /// </summary>
    private async ValueTask<bool> FeedFromInnerAsync(CancellationToken cancellationToken, bool waitWithoutBuffer = false)
    {
        var conn = Connection;
        if (_unfedEnd > _unfedStart)
        {
            // Bytes the connection left while it waited for the host or for its reader: offer them first.
            _unfedStart += conn.Feed(_readBuffer.AsSpan(_unfedStart, _unfedEnd - _unfedStart));
            if (_unfedStart == _unfedEnd) ReturnReadBuffer();
            return true;
        }
        if (waitWithoutBuffer && InnerWaitsWithoutBuffer)
            await WhenIdle(_inner.ReadAsync(Memory<byte>.Empty, cancellationToken)).ConfigureAwait(false);
        // Rent only while a read is outstanding.
        _readBuffer ??= ArrayPool<byte>.Shared.Rent(ReadChunk);
        bool keep = false;
        try
        {
            int n = await WhenIdle(_inner.ReadAsync(_readBuffer.AsMemory(0, ReadChunk), cancellationToken)).ConfigureAwait(false);
            if (n == 0) return false;
            int taken = conn.Feed(_readBuffer.AsSpan(0, n));
            if (taken < n)
            {
                (_unfedStart, _unfedEnd, keep) = (taken, n, true);
            }
            return true;
        }
        finally
        {
            if (!keep) ReturnReadBuffer();
        }
    }

    /// <summary>The inner stream is a socket's, whose zero-byte read waits for data without a buffer.</summary>
    private bool InnerWaitsWithoutBuffer => _inner is NetworkStream or SocketStream;

    /// <summary>
    /// A read of the inner stream that has not completed at once means the peer has nothing in flight: the connection
    /// frees its record ciphers' native contexts for the wait (<see cref="TlsConnection.ReleaseIdleResources"/>). A read
    /// that completes at once (bulk data streaming in) keeps them.
    /// </summary>
    private ValueTask<int> WhenIdle(ValueTask<int> read)
    {
        if (!read.IsCompleted) Connection.ReleaseIdleResources();
        return read;
    }

    private void ReturnReadBuffer()
    {
        if (_readBuffer is null) return;
        ArrayPool<byte>.Shared.Return(_readBuffer);
        _readBuffer = null;
        _unfedStart = _unfedEnd = 0;
    }

    /// <summary>Sends everything pending, as one write per contiguous output buffer; completes synchronously when nothing is pending.</summary>
    private ValueTask FlushOutputAsync(CancellationToken cancellationToken)
    {
        if (Connection.PendingOutput.Length == 0 && InnerFlushIsNoOp) return ValueTask.CompletedTask;
        return FlushOutputSlowAsync(cancellationToken);
    }

    private async ValueTask FlushOutputSlowAsync(CancellationToken cancellationToken)
    {
        var conn = Connection;
        while (conn.PendingOutput.Length > 0)
        {
            int n = conn.PendingOutput.Length;
            await _inner.WriteAsync(conn.PendingOutput, cancellationToken).ConfigureAwait(false);
            conn.ConsumeOutput(n);
        }
        if (!InnerFlushIsNoOp) // save the await
            await _inner.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The inner stream's flush does nothing (a socket's).</summary>
    private bool InnerFlushIsNoOp => _inner is NetworkStream or SocketStream;

    private async Task TryFlushAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await FlushOutputAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The alert is best effort: the peer may be gone.
        }
    }

    /// <inheritdoc />
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <inheritdoc />
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <inheritdoc />
    public override void Flush() { }

    /// <inheritdoc />
    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public override bool CanRead => true;

    /// <inheritdoc />
    public override bool CanWrite => true;

    /// <inheritdoc />
    public override bool CanSeek => false;

    /// <inheritdoc />
    public override long Length => throw new NotSupportedException();

    /// <inheritdoc />
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    /// <inheritdoc />
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    /// <inheritdoc />
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <inheritdoc />
    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection?.Dispose();
            ReturnReadBuffer();
            if (!_leaveInnerOpen) _inner.Dispose();
        }
        base.Dispose(disposing);
    }
}
