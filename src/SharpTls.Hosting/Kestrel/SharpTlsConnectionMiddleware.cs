using System.Buffers;
using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core.Features;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SharpTls.Hosting.Diagnostics;
using SharpTls.IO;
using SharpTls.Wire;

namespace SharpTls.Hosting.Kestrel;

/// <summary>
/// The connection middleware behind <c>ListenOptions.UseSharpTls</c>, shaped like Kestrel's
/// HttpsConnectionMiddleware: handshake under a timeout (and a limit on handshakes at once), one
/// event per failure, the TLS features Kestrel reads, then the decrypted pipe as the transport.
/// </summary>
internal sealed class SharpTlsConnectionMiddleware
{
    private readonly ConnectionDelegate _next;
    private readonly SharpTlsConnectionOptions _options;
    private readonly TlsServerOptions _server;
    private readonly TlsServerListener _listener;
    private readonly ILogger _logger;
    private readonly SharpTlsMetrics _metrics;
    private readonly TlsHandshakeLimit _handshakes;

    public SharpTlsConnectionMiddleware(ConnectionDelegate next, SharpTlsConnectionOptions options, ILoggerFactory? loggerFactory, SharpTlsMetrics metrics)
    {
        _next = next;
        _options = options;
        _logger = loggerFactory?.CreateLogger("SharpTls.Hosting") ?? NullLogger.Instance;
        _metrics = metrics;
        // The engine's cap (the one TlsStream applies for `sharptls listen`), one per set of endpoints sharing these options.
        _handshakes = new TlsHandshakeLimit(Math.Max(1, options.MaxConcurrentHandshakes));
        _server = options.ServerOptions;
        // The engine logs a failure itself; the host logs it once, with the endpoints and the binding.
        if (_server.Logger is not EngineEventFilter)
            _server.Logger = new EngineEventFilter(_server.Logger ?? loggerFactory?.CreateLogger("SharpTls") ?? NullLogger.Instance);
        // One listener for every binding: crypto, ticket keys, session cache and logger are shared, so resumption
        // survives binding-table swaps; the hook below only chooses the per-binding policy.
        _listener = _server.Listener;
    }

    /// <summary>Answers the engine's pause after ClientHello: the hook chooses the binding of this connection.</summary>
    private async ValueTask ChooseAsync(TlsConnection tls, ConnectionState state, CancellationToken ct)
    {
        if (tls.HostRequest is not ChoosePolicyRequest choose)
        {
            // TLS 1.2 session-ID lookups and stores: the listener's session cache answers (only the handshake loop
            // touches the connection until the pumps start, so no lock is held across the await).
            await tls.AnswerHostRequestAsync(ct).ConfigureAwait(false);
            return;
        }
        var hello = choose.ClientHello;
        state.Hello = hello;
        TlsSelection? selection = null;
        try
        {
            if (_options.Select is { } select) selection = await select(hello, ct).ConfigureAwait(false);
        }
        catch (TlsProtocolException e)
        {
            lock (tls) tls.Abort(e.Alert, e.Reason);
            return;
        }
        if (selection is null)
        {
            if (_listener.DefaultPolicy is not { Certificates.Count: > 0 } fallback)
            {
                var refusal = NoBinding(hello);
                lock (tls) tls.Abort(refusal.Alert, refusal.Reason);
                return;
            }
            selection = new TlsSelection(fallback, "the endpoint's default certificate");
        }
        state.SelectionReason = selection.Reason;
        state.LogExtendedEvents = selection.LogExtendedEvents;
        state.SettingsLimits = selection.Http2SettingsLimits;
        lock (tls) tls.ChoosePolicy(selection.Policy);
    }

    /// <summary>What the middleware learns about one connection during its handshake.</summary>
    private sealed class ConnectionState
    {
        public string? SelectionReason;
        public bool LogExtendedEvents;
        public Bindings.Http2SettingsLimits? SettingsLimits;
        public ClientHelloInfo? Hello;
    }

    /// <summary>The reason of the alert sent when nothing is bound (our own prefix: the event names it 36886).</summary>
    private const string NoBindingReason = "no SSL binding for ";

    private static TlsProtocolException NoBinding(ClientHelloInfo hello)
        => new(hello.ServerName is null ? AlertDescription.HandshakeFailure : AlertDescription.UnrecognizedName,
            $"{NoBindingReason}local endpoint {hello.LocalEndPoint} and name {hello.ServerName ?? "(no SNI)"}");

    public async Task OnConnectionAsync(ConnectionContext context)
    {
        if (context.Features.Get<ITlsConnectionFeature>() != null)
        {
            await _next(context).ConfigureAwait(false);
            return;
        }
        var local = context.LocalEndPoint as IPEndPoint;
        var remote = context.RemoteEndPoint as IPEndPoint;
        // The handshake's objects (engine connection, pipe, state) are made when its first bytes arrive, or when it ends
        // before: a connection that sends nothing holds only the wait below, its timeout and its place under the cap.
        TlsConnection tls = null!;
        TlsDuplexPipe pipe = null!;
        ConnectionState state = null!;
        void Begin()
        {
            if (tls is not null) return;
            tls = TlsConnection.CreateServer(_listener, local, remote);
            pipe = new TlsDuplexPipe(context.Transport, tls, context.Features.Get<IMemoryPoolFeature>()?.MemoryPool ?? MemoryPool<byte>.Shared);
            state = new ConnectionState();
        }
        long start = Stopwatch.GetTimestamp();
        _metrics.HandshakeStarted();
        bool done = false;
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(context.ConnectionClosed);
            timeout.CancelAfter(_options.HandshakeTimeout);
            // Under the cap, the oldest handshake in progress is closed to make room for this one (a flood of stalled
            // handshakes cannot lock real clients out): the engine's TlsHandshakeLimit, as `sharptls listen` uses it.
            using var lease = _handshakes.Enter(timeout);
            if (lease.FirstEvictionOfBurst) HostLog.HandshakeLimitReached(_logger, remote, local, _handshakes.Limit);
            try
            {
                // Wait for data without consuming it (the handshake's first read returns it again).
                var first = await context.Transport.Input.ReadAsync(timeout.Token).ConfigureAwait(false);
                context.Transport.Input.AdvanceTo(first.Buffer.Start);
                Begin();
                await pipe.HandshakeAsync(ct => ChooseAsync(tls, state, ct), timeout.Token).ConfigureAwait(false);
                done = true;
            }
            catch (OperationCanceledException) when (lease.Evicted && !context.ConnectionClosed.IsCancellationRequested)
            {
                Begin();
                _metrics.HandshakeRefused();
            }
            catch (OperationCanceledException) when (!context.ConnectionClosed.IsCancellationRequested)
            {
                Begin();
                // As the engine's own timeout ends a handshake (TlsStream): a user_canceled warning, then close_notify
                // (RFC 8446 §6.1), so the client learns it was given up on rather than seeing the connection vanish.
                lock (pipe.Sync) tls.Abort(AlertDescription.UserCanceled, $"handshake timed out after {_options.HandshakeTimeout.TotalSeconds:0.#} s");
                await pipe.TrySendPendingAsync().ConfigureAwait(false);
                HostLog.HandshakeTimedOut(_logger, _options.HandshakeTimeout.TotalSeconds, StateOf(tls, state), Named(tls.Info.Binding), tls.Info.ServerName, local, remote);
                _metrics.HandshakeFailed(Stopwatch.GetElapsedTime(start), tls.Info.Binding, "timeout");
            }
            catch (OperationCanceledException)
            {
                Begin();
                HostLog.ClosedDuringHandshake(_logger, StateOf(tls, state), Named(tls.Info.Binding), tls.Info.ServerName, local, remote);
                _metrics.HandshakeFailed(Stopwatch.GetElapsedTime(start), tls.Info.Binding, "closed");
            }
            catch (TlsHandshakeException e)
            {
                LogFailure(e.Failure, tls, state.Hello, local, remote);
                _metrics.HandshakeFailed(Stopwatch.GetElapsedTime(start), e.Failure.Binding, e.Failure.Alert == AlertDescription.HandshakeFailure && !e.Failure.Generated && IsClosedWithoutAlert(e.Failure) ? "closed" : Alerts.Name(e.Failure.Alert));
                await pipe.TrySendPendingAsync().ConfigureAwait(false);
            }
            catch (IOException)
            {
                Begin();
                HostLog.ClosedDuringHandshake(_logger, StateOf(tls, state), Named(tls.Info.Binding), tls.Info.ServerName, local, remote);
                _metrics.HandshakeFailed(Stopwatch.GetElapsedTime(start), tls.Info.Binding, "closed");
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Begin();
                // The selection hook failed (a bug or an unreadable binding): internal_error, and the event says why.
                lock (pipe.Sync) tls.Abort(AlertDescription.InternalError, $"the binding lookup failed: {e.GetType().Name}: {e.Message}");
                await pipe.TrySendPendingAsync().ConfigureAwait(false);
                LogFailure(tls.Failure!, tls, state.Hello, local, remote);
                _metrics.HandshakeFailed(Stopwatch.GetElapsedTime(start), tls.Info.Binding, "internal_error");
            }
        }
        if (!done)
        {
            await pipe.DisposeAsync().ConfigureAwait(false);
            return;
        }

        var elapsed = Stopwatch.GetElapsedTime(start);
        _metrics.HandshakeSucceeded(elapsed, tls.Info);
        if (state.LogExtendedEvents) // netsh's logextendedevents: the successful handshakes of this binding too
            HostLog.HandshakeSucceeded(_logger, Named(tls.Info.Binding), tls.Info.ServerName, local, remote, tls.Info.Version, tls.Info.CipherSuite, tls.Info.Group,
                tls.Info.Resumed, tls.Info.ApplicationProtocol, elapsed.TotalMilliseconds, state.SelectionReason);
        var feature = new SharpTlsFeature(tls.Info, state.Hello, local, elapsed, state.SelectionReason) { AskForCertificate = pipe.RequestClientCertificateAsync };
        context.Features.Set<ITlsConnectionFeature>(feature);
        context.Features.Set<ITlsHandshakeFeature>(feature);
        context.Features.Set<ITlsApplicationProtocolFeature>(feature);
        context.Features.Set<ISharpTlsFeature>(feature);

        var original = context.Transport;
        _metrics.ConnectionOpened();
        if (state.SettingsLimits is { } limits && tls.Info.ApplicationProtocol == "h2")
            pipe.SettingsGuard = new Http2SettingsGuard(limits, _listener.Time);
        try
        {
            context.Transport = pipe;
            pipe.Start();
            await _next(context).ConfigureAwait(false);
        }
        finally
        {
            if (pipe.SettingsGuard?.Violation is { } violation)
                HostLog.Http2SettingsLimitExceeded(_logger, violation, Named(tls.Info.Binding), tls.Info.ServerName, local, remote);
            await pipe.DisposeAsync().ConfigureAwait(false);
            context.Transport = original;
            _metrics.ConnectionClosed();
        }
    }

    private static string StateOf(TlsConnection tls, ConnectionState state) => tls.Failure?.InternalState ?? tls.Status switch
    {
        TlsStatus.WaitingForHost => "Server.AwaitPolicy",
        _ when state.Hello is null => "Server.ExpectClientHello",
        _ => "Server.Handshake",
    };

    /// <summary>A reason as the event's sentence: the engine's reasons carry no final period, the message goes on after it.</summary>
    private static string Sentence(string reason) => reason.Length == 0 || reason[^1] is '.' or '!' or '?' ? reason : reason + ".";

    /// <summary>The binding as events name it: before a ClientHello chose one there is none, said the same way everywhere.</summary>
    private static string Named(string? binding) => string.IsNullOrEmpty(binding) ? "(none yet)" : binding;

    private static bool IsClosedWithoutAlert(SharpTls.Diagnostics.TlsFailure f)
        => f.EventId == SharpTls.Diagnostics.TlsEvents.ClosedDuringHandshake;

    /// <summary>Logs one failed handshake as exactly one event, choosing the most specific id.</summary>
    private void LogFailure(SharpTls.Diagnostics.TlsFailure f, TlsConnection tls, ClientHelloInfo? hello, IPEndPoint? local, IPEndPoint? remote)
    {
        string sni = hello?.ServerName ?? tls.Info.ServerName ?? "(none)";
        string versions = hello is null ? "" : string.Join(", ", hello.Versions.Select(ProtocolVersions.Name));
        string suites = hello is null ? "" : string.Join(", ", hello.CipherSuites.Select(CipherSuites.Name));
        int number = (byte)f.Alert;
        string alert = Alerts.Name(f.Alert);
        if (IsClosedWithoutAlert(f))
        {
            HostLog.ClosedDuringHandshake(_logger, f.InternalState, Named(f.Binding), sni, local, remote);
            return;
        }
        if (!f.Generated)
        {
            if (f.Alert is AlertDescription.CertificateExpired or AlertDescription.BadCertificate or AlertDescription.CertificateUnknown
                && tls.Info.LocalCertificate is { } mine && TimeValidity(mine, _listener.Time.GetUtcNow().UtcDateTime) is { } validity)
            {
                HostLog.CertificateNotTimeValid(_logger, Named(f.Binding), number, alert, validity, mine.Subject, mine.Thumbprint,
                    mine.NotBefore.ToUniversalTime(), mine.NotAfter.ToUniversalTime(), sni, local, remote);
                return;
            }
            HostLog.AlertReceived(_logger, number, alert, f.InternalState, Named(f.Binding), sni, local, remote, versions, suites);
            return;
        }
        if (f.Reason.StartsWith(NoBindingReason, StringComparison.Ordinal)
            || f.Alert == AlertDescription.UnrecognizedName && f.InternalState.EndsWith("AwaitPolicy", StringComparison.Ordinal))
        {
            HostLog.NoBinding(_logger, local, hello?.ServerName ?? "(no SNI)", number, alert, Sentence(f.Reason), remote, versions, suites);
            return;
        }
        if (f.EventId == SharpTls.Diagnostics.TlsEvents.NoCipherSuiteInCommon)
        {
            HostLog.NoCipherSuite(_logger, Sentence(f.Reason), f.InternalState, Named(f.Binding), sni, local, remote, versions, suites);
            return;
        }
        if (f.Alert == AlertDescription.ProtocolVersion)
        {
            HostLog.VersionRefused(_logger, Sentence(f.Reason), Named(f.Binding), sni, local, remote, versions, suites);
            return;
        }
        if (f.InternalState.Contains("ExpectCertificate", StringComparison.Ordinal)
            || f.Alert is AlertDescription.CertificateRequired or AlertDescription.UnknownCa or AlertDescription.CertificateRevoked)
        {
            HostLog.ClientCertificateRejected(_logger, number, alert, Sentence(f.Reason), f.InternalState, Named(f.Binding), sni, local, remote);
            return;
        }
        if (f.Alert == AlertDescription.InternalError && f.Reason.StartsWith("cryptographic failure", StringComparison.Ordinal)
            || f.Reason.StartsWith(BindingSelection.CredentialReason, StringComparison.Ordinal))
        {
            HostLog.CredentialError(_logger, Named(f.Binding), Sentence(f.Reason), f.InternalState, sni, local, remote);
            return;
        }
        HostLog.AlertGenerated(_logger, number, alert, f.InternalState, Sentence(f.Reason), Named(f.Binding), sni, local, remote, versions, suites);
    }

    /// <summary>"expired on …" or "is not valid before …", or null while the certificate is within its dates.</summary>
    internal static string? TimeValidity(System.Security.Cryptography.X509Certificates.X509Certificate2 cert, DateTime nowUtc)
        => nowUtc > cert.NotAfter.ToUniversalTime() ? $"expired on {cert.NotAfter.ToUniversalTime():u}"
        : nowUtc < cert.NotBefore.ToUniversalTime() ? $"is not valid before {cert.NotBefore.ToUniversalTime():u}"
        : null;
}

/// <summary>
/// Passes the engine's events through, except its failure events when the host logs them itself: the middleware
/// logs each failed handshake once, with the context only the host has (endpoints, binding, what the client offered).
/// Two per-connection events are lowered to Debug, as Kestrel logs its own connection events: 36880
/// (handshake completed: the metrics count them) and 36999 (closed without close_notify: HTTP frames its
/// own messages, so browsers and curl routinely close that way and the HTTP layer sees any truncation).
/// <c>sharptls listen</c> uses it too (with the failures passed through), so that its default logging writes
/// nothing per successful connection (issue 11: events must be cheap).
/// </summary>
internal sealed class EngineEventFilter(ILogger inner, bool failuresLoggedByHost = true) : ILogger
{
    private static bool IsFailure(EventId id) => id.Id is 36887 or 36888 or 36874 or 36870 or 36892 or 36893;

    private static bool IsPerConnection(EventId id) => id.Id is 36880 or 36999;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

    public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (failuresLoggedByHost && IsFailure(eventId)) return;
        if (IsPerConnection(eventId)) logLevel = LogLevel.Debug;
        if (inner.IsEnabled(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
    }
}
