using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SharpTls.Diagnostics;
using SharpTls.Handshake;
using SharpTls.Wire;

namespace SharpTls;

/// <summary>
/// The sans-I/O core of one TLS connection: feed it the peer's bytes, send what
/// <see cref="PendingOutput"/> holds, read decrypted application data. It never touches a
/// socket, a task or a clock of its own, so tests can run a client and a server in memory
/// and replay a handshake byte for byte.
/// </summary>
public sealed partial class TlsConnection : IDisposable
{
    private const int MaxWarningAlerts = 16;
    private const int MaxEmptyRecords = 32;

    private readonly ByteQueue _output = new(wireBytes: true); // sealed records only: not wiped (ByteQueue)
    private readonly ByteQueue _applicationData = new();
    private HandshakeState _state;
    private TlsStatus _status = TlsStatus.Handshaking;
    private int _warningAlerts;
    private int _emptyRecords;
    private bool _closeNotifySent;
    private int _ignoredChangeCipherSpecs;

    private TlsConnection(bool isServer, ConnectionServices services, HandshakeState initial)
    {
        IsServer = isServer;
        Services = services;
        _state = initial;
        // The client splits SSL 3.0 / TLS 1.0 CBC application data 1/n-1 against BEAST (a server need not: the attack needs chosen plaintext from the client).
        Records = new Records.RecordLayer { AcceptSslv2ClientHello = isServer, SplitChainedIvRecords = !isServer };
    }

    /// <summary>Creates the server side; it waits for ClientHello. The listener's services serve the connection;
    /// its selection hook (or default policy) decides what this connection may negotiate.</summary>
    public static TlsConnection CreateServer(TlsServerListener listener, IPEndPoint? localEndPoint = null, IPEndPoint? remoteEndPoint = null)
    {
        ArgumentNullException.ThrowIfNull(listener);
        listener.WarnIfKeyLogging();
        var c = new TlsConnection(true, ConnectionServices.Of(listener), new Handshake.Server.ExpectClientHello(localEndPoint, remoteEndPoint))
        {
            Listener = listener,
        };
        c.Info.Binding = listener.DefaultPolicy?.Name;
        return c;
    }

    /// <summary>Creates the server side from options: their listener services (made once per options instance,
    /// so that its connections share one ticket key ring) and their policy.</summary>
    public static TlsConnection CreateServer(TlsServerOptions options, IPEndPoint? localEndPoint = null, IPEndPoint? remoteEndPoint = null)
        => CreateServer(options.Listener, localEndPoint, remoteEndPoint);

    /// <summary>Creates the client side and queues its ClientHello.</summary>
    public static TlsConnection CreateClient(TlsClientOptions options)
    {
        var c = new TlsConnection(false, ConnectionServices.Of(options), Handshake.Client.ClientStart.Instance)
        {
            ClientOptions = options,
        };
        c.Run(() => c._state = Handshake.Client.ClientStart.Begin(c));
        return c;
    }

    /// <summary>True for the server side.</summary>
    public bool IsServer { get; }

    /// <summary>Where the connection stands.</summary>
    public TlsStatus Status => _status;

    /// <summary>The failure, once <see cref="Status"/> is <see cref="TlsStatus.Failed"/>.</summary>
    public TlsFailure? Failure { get; private set; }

    /// <summary>The negotiated facts.</summary>
    public TlsConnectionInfo Info { get; } = new();

    /// <summary>True once the peer's close_notify has arrived: no more data will come.</summary>
    public bool PeerClosed { get; private set; }

    /// <summary>Bytes to send to the peer; call <see cref="ConsumeOutput"/> once sent. Always empty while
    /// <see cref="OutputWriter"/> is set.</summary>
    public ReadOnlyMemory<byte> PendingOutput => _output.Memory;

    /// <summary>Marks <paramref name="count"/> bytes of <see cref="PendingOutput"/> as sent.</summary>
    public void ConsumeOutput(int count) => _output.Consume(count);

    /// <summary>
    /// Where the records to send go. Null (the default): they wait in <see cref="PendingOutput"/>. A caller's writer (a
    /// <c>PipeWriter</c>, an <see cref="ArrayBufferWriter{T}"/>): each record is sealed in place in the writer's memory
    /// (no copy through <see cref="PendingOutput"/>; DESIGN.md principle 8), and the caller sends what the writer holds
    /// (for a pipe: flushes it) after each call that may produce output (<see cref="Feed"/>, <see cref="ReadApplicationData"/>,
    /// <see cref="WriteApplicationData"/>, <see cref="Close"/>, <see cref="UpdateKeys"/>, the host's answers). Back-pressure is
    /// the caller's: stop feeding and writing while the writer's consumer is behind (a pipe's flush waits for that). The
    /// bytes are the same either way. Setting a writer moves what <see cref="PendingOutput"/> holds into it first, so nothing
    /// is reordered; setting null again queues the records that follow in <see cref="PendingOutput"/>. If a record fails to
    /// seal, the writer's unadvanced memory may hold that record's plaintext.
    /// </summary>
    public IBufferWriter<byte>? OutputWriter
    {
        get => _outputWriter;
        set
        {
            if (value is not null && _output.Length > 0)
            {
                value.Write(_output.Span);
                _output.Consume(_output.Length);
            }
            _outputWriter = value;
        }
    }

    private IBufferWriter<byte>? _outputWriter;

    /// <summary>Where records go now: the caller's writer, or the pending-output queue.</summary>
    private IBufferWriter<byte> Output => _outputWriter ?? _output;

    /// <summary>The services in force: the server's listener's, or the client's options'.</summary>
    internal ConnectionServices Services { get; }

    /// <summary>Server: the listener that accepted the connection.</summary>
    internal TlsServerListener? Listener { get; private init; }

    /// <summary>Server: the policy chosen after ClientHello (null before).</summary>
    internal TlsServerPolicy? Policy { get; private set; }

    /// <summary>Client: its options.</summary>
    internal TlsClientOptions? ClientOptions { get; private init; }

    /// <summary>The negotiation settings of this side: the server's policy, or the client's options.</summary>
    internal Handshake.INegotiationSettings Settings => (Handshake.INegotiationSettings?)Policy ?? ClientOptions
        ?? throw new InvalidOperationException("the server has not chosen its policy yet");

    internal Crypto.ICryptoProvider Crypto => Services.Crypto;

    /// <summary>The established session: set when the first handshake completes, kept while a second one runs.</summary>
    internal TlsSession? Session { get; private set; }

    internal Records.RecordLayer Records { get; }

    /// <summary>What the connection waits for while <see cref="Status"/> is <see cref="TlsStatus.WaitingForHost"/>.</summary>
    public TlsHostRequest? HostRequest => _state is Handshake.AwaitHost awaiting ? awaiting.Request : null;

    /// <summary>
    /// Feeds bytes received from the peer and returns how many were taken. Fewer than offered are taken while
    /// the connection waits for the host or while <see cref="ReadAheadLimit"/> bytes of application data wait
    /// to be read: feed the rest after answering or reading. Never throws for peer misbehaviour: a failure
    /// queues the alert, records <see cref="Failure"/> and sets <see cref="TlsStatus.Failed"/> (everything
    /// offered then counts as taken).
    /// </summary>
    public int Feed(ReadOnlySpan<byte> data)
    {
        if (_status is TlsStatus.Failed || PeerClosed) return data.Length;
        int taken = data.Length;
        try
        {
            taken = Records.Feed(data, this);
            AfterInput();
            Records.Flush(Output);
        }
        catch (Exception e) when (e is TlsProtocolException or CryptographicException)
        {
            Fail(AsProtocolFailure(e));
        }
        return _status is TlsStatus.Failed || PeerClosed ? data.Length : taken;
    }

    /// <summary>Decrypted application data buffered beyond this stops <see cref="Feed"/> taking more input.</summary>
    public const int ReadAheadLimit = 64 * 1024;

    /// <summary>True when records are held back: waiting for the host, the reader behind, or the connection over.</summary>
    internal bool StopReading => _status is TlsStatus.Failed or TlsStatus.WaitingForHost || PeerClosed
        || _applicationData.Length >= ReadAheadLimit;

    /// <summary>Copies decrypted application data out; 0 when none is buffered. Reading makes room: records held
    /// back by <see cref="ReadAheadLimit"/> are processed.</summary>
    public int ReadApplicationData(Span<byte> destination)
    {
        int n = _applicationData.Take(destination);
        if (n > 0 && Records.HasBufferedInput && !StopReading) Run(() => Records.Drain(this));
        return n;
    }

    /// <summary>Bytes of decrypted application data waiting to be read.</summary>
    public int BufferedApplicationData => _applicationData.Length;

    /// <summary>
    /// Encrypts application data into <see cref="PendingOutput"/>. Under an AES-GCM or AES-CCM key the write is cut where
    /// the key reaches its RFC 8446 §5.5 limit: TLS 1.3 sends a KeyUpdate there and goes on under the new key; TLS 1.2,
    /// which has none, closes with close_notify rather than use the key further (and throws).
    /// </summary>
    public void WriteApplicationData(ReadOnlySpan<byte> data)
    {
        if (_status != TlsStatus.Connected || _closeNotifySent)
            throw new InvalidOperationException($"cannot write application data: the connection is {_status}{(_closeNotifySent ? " and closed for writing" : "")}");
        // Room for all the records at once (header, content type, tag or MAC and padding: under 96 bytes each without a
        // padding policy): the output grows once instead of doubling, copying and zeroing per record (bench/PROFILE.md, bulk).
        long records = data.Length / Math.Max(1, Records.MaxFragmentLength) + 1;
        if (_outputWriter is null) _output.Reserve((int)Math.Min(data.Length + records * 96, 16L << 20));
        if (Records.Limits is not { } limits)
        {
            Records.Write(ContentType.ApplicationData, data, Output, Services.Trace);
            return;
        }
        do
        {
            if (Records.WriteSequenceNumber >= limits.KeyUpdateAt && _state is Handshake.IConnectedState connected)
            {
                Run(() => connected.SendKeyUpdate(this, requestPeer: false));
                if (_status != TlsStatus.Connected) throw new InvalidOperationException($"the KeyUpdate failed: {Failure}");
            }
            ulong room = (_state is Handshake.IConnectedState ? limits.KeyUpdateAt : limits.Refuse) - Math.Min(Records.WriteSequenceNumber, limits.Refuse);
            if (room == 0)
            {
                Close();
                throw new InvalidOperationException($"the write key protected {limits.Refuse} records, the most RFC 8446 §5.5 allows, and TLS 1.2 cannot update it: the connection is closed");
            }
            int chunk = (int)Math.Min((ulong)data.Length, room * (ulong)Records.MaxFragmentLength);
            Records.Write(ContentType.ApplicationData, data[..chunk], Output, Services.Trace);
            data = data[chunk..];
        }
        while (!data.IsEmpty);
    }

    /// <summary>
    /// Frees what an idle connection can rebuild: the native contexts of its record ciphers (about 1.4 KB each with
    /// libcrypto, 1.9 KB with the BCL's AesGcm). The keys stay, in pinned memory that is zeroed at <see cref="Dispose"/>;
    /// the next record sealed or opened creates its context again (about 2 µs with libcrypto, measured in
    /// bench/PROFILE.md). Call it when the connection waits for its peer with nothing to send; <see cref="IO.TlsStream"/>
    /// does so whenever its read would wait. Safe to call from another thread than one sealing or opening a record: a
    /// context in use is not freed.
    /// </summary>
    public void ReleaseIdleResources() => Records.ReleaseIdle();

    /// <summary>Queues close_notify. Reading continues until the peer's close_notify (half-close).</summary>
    public void Close()
    {
        if (_closeNotifySent || _status == TlsStatus.Failed) return;
        _closeNotifySent = true;
        SendAlert(AlertLevel.Warning, AlertDescription.CloseNotify);
        Records.Flush(Output);
        if (PeerClosed) _status = TlsStatus.Closed;
    }

    /// <summary>Sends a KeyUpdate (TLS 1.3 only).</summary>
    public void UpdateKeys(bool requestPeer)
    {
        if (_state is not Handshake.IConnectedState connected)
            throw new InvalidOperationException("KeyUpdate needs an established TLS 1.3 connection");
        Run(() => connected.SendKeyUpdate(this, requestPeer));
    }

    /// <summary>
    /// Server: asks the client for a certificate on an established connection. TLS 1.3: a post-handshake
    /// CertificateRequest (the client must have offered post_handshake_auth). TLS 1.2: a renegotiation (HelloRequest,
    /// then a full handshake whose CertificateRequest follows the policy's mode, optional when the policy asks for
    /// none), as HTTP.sys does when a resource needs a certificate; the client may refuse it (no_renegotiation).
    /// The answer arrives with later input: see <see cref="PostHandshakeAuthPending"/>, <see cref="RenegotiationPending"/>.
    /// </summary>
    public void RequestClientCertificate()
    {
        if (_state is Handshake.IConnectedState connected)
        {
            Run(() => connected.RequestClientCertificate(this));
            return;
        }
        if (!IsServer) throw new InvalidOperationException("only a server requests client certificates");
        CheckCanRenegotiate();
        var mode = Policy!.ClientCertificateMode == ClientCertificateMode.Required ? ClientCertificateMode.Required : ClientCertificateMode.Optional;
        Run(() => Handshake.Tls12.Renegotiation.SendHelloRequest(this, mode));
    }

    /// <summary>True while a post-handshake CertificateRequest waits for the client's answer.</summary>
    public bool PostHandshakeAuthPending => _state is Handshake.IConnectedState { PostHandshakeAuthPending: true };

    /// <summary>
    /// TLS 1.2: starts a secure renegotiation (RFC 5746) on the established connection. The server sends HelloRequest
    /// and the client answers with a new handshake (or refuses it); the client sends a new ClientHello (the server may
    /// refuse it). Application data keeps flowing both ways meanwhile; the session in force is replaced when the new
    /// handshake completes. Throws when the connection is not TLS 1.2 to TLS 1.0 (SSL 3.0 connections are never
    /// renegotiated), is already renegotiating, or the peer did not signal RFC 5746 (insecure renegotiation is never done).
    /// </summary>
    public void Renegotiate()
    {
        CheckCanRenegotiate();
        Run(() =>
        {
            if (IsServer) Handshake.Tls12.Renegotiation.SendHelloRequest(this, certificateMode: null);
            else _state = Handshake.Tls12.Renegotiation.ClientBegin(this);
        });
    }

    /// <summary>TLS 1.2: true while a renegotiation runs or waits for the peer's answer (a HelloRequest we sent).</summary>
    public bool RenegotiationPending => Session is not null && _status == TlsStatus.Connected
        && (!_state.IsConnected || _renegotiation is { HelloRequestPending: true });

    /// <summary>TLS 1.2: the peer answered the last renegotiation we started with no_renegotiation (the connection went on).</summary>
    public bool RenegotiationRefused => _renegotiation is { RefusedByPeer: true };

    private void CheckCanRenegotiate()
    {
        if (_status != TlsStatus.Connected || _closeNotifySent || Session is not { } session || _state is not Handshake.Tls12.Connected)
            throw new InvalidOperationException($"renegotiation needs an established TLS 1.2 connection with no handshake under way (the connection is {_status}, {Info.Version?.ToString() ?? "no version"})");
        if (session.Version == ProtocolVersion.Ssl3)
            throw new InvalidOperationException(Handshake.Tls12.Renegotiation.Ssl3Refusal);
        if (_renegotiation is { HelloRequestPending: true })
            throw new InvalidOperationException("a renegotiation is already requested and not answered yet");
        if (!session.SecureRenegotiation)
            throw new InvalidOperationException("the peer did not signal secure renegotiation (RFC 5746) in the first handshake: insecure renegotiation is never done");
    }

    private Handshake.Tls12.RenegotiationTracker? _renegotiation;

    /// <summary>What the connection remembers about renegotiation across its handshakes (made on first use).</summary>
    internal Handshake.Tls12.RenegotiationTracker Renegotiation => _renegotiation ??= new();

    /// <summary>The transport ended without close_notify.</summary>
    public void OnTransportClosed()
    {
        if (_status is TlsStatus.Handshaking or TlsStatus.WaitingForHost && Failure is null)
            Failure = RecordFailure(AlertDescription.HandshakeFailure, generated: false,
                "the peer closed the connection during the handshake without an alert", FailureEnding.ClosedWithoutAlert);
        if (_status is TlsStatus.Handshaking or TlsStatus.WaitingForHost) _status = TlsStatus.Failed;
        if (_status == TlsStatus.Connected && !PeerClosed)
        {
            // No close_notify: the data may have been cut short by an attacker (RFC 8446 §6.1).
            Truncated = true;
            if (Logger is { } log) TlsLog.TruncatedWithoutCloseNotify(log, Info.Binding);
        }
        PeerClosed = true;
    }

    /// <summary>True when the transport ended after the handshake without the peer's close_notify:
    /// what was read may be incomplete. Applications that rely on length-delimited framing may ignore it.</summary>
    public bool Truncated { get; private set; }

    /// <summary>
    /// Fails the connection from outside (timeout, cancellation) with an alert. user_canceled is sent as RFC 8446 §6.1
    /// has it, a warning followed by close_notify (a peer must not take it for a protocol error); any other alert is fatal.
    /// Either way the failure and its reason are logged: user_canceled as event 36892 (HandshakeTimedOut, what the
    /// timeouts of <see cref="IO.TlsStream"/> and the host use it for), any other alert as 36888.
    /// </summary>
    public void Abort(AlertDescription alert, string reason)
    {
        if (alert != AlertDescription.UserCanceled)
        {
            Fail(new TlsProtocolException(alert, reason));
            return;
        }
        if (_status == TlsStatus.Failed) return;
        _status = TlsStatus.Failed;
        Failure = RecordFailure(alert, generated: true, $"{reason} (user_canceled sent as a warning, then close_notify)", FailureEnding.TimedOut);
        try
        {
            SendAlert(AlertLevel.Warning, AlertDescription.UserCanceled);
            if (!_closeNotifySent) SendAlert(AlertLevel.Warning, AlertDescription.CloseNotify);
            _closeNotifySent = true;
        }
        catch (Exception inner) when (inner is TlsProtocolException or CryptographicException or InvalidOperationException)
        {
            // As in Fail: without usable keys the connection just closes.
        }
    }

    /// <summary>
    /// Answers <see cref="HostRequest"/> from the listener: its selection hook (or default policy) for a
    /// <see cref="ChoosePolicyRequest"/>, its session cache for lookups and stores. Continues the handshake.
    /// </summary>
    public async ValueTask AnswerHostRequestAsync(CancellationToken cancellationToken)
    {
        var listener = Listener;
        switch (HostRequest)
        {
            case ChoosePolicyRequest choose:
                TlsServerPolicy? policy;
                if (listener?.SelectPolicy is not { } hook) policy = listener?.DefaultPolicy;
                else
                {
                    try
                    {
                        policy = await hook(choose.ClientHello, cancellationToken).ConfigureAwait(false);
                    }
                    catch (TlsProtocolException e)
                    {
                        Fail(e);
                        return;
                    }
                    catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                    {
                        throw;
                    }
                    catch (Exception e)
                    {
                        Fail(new TlsProtocolException(AlertDescription.InternalError,
                            $"{TlsFailure.SelectionHookFailure}: {e.GetType().Name}: {e.Message}"));
                        return;
                    }
                }
                ChoosePolicy(policy);
                return;
            case SessionLookupRequest lookup:
                byte[]? found = null;
                if (listener?.SessionCache is { } cache)
                {
                    try
                    {
                        found = await cache.GetAsync(lookup.SessionId, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        // A cache that fails only costs the resumption: continue with a full handshake.
                        Logger?.LogWarning(TlsEvents.SessionCacheFailed, "the session cache failed a lookup: {Error}", e.Message);
                    }
                }
                CompleteSessionLookup(found);
                return;
            case SessionStoreRequest store:
                if (listener?.SessionCache is { } target)
                {
                    try
                    {
                        await target.SetAsync(store.SessionId, store.Session, store.Lifetime, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                    {
                        Logger?.LogWarning(TlsEvents.SessionCacheFailed, "the session cache failed to store a session: {Error}", e.Message);
                    }
                }
                CompleteSessionStore();
                return;
            default:
                throw new InvalidOperationException("the connection is not waiting for the host");
        }
    }

    /// <summary>Answers a <see cref="ChoosePolicyRequest"/>: the policy for this connection, or null to refuse it
    /// (handshake_failure, "no configuration for this connection").</summary>
    public void ChoosePolicy(TlsServerPolicy? policy)
    {
        var awaiting = Awaiting<ChoosePolicyRequest>();
        if (policy is not null)
        {
            Policy = policy;
            Info.Binding = policy.Name ?? Info.Binding;
        }
        Resume(awaiting, policy);
    }

    /// <summary>Answers a <see cref="SessionLookupRequest"/>: the stored session, or null when there is none.</summary>
    public void CompleteSessionLookup(byte[]? session) => Resume(Awaiting<SessionLookupRequest>(), session);

    /// <summary>Answers a <see cref="SessionStoreRequest"/> once the session is stored (or could not be).</summary>
    public void CompleteSessionStore() => Resume(Awaiting<SessionStoreRequest>(), null);

    private Handshake.AwaitHost Awaiting<T>() where T : TlsHostRequest
        => _status == TlsStatus.WaitingForHost && _state is Handshake.AwaitHost { Request: T } awaiting
            ? awaiting
            : throw new InvalidOperationException($"the connection is not waiting for a {typeof(T).Name}");

    private void Resume(Handshake.AwaitHost awaiting, object? answer)
    {
        _status = TlsStatus.Handshaking;
        Run(() =>
        {
            _state = awaiting.Continue(this, answer);
            AfterState();
            // Records that arrived during the pause are processed now, in order.
            if (!StopReading) Records.Drain(this);
        });
    }

    // ---- called by the record layer ----

    internal void OnHandshakeMessage(HandshakeType type, ReadOnlyMemory<byte> message)
    {
        // RFC 5246 §7.4.1.1: a client ignores HelloRequest while it is negotiating (a renegotiation already under way).
        if (!IsServer && type == HandshakeType.HelloRequest && Session is { Version: not ProtocolVersion.Tls13 } && !_state.IsConnected)
        {
            if (message.Length != 4) throw TlsProtocolException.Decode("HelloRequest must be empty");
            return;
        }
        _state = _state.Handle(this, type, message);
        AfterState();
    }

    private void AfterState()
    {
        if (_state is Handshake.AwaitHost) _status = TlsStatus.WaitingForHost;
        else if (Session is not null && _status == TlsStatus.Handshaking) OnConnected();
    }

    /// <summary>The handshake established a session: application data may flow. A later handshake on the same
    /// connection (TLS 1.2 renegotiation) replaces it when it completes.</summary>
    internal void Establish(TlsSession session)
    {
        var previous = Session;
        Session = session;
        Records.Limits ??= SharpTls.Records.KeyUsageLimits.For(Info.CipherSuite);
        if (previous is null) return;
        previous.Dispose();
        Info.Renegotiations++;
        Logger?.LogInformation(TlsEvents.RenegotiationCompleted, "{Side} renegotiation completed: {Version} {Suite} client certificate={Certificate} binding={Binding}",
            IsServer ? "server" : "client", Info.Version, Info.CipherSuite, IsServer ? Certificates.PeerChain.Leaf(Info.PeerCertificates)?.Subject ?? "none" : "none", Info.Binding);
        // Idle again, as after the first handshake: the new peer chain is kept as DER only (parsed again when read).
        Info.ReleaseParsedCertificates();
    }

    internal void OnApplicationData(ReadOnlySpan<byte> data)
    {
        if (Session is null)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "application data before the handshake finished");
        if (_state is Handshake.IExpectFinished)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "application data between the peer's ChangeCipherSpec and its Finished (RFC 5246 §7.4.9)");
        if (data.Length == 0)
        {
            if (++_emptyRecords > MaxEmptyRecords)
                throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "too many empty application data records");
            return;
        }
        _emptyRecords = 0;
        _applicationData.Write(data);
    }

    /// <summary>After a batch of input: answer the peer's KeyUpdate requests once (RFC 8446 §4.6.3).</summary>
    internal void AfterInput()
    {
        if (_state is Handshake.IConnectedState connected && _status == TlsStatus.Connected && !_closeNotifySent)
        {
            // RFC 8446 §5.5: the peer's key is due for an update: ask once per key (our own update goes with the request).
            if (Records.Limits is { } limits && Records.ReadSequenceNumber >= limits.KeyUpdateAt)
            {
                if (!_peerKeyUpdateRequested) connected.SendKeyUpdate(this, requestPeer: true);
                _peerKeyUpdateRequested = true;
            }
            else
            {
                _peerKeyUpdateRequested = false;
            }
            connected.AnswerKeyUpdate(this);
        }
    }

    private bool _peerKeyUpdateRequested;

    internal void OnAlert(ReadOnlySpan<byte> alert)
    {
        if (alert.Length != 2)
            throw TlsProtocolException.Decode($"alert record of {alert.Length} byte(s); an alert is 2 bytes");
        var level = (AlertLevel)alert[0];
        var description = (AlertDescription)alert[1];
        if (description == AlertDescription.CloseNotify)
        {
            PeerClosed = true;
            if (_status is TlsStatus.Handshaking or TlsStatus.WaitingForHost)
                throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "close_notify during the handshake");
            if (_closeNotifySent) _status = TlsStatus.Closed;
            return;
        }
        bool tls13 = Info.Version == ProtocolVersion.Tls13;
        if (level == AlertLevel.Fatal || tls13 && description != AlertDescription.UserCanceled || Alerts.IsAlwaysFatal(description))
        {
            Failure = RecordFailure(description, generated: false, $"the peer sent a fatal {Alerts.Name(description)} alert");
            _status = TlsStatus.Failed;
            PeerClosed = true;
            return;
        }
        if (level != AlertLevel.Warning)
            throw TlsProtocolException.Illegal($"alert level {(byte)level}");
        if (++_warningAlerts > MaxWarningAlerts)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "too many warning alerts");
        if (description == AlertDescription.NoRenegotiation && Session is not null)
        {
            // The peer declined the renegotiation we started (RFC 5246 §7.2.2): go on with the session in force.
            if (IsServer && _renegotiation is { HelloRequestPending: true })
                Handshake.Tls12.Renegotiation.OnRefusedByPeer(this);
            else if (!IsServer && _state is Handshake.Client.Tls13.ExpectServerHello waiting)
            {
                waiting.Dispose();
                _state = new Handshake.Tls12.Connected(isServer: false);
                Handshake.Tls12.Renegotiation.OnRefusedByPeer(this);
            }
        }
    }

    /// <summary>Queues an encoded handshake message (the state has already added it to its transcript).</summary>
    internal void SendHandshake(ReadOnlySpan<byte> message) => Records.QueueHandshake(message, Services.Trace);

    /// <summary>
    /// Ends the handshake record being filled: what is queued goes out now, and the next message starts a record of its
    /// own. The TLS 1.2 server's plaintext flight sends one message per record, as OpenSSL does: RFC 5246 §6.2.1 allows
    /// coalescing, but scanners that read the flight record by record (sslscan's group and signature probes) wait for
    /// more records and time out when ServerHello..ServerHelloDone share one.
    /// </summary>
    internal void EndHandshakeRecord() => Records.Flush(Output);

    /// <summary>
    /// Encodes <paramref name="message"/> into the thread's scratch writer, adds it to <paramref name="transcript"/> (when
    /// given) and queues it: nothing is allocated for the encoding and <see cref="Messages.HandshakeMessage.Raw"/> stays unset.
    /// </summary>
    internal void SendHandshake(Messages.HandshakeMessage message, KeySchedule.Transcript? transcript = null)
    {
        var w = Wire.TlsWriter.RentScratch();
        try
        {
            message.WriteMessage(w);
            transcript?.Add(w.WrittenSpan);
            Records.QueueHandshake(w.WrittenSpan, Services.Trace);
        }
        finally
        {
            Wire.TlsWriter.ReturnScratch(w);
        }
    }

    /// <summary>Queues a warning alert (TLS 1.2 no_renegotiation).</summary>
    internal void SendWarningAlert(AlertDescription description) => SendAlert(AlertLevel.Warning, description);

    /// <summary>Queues TLS 1.3's middlebox-compatibility ChangeCipherSpec (RFC 8446 §D.4): it changes nothing.</summary>
    internal void SendDummyChangeCipherSpec() => Records.Write(ContentType.ChangeCipherSpec, [1], Output, Services.Trace);

    /// <summary>
    /// TLS 1.2 and older: queues ChangeCipherSpec under the current write keys and installs <paramref name="next"/>
    /// right after it (RFC 5246 §7.1), so the records that follow are protected with the new keys.
    /// </summary>
    internal void SendChangeCipherSpec(Records.IRecordProtection next)
    {
        Records.Write(ContentType.ChangeCipherSpec, [1], Output, Services.Trace);
        Records.ChangeWriteProtection(next, Output);
    }

    /// <summary>Installs new write keys, after flushing what the old keys must protect.</summary>
    internal void ChangeWriteProtection(Records.IRecordProtection next) => Records.ChangeWriteProtection(next, Output);

    /// <summary>Installs new read keys; <paramref name="lastMessage"/> must have ended its record.</summary>
    internal void ChangeReadProtection(Records.IRecordProtection next, HandshakeType lastMessage) => Records.ChangeReadProtection(next, lastMessage);

    internal void OnChangeCipherSpec(ReadOnlySpan<byte> payload, bool encrypted)
    {
        if (payload.Length != 1 || payload[0] != 1)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "ChangeCipherSpec must be the single byte 0x01");
        if (_state is IChangeCipherSpecState ccs)
        {
            _state = ccs.OnChangeCipherSpec(this);
            return;
        }
        // TLS 1.3 (RFC 8446 §5): an unprotected ChangeCipherSpec during the handshake is ignored.
        if (encrypted || _status != TlsStatus.Handshaking || Records.Version is not (null or ProtocolVersion.Tls13))
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, Records.Version == ProtocolVersion.Tls12 && _status == TlsStatus.Handshaking
                ? "ChangeCipherSpec before the TLS 1.2 handshake called for it"
                : "ChangeCipherSpec outside the TLS 1.3 handshake");
        if (++_ignoredChangeCipherSpecs > 1)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "more than one compatibility ChangeCipherSpec");
    }

    internal void OnSslv2ClientHello(ReadOnlySpan<byte> message)
    {
        if (_state is not Handshake.Server.ExpectClientHello expect)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage, "SSL 2.0 record after the first ClientHello");
        _state = expect.HandleSslv2(this, message);
    }

    internal TimeProvider Time => Services.Time;

    internal ILogger? Logger => Services.Logger;

    private void OnConnected()
    {
        _status = TlsStatus.Connected;
        Info.ReleaseParsedCertificates();
        if (Logger is { } log)
            TlsLog.HandshakeCompleted(log, IsServer ? "server" : "client", Info.Version, Info.CipherSuite, Info.Group, Info.Resumed, Info.ServerName, Info.ApplicationProtocol, Info.Binding);
    }

    private void SendAlert(AlertLevel level, AlertDescription description)
    {
        // SSL 3.0 has fewer alerts (RFC 6101 §5.4.2): Fail maps the fatal ones; a warning it lacks is not sent.
        if (Ssl3Negotiated && !Handshake.Tls12.Ssl3Alerts.Defines(description)) return;
        ReadOnlySpan<byte> alert = [(byte)level, (byte)description];
        Records.Write(ContentType.Alert, alert, Output, Services.Trace);
    }

    /// <summary>Runs engine code; the one place where errors become alerts (rustls' main loop).</summary>
    private void Run(Action action)
    {
        try
        {
            action();
            AfterInput();
            Records.Flush(Output);
        }
        catch (Exception e) when (e is TlsProtocolException or CryptographicException)
        {
            Fail(AsProtocolFailure(e));
        }
    }

    private static TlsProtocolException AsProtocolFailure(Exception e)
        => e as TlsProtocolException ?? new(AlertDescription.InternalError, $"cryptographic failure: {e.Message}");

    private void Fail(TlsProtocolException e)
    {
        if (_status == TlsStatus.Failed) return;
        _status = TlsStatus.Failed;
        var alert = Ssl3Negotiated ? Handshake.Tls12.Ssl3Alerts.Fatal(e.Alert) : e.Alert;
        Failure = RecordFailure(alert, generated: true,
            alert == e.Alert ? e.Reason : $"{e.Reason} (sent as {Alerts.Name(alert)}: SSL 3.0 has no {Alerts.Name(e.Alert)} alert)");
        try
        {
            SendAlert(AlertLevel.Fatal, alert);
        }
        catch (Exception inner) when (inner is TlsProtocolException or CryptographicException or InvalidOperationException)
        {
            // The alert cannot be protected (e.g. keys already gone): the failure stands without it.
        }
    }

    private bool Ssl3Negotiated => Info.Version == ProtocolVersion.Ssl3;

    /// <summary>The documented internal state: "Server.Tls13.ExpectFinished"; states both sides share get the side in front ("Client.Tls13.Connected").</summary>
    private string StateName
    {
        get
        {
            string side = IsServer ? "Server" : "Client";
            string name = _state.Name;
            return name.StartsWith(side + ".", StringComparison.Ordinal) ? name : $"{side}.{name}";
        }
    }

    private TlsFailure RecordFailure(AlertDescription alert, bool generated, string reason, FailureEnding ending = FailureEnding.Alert)
    {
        var failure = new TlsFailure(alert, generated, StateName, reason, Info.Binding) { Ending = ending };
        if (Logger is { } log) TlsLog.Failure(log, failure);
        return failure;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _output.Dispose();
        _applicationData.Dispose();
        Records.Dispose();
        (_state as IDisposable)?.Dispose();
        Session?.Dispose();
        Info.ReleaseParsedCertificates(); // a handshake that failed after parsing the peer's chain: its objects are freed now
    }
}
