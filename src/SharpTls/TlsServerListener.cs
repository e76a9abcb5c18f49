using Microsoft.Extensions.Logging;
using SharpTls.Diagnostics;

namespace SharpTls;

/// <summary>
/// The services of one listening endpoint, created once and shared by every connection it accepts and
/// every policy (binding) that serves them: crypto provider, clock, key log, trace, logger, the ticket key
/// ring and the session cache. The selection hook chooses a <see cref="TlsServerPolicy"/> per connection but
/// cannot replace these, so a binding-table swap keeps resumption working and every binding signs through
/// the same provider.
/// </summary>
public sealed class TlsServerListener
{
    private int _keyLogWarned;
    private ConnectionServices? _services;

    /// <summary>Creates a listener; every service has a default.</summary>
    public TlsServerListener()
    {
        TicketKeys = new Sessions.TicketKeyRing(Time);
    }

    /// <summary>The source of randomness and the crypto primitives.</summary>
    public Crypto.ICryptoProvider Crypto { get; init; } = SharpTls.Crypto.CryptoProviders.Default;

    /// <summary>The clock (certificate validity, ticket ages, session lifetimes).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Where secrets are logged for Wireshark; null (the default) for nowhere.</summary>
    public IKeyLog? KeyLog { get; init; }

    /// <summary>Sees every handshake message sent and received, decrypted.</summary>
    public IHandshakeTrace? Trace { get; init; }

    /// <summary>Events (Schannel-style ids, see <see cref="TlsEvents"/>).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The ticket keys shared by every policy: share one ring among servers that resume each other's sessions.</summary>
    public Sessions.TicketKeyRing TicketKeys { get; init; }

    /// <summary>The TLS 1.2 session-ID cache; null for none.</summary>
    public Sessions.ITlsSessionCache? SessionCache { get; init; }

    /// <summary>How long a handshake may take before <see cref="IO.TlsStream"/> abandons it.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The cap on handshakes in progress at once through <see cref="IO.TlsStream"/> on this listener (20,000 by default,
    /// as the host's); null for none. When it is full, the oldest handshake in progress is closed to make room for the
    /// new connection, with event 36894 (<see cref="TlsEvents.HandshakeLimitReached"/>) once per burst.
    /// </summary>
    public TlsHandshakeLimit? HandshakeLimit { get; init; } = new(TlsServerOptions.DefaultMaxConcurrentHandshakes);

    /// <summary>The policy used when there is no <see cref="SelectPolicy"/> hook.</summary>
    public TlsServerPolicy? DefaultPolicy { get; init; }

    /// <summary>
    /// The selection hook, after ClientHello: the policy for this connection. Null refuses the handshake with
    /// handshake_failure; a <see cref="Wire.TlsProtocolException"/> becomes its alert; any other exception
    /// becomes internal_error and an event naming the hook's failure.
    /// </summary>
    public Func<ClientHelloInfo, CancellationToken, ValueTask<TlsServerPolicy?>>? SelectPolicy { get; init; }

    /// <summary>The listener services of <paramref name="options"/>, with its policy as the default (a snapshot: later
    /// changes to the options are not seen). When the options name no ticket key ring, one is made and kept in them.</summary>
    public static TlsServerListener FromOptions(TlsServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        // The ring made for these options stays in them, so every listener made from them resumes the others' sessions.
        lock (options)
            options.TicketKeys ??= new Sessions.TicketKeyRing(options.Time);
        return new TlsServerListener
        {
            Crypto = options.Crypto ?? SharpTls.Crypto.CryptoProviders.Default,
            Time = options.Time,
            KeyLog = options.KeyLog,
            Trace = options.Trace,
            Logger = options.Logger,
            TicketKeys = options.TicketKeys,
            SessionCache = options.SessionCache,
            HandshakeTimeout = options.HandshakeTimeout,
            HandshakeLimit = options.MaxConcurrentHandshakes > 0 ? new TlsHandshakeLimit(options.MaxConcurrentHandshakes) : null,
            DefaultPolicy = new TlsServerPolicy(options),
            SelectPolicy = options.SelectPolicy,
        };
    }

    /// <summary>Reports that <see cref="HandshakeLimit"/> is full and closes the oldest handshakes to make room (once per burst).</summary>
    internal void ReportHandshakeLimit(System.Net.IPEndPoint? remote, System.Net.IPEndPoint? local)
    {
        if (Logger is null || HandshakeLimit is not { } limit) return;
        Logger.LogWarning(TlsEvents.HandshakeLimitReached,
            "{Limit} TLS handshakes are in progress, the limit: the oldest are closed to make room for new connections until there is room again (a flood of stalled handshakes?). Newest: remote {Remote}, local {Local}; {Evicted} closed since start",
            limit.Limit, remote, local, limit.Evicted);
    }

    /// <summary>The services every connection of this listener uses: one object for all of them (its properties are init-only).</summary>
    internal ConnectionServices ConnectionServices => _services ??= new(Crypto, Time, KeyLog, Trace, Logger);

    /// <summary>Warns once per listener that secrets are being written out.</summary>
    internal void WarnIfKeyLogging()
    {
        if (KeyLog is null || Logger is null || Interlocked.Exchange(ref _keyLogWarned, 1) != 0) return;
        Logger.LogWarning(TlsEvents.KeyLogEnabled, "TLS key logging is on: session secrets are written to {KeyLog}; anyone who reads it can decrypt this server's traffic", KeyLog);
    }
}
