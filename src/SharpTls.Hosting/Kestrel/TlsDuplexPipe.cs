using System.Buffers;
using System.IO.Pipelines;
using SharpTls.IO;

namespace SharpTls.Hosting.Kestrel;

/// <summary>
/// The decrypted pipe Kestrel reads and writes once the handshake is done: a sans-I/O
/// <see cref="TlsConnection"/> driven straight from the connection's transport pipe. Two pumps
/// run after the handshake, one per direction (Kestrel reads the next request while it writes a
/// response, and HTTP/2 does both all the time); the connection is not thread-safe, so every call
/// into it holds its lock, and every write to the transport holds the send lock.
/// Nothing is buffered here beyond the pipes' own segments, and the pipes exist only once the handshake is done: a stalled
/// handshake holds no buffer and no pipe.
/// </summary>
internal sealed class TlsDuplexPipe : IDuplexPipe, IAsyncDisposable
{
    /// <summary>Bytes fed to the connection at once; decrypted data is drained between chunks so the
    /// connection's own application-data limit is never reached by a large transport read.</summary>
    private const int FeedChunk = 16 * 1024 + 512;
    private const int WriteChunk = 4 * 16 * 1024;
    private const int MaxRecordPlaintext = 16 * 1024;
    /// <summary>A record's header, content type and tag (AEAD; 22 bytes) with room to spare (a CBC suite's IV, MAC and padding).</summary>
    private const int RecordOverhead = 96;

    private readonly IDuplexPipe _transport;
    private readonly TlsConnection _tls;
    private readonly MemoryPool<byte> _pool;
    private Pipe _input = null!;   // made by Start: a handshake (stalled or not) holds no pipe
    private Pipe _output = null!;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private Task? _readLoop;
    private Task? _writeLoop;

    public TlsDuplexPipe(IDuplexPipe transport, TlsConnection tls, MemoryPool<byte> pool)
    {
        _transport = transport;
        _tls = tls;
        _pool = pool;
    }

    private void CreatePipes()
    {
        // Inline reader scheduling: decrypted data flushed by the read pump resumes Kestrel's HTTP parser on the pump's
        // thread, and a response Kestrel flushes resumes the write pump (encryption, transport write) on Kestrel's thread,
        // as SslStream's reads and writes run on their caller. The thread-pool hop per direction this replaces cost
        // 40 % of the requests per CPU-second on HTTP/1.1 keep-alive (bench/HOST.md). Each connection has its own pumps,
        // so an application that blocks holds up only its own connection.
        var options = new PipeOptions(_pool, PipeScheduler.Inline, PipeScheduler.Inline, useSynchronizationContext: false);
        _input = new Pipe(options);
        _output = new Pipe(options);
    }

    /// <summary>The engine connection (read it only under <see cref="Sync"/> once the pumps run).</summary>
    public TlsConnection Connection => _tls;

    /// <summary>The binding's HTTP/2 SETTINGS limits on what the client sends (set before <see cref="Start"/>; null: none).</summary>
    public Http2SettingsGuard? SettingsGuard { get; set; }

    /// <summary>The lock every call into the connection holds.</summary>
    public object Sync => _tls;

    /// <inheritdoc />
    public PipeReader Input => _input.Reader;

    /// <inheritdoc />
    public PipeWriter Output => _output.Writer;

    /// <summary>Runs the server handshake over the transport: reads, feeds, sends, and answers the
    /// engine's pause after ClientHello through <paramref name="answerHost"/> (the selection hook).</summary>
    public async Task HandshakeAsync(Func<CancellationToken, ValueTask> answerHost, CancellationToken cancellationToken)
    {
        var input = _transport.Input;
        while (true)
        {
            await SendPendingAsync(cancellationToken).ConfigureAwait(false);
            switch (_tls.Status)
            {
                case TlsStatus.Connected:
                    return;
                case TlsStatus.Failed:
                    throw new TlsHandshakeException(_tls.Failure!);
                case TlsStatus.Closed:
                    throw new IOException("the peer closed the connection during the handshake");
                case TlsStatus.WaitingForHost:
                    await answerHost(cancellationToken).ConfigureAwait(false);
                    continue;
            }
            var result = await input.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            // The connection takes less than offered while it waits for the host (the binding lookup): leave the rest
            // in the transport's pipe, unexamined, so the next read returns it after the answer.
            long taken = 0;
            bool stalled = false;
            foreach (var segment in buffer)
            {
                for (int i = 0; i < segment.Length && !stalled;)
                {
                    int n;
                    lock (Sync) n = _tls.Feed(segment.Span.Slice(i, Math.Min(FeedChunk, segment.Length - i)));
                    i += n;
                    taken += n;
                    stalled = n == 0;
                }
                if (stalled) break;
            }
            if (stalled) input.AdvanceTo(buffer.GetPosition(taken));
            else input.AdvanceTo(buffer.End);
            if (result.IsCompleted && buffer.IsEmpty)
            {
                lock (Sync) _tls.OnTransportClosed();
                await TrySendPendingAsync().ConfigureAwait(false);
                throw _tls.Failure is { } f ? new TlsHandshakeException(f) : new IOException("the peer closed the connection during the handshake");
            }
        }
    }

    /// <summary>Sends what the connection has queued (an alert after a failure), giving up after a second.</summary>
    public async Task TrySendPendingAsync()
    {
        try
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await SendPendingAsync(cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            // Best effort: the peer may be gone.
        }
    }

    private TaskCompletionSource? _secondHandshake;

    /// <summary>
    /// Asks the client for its certificate once the pumps run (TLS 1.2: a renegotiation, TLS 1.3: post-handshake
    /// authentication), and waits until the read pump has seen the answer; the client's certificate, or null when it
    /// has none, refuses (no_renegotiation), or cannot be asked (TLS 1.3 without post_handshake_auth, a peer that did
    /// not signal RFC 5746). Application data keeps flowing both ways meanwhile.
    /// </summary>
    public async Task<System.Security.Cryptography.X509Certificates.X509Certificate2?> RequestClientCertificateAsync(CancellationToken cancellationToken)
    {
        Task answered;
        lock (Sync)
        {
            if (_secondHandshake is null)
            {
                try
                {
                    _tls.RequestClientCertificate();
                }
                catch (InvalidOperationException)
                {
                    return Certificate();
                }
                _secondHandshake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            answered = _secondHandshake.Task;
        }
        await SendPendingAsync(cancellationToken).ConfigureAwait(false);
        await answered.WaitAsync(cancellationToken).ConfigureAwait(false);
        lock (Sync)
        {
            if (_tls.Status == TlsStatus.Failed) throw new IOException(_tls.Failure!.ToString());
            return Certificate();
        }
    }

    private System.Security.Cryptography.X509Certificates.X509Certificate2? Certificate()
        => _tls.Info.PeerCertificates.Count > 0 ? _tls.Info.PeerCertificates[0] : null;

    /// <summary>Completes a waiting <see cref="RequestClientCertificateAsync"/> once its exchange is over (caller holds the lock).</summary>
    private void CheckSecondHandshake(bool ended = false)
    {
        if (_secondHandshake is not { } waiting) return;
        if (!ended && _tls.Status == TlsStatus.Connected && (_tls.RenegotiationPending || _tls.PostHandshakeAuthPending)) return;
        _secondHandshake = null;
        waiting.TrySetResult();
    }

    /// <summary>Starts the two pumps between the transport and the decrypted pipes.</summary>
    public void Start()
    {
        CreatePipes();
        _readLoop = ReadLoopAsync();
        _writeLoop = WriteLoopAsync();
    }

    private async Task ReadLoopAsync()
    {
        var app = _input.Writer;
        var input = _transport.Input;
        Exception? error = null;
        try
        {
            // Records that arrived with the end of the handshake are already decrypted.
            if (!await DrainAsync().ConfigureAwait(false)) return;
            while (true)
            {
                lock (Sync)
                    if (_tls.PeerClosed || _tls.Status is TlsStatus.Failed or TlsStatus.Closed) break;
                var read = input.ReadAsync();
                // Nothing in flight from the peer: free the record ciphers' native contexts while the connection waits
                // (~2.8 KB per idle connection; rebuilt from the kept keys on the next record; safe beside a writer).
                if (!read.IsCompleted) _tls.ReleaseIdleResources();
                var result = await read.ConfigureAwait(false);
                var buffer = result.Buffer;
                bool readerGone = false;
                foreach (var segment in buffer)
                {
                    int idle = 0;
                    for (int i = 0; i < segment.Length && !readerGone;)
                    {
                        // The connection takes less while decrypted data waits to be read: drain, then feed the rest.
                        int n;
                        lock (Sync)
                        {
                            n = _tls.Feed(segment.Span.Slice(i, Math.Min(FeedChunk, segment.Length - i)));
                            CheckSecondHandshake();
                        }
                        i += n;
                        readerGone = !await DrainAsync().ConfigureAwait(false);
                        idle = n == 0 ? idle + 1 : 0;
                        if (idle > 1) throw new InvalidOperationException("the TLS connection stopped taking input after the handshake");
                    }
                }
                input.AdvanceTo(buffer.End);
                bool answer;
                lock (Sync) answer = _tls.PendingOutput.Length > 0; // KeyUpdate answers, alerts (rare: most reads send nothing)
                if (answer) await SendPendingAsync(CancellationToken.None).ConfigureAwait(false);
                if (readerGone) return;
                if (_tls.Status == TlsStatus.Failed)
                {
                    error = new IOException(_tls.Failure!.ToString());
                    break;
                }
                if (result.IsCanceled) break; // disposal: the application is gone
                if (result.IsCompleted)
                {
                    lock (Sync) _tls.OnTransportClosed();
                    await DrainAsync().ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            error = e;
        }
        finally
        {
            lock (Sync) CheckSecondHandshake(ended: true);
            await app.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    /// <summary>Moves decrypted data into the application's pipe; false once the application stopped reading.</summary>
    private async ValueTask<bool> DrainAsync()
    {
        var app = _input.Writer;
        while (true)
        {
            int n;
            Memory<byte> into;
            lock (Sync)
            {
                if (_tls.BufferedApplicationData == 0) return true; // nothing decrypted: no segment asked of the pool
                into = app.GetMemory(4096);
                n = _tls.ReadApplicationData(into.Span);
            }
            // A binding's HTTP/2 SETTINGS limits: bytes past a violation never reach Kestrel; the read pump ends with the error.
            if (SettingsGuard is { } guard && !guard.Observe(into.Span[..n])) throw new IOException(guard.Violation);
            app.Advance(n);
            var flush = await app.FlushAsync().ConfigureAwait(false);
            if (flush.IsCompleted) return false;
        }
    }

    private async Task WriteLoopAsync()
    {
        var app = _output.Reader;
        Exception? error = null;
        try
        {
            while (true)
            {
                var result = await app.ReadAsync().ConfigureAwait(false);
                var buffer = result.Buffer;
                bool transportGone = false;
                if (!buffer.IsEmpty)
                {
                    await _sendLock.WaitAsync().ConfigureAwait(false);
                    try
                    {
                        if (buffer.IsSingleSegment) Encrypt(buffer.FirstSpan);
                        else EncryptGathered(buffer);
                        transportGone = (await _transport.Output.FlushAsync().ConfigureAwait(false)).IsCompleted;
                    }
                    finally
                    {
                        _sendLock.Release();
                    }
                }
                app.AdvanceTo(buffer.End);
                if (result.IsCompleted || result.IsCanceled || transportGone) break;
            }
            // The application is done writing: close_notify, as SslStream's ShutdownAsync does.
            lock (Sync)
                if (_tls.Status == TlsStatus.Connected) _tls.Close();
            await SendPendingAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException or OperationCanceledException)
        {
            error = e;
        }
        finally
        {
            await app.CompleteAsync(error).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Encrypts one span of application data straight into the transport's writer (caller holds the send lock): the
    /// connection's <see cref="TlsConnection.OutputWriter"/> is the transport pipe for the call, so each record is sealed
    /// in the pipe's memory (the plaintext read from Kestrel's buffer, encrypted into the record) instead of into the
    /// connection's queue and copied over. The first span is asked for at the size of all the chunk's records, so the
    /// pipe serves one segment for them (bigger than its 4 KB blocks: from <c>ArrayPool</c>, returned once sent) and its
    /// lock is taken once per chunk rather than per block (see <see cref="CopyPendingToTransport"/>). Anything the
    /// connection had queued (a KeyUpdate answer) goes first, as setting the writer moves it there.
    /// </summary>
    private void Encrypt(ReadOnlySpan<byte> data)
    {
        var output = _transport.Output;
        for (int i = 0; i < data.Length; i += WriteChunk)
        {
            var chunk = data.Slice(i, Math.Min(WriteChunk, data.Length - i));
            lock (Sync)
            {
                output.GetSpan(chunk.Length + (chunk.Length / MaxRecordPlaintext + 1) * RecordOverhead + _tls.PendingOutput.Length);
                _tls.OutputWriter = output;
                try
                {
                    _tls.WriteApplicationData(chunk);
                }
                finally
                {
                    _tls.OutputWriter = null; // what the read pump's Feed produces waits for the send lock in PendingOutput
                }
            }
        }
    }

    /// <summary>
    /// Encrypts a flush that spans several of the pool's segments (4 KB each in Kestrel) as full-size records: the
    /// segments are gathered 16 KB at a time, so a 100 KB response is 7 records and not 25 (each record costs an AEAD
    /// call and 22 bytes; SslStream, written segment by segment through its stream adapter, sends the small ones).
    /// The gather buffer is rented for the flush only (an idle connection holds none).
    /// </summary>
    private void EncryptGathered(in ReadOnlySequence<byte> buffer)
    {
        byte[] gather = ArrayPool<byte>.Shared.Rent(MaxRecordPlaintext);
        try
        {
            var rest = buffer;
            while (!rest.IsEmpty)
            {
                var chunk = rest.Slice(0, Math.Min(MaxRecordPlaintext, rest.Length));
                if (chunk.IsSingleSegment)
                {
                    Encrypt(chunk.FirstSpan);
                }
                else
                {
                    chunk.CopyTo(gather);
                    Encrypt(gather.AsSpan(0, (int)chunk.Length));
                }
                rest = rest.Slice(chunk.End);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(gather, clearArray: true); // plaintext: not left in a shared pool
        }
    }

    private async ValueTask SendPendingAsync(CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            bool any;
            lock (Sync) any = CopyPendingToTransport();
            if (any) await _transport.Output.FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Copies the connection's output into the transport's writer (caller holds both locks) as one span asked for at its
    /// full size. The transport pipe's pool hands out 4 KB blocks, and <c>PipeWriter.Write</c> would fill a 16 KB record
    /// block by block, taking the pipe's lock for each block's GetSpan and Advance against the socket sender reading the
    /// same pipe (in the HTTP/2 100 KB profile the runtime's lock code, much of it reached from here, was ~7 % of the
    /// host's samples; 100 KB rows 1.07-1.33x after, bench/HOST.md). The pipe serves a request larger than a block from
    /// <c>ArrayPool</c>, one segment per write, returned once the socket has sent it.
    /// </summary>
    private bool CopyPendingToTransport()
    {
        var pending = _tls.PendingOutput;
        if (pending.Length == 0) return false;
        var output = _transport.Output;
        pending.Span.CopyTo(output.GetSpan(pending.Length));
        output.Advance(pending.Length);
        _tls.ConsumeOutput(pending.Length);
        return true;
    }

    /// <summary>Ends both pumps: the application's side of both pipes is completed, close_notify
    /// goes out if the application had not finished writing, and the transport read is cancelled.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_output is not null) await _output.Writer.CompleteAsync().ConfigureAwait(false);
        if (_input is not null) await _input.Reader.CompleteAsync().ConfigureAwait(false);
        if (_writeLoop is { IsCompletedSuccessfully: false } w) // most connections: already done (no 5 s timer armed for nothing)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await w.WaitAsync(cts.Token).ConfigureAwait(false); } catch (TimeoutException) { } catch (OperationCanceledException) { }
        }
        _transport.Input.CancelPendingRead();
        if (_readLoop is { IsCompletedSuccessfully: false } r)
        {
            try { await r.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (TimeoutException) { }
        }
        lock (Sync) _tls.Dispose();
        _sendLock.Dispose();
    }
}
