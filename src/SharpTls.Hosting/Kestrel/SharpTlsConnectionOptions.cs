namespace SharpTls.Hosting;

/// <summary>The answer of the selection hook: the policy for one connection, and why it was chosen.</summary>
/// <param name="Policy">The per-binding policy (certificates, versions, ALPN, client certificates); built once per binding, shared by its connections.</param>
/// <param name="Reason">Why this binding matched, for the demo page and diagnostics ("SNI www.contoso.test matched hostnameport=… exactly").</param>
public sealed record TlsSelection(TlsServerPolicy Policy, string? Reason = null)
{
    /// <summary>Log this connection's successful handshake too (event 36880 on <c>SharpTls.Hosting</c>): netsh's <c>logextendedevents</c>.</summary>
    public bool LogExtendedEvents { get; init; }

    /// <summary>The binding's HTTP/2 SETTINGS limits (HTTP.sys' extended property 1), enforced on h2 connections; null: none.</summary>
    public Bindings.Http2SettingsLimits? Http2SettingsLimits { get; init; }
}

/// <summary>
/// Settings of the SharpTls connection middleware (the counterpart of Kestrel's
/// <c>HttpsConnectionAdapterOptions</c>). One instance serves every connection of the endpoints it is
/// given to: its <see cref="ServerOptions"/> carry the services shared by all bindings (crypto, ticket
/// keys, logging), and <see cref="Select"/> chooses the binding of each connection after ClientHello.
/// </summary>
public sealed class SharpTlsConnectionOptions
{
    /// <summary>The server's services and its default policy (the certificates used when there is no hook or it returns null).</summary>
    public TlsServerOptions ServerOptions { get; set; } = new();

    /// <summary>
    /// The selection hook, called after ClientHello with the SNI name, the local endpoint, ALPN and versions:
    /// the binding table plugs in here. Null serves <see cref="ServerOptions"/> when it has certificates, and
    /// refuses the handshake otherwise (unrecognized_name, or handshake_failure without SNI) with event 36886.
    /// A thrown <see cref="Wire.TlsProtocolException"/> becomes its alert; any other exception internal_error.
    /// </summary>
    public Func<ClientHelloInfo, CancellationToken, ValueTask<TlsSelection?>>? Select { get; set; }

    /// <summary>A simpler form of <see cref="Select"/> for hooks that only return a policy.</summary>
    public Func<ClientHelloInfo, CancellationToken, ValueTask<TlsServerPolicy?>>? SelectPolicy
    {
        set => Select = value is null ? null : async (hello, ct) => await value(hello, ct).ConfigureAwait(false) is { } p ? new TlsSelection(p) : null;
    }

    /// <summary>How long a handshake may take (Kestrel's default: 10 s). The connection is closed after it.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Handshakes allowed at once on the endpoints using these options (read when the endpoint starts). When it is full,
    /// the oldest handshake in progress is closed to make room for the new connection, with event 36894 once per burst,
    /// so a flood of stalled handshakes costs bounded memory and real clients are still served. The engine's
    /// <see cref="TlsHandshakeLimit"/>, as <c>sharptls listen</c> applies it.
    /// </summary>
    public int MaxConcurrentHandshakes { get; set; } = TlsServerOptions.DefaultMaxConcurrentHandshakes;
}
