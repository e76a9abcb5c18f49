using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server.Tls12;

/// <summary>
/// The server's answer to a ClientHello at TLS 1.2 or a legacy version (RFC 5246 §7.3; RFC 4346, RFC 2246 and
/// RFC 6101 for TLS 1.1, 1.0 and SSL 3.0, which only a switch enables): the checks every handshake makes, then
/// resumption of the offered session (RFC 5077 ticket; the abbreviated handshake, <see cref="AbbreviatedHandshake"/>)
/// or a full handshake (<see cref="FullHandshake"/>).
/// </summary>
internal static class ServerHelloFlight
{
    public static HandshakeState Start(TlsConnection connection, TlsServerPolicy options, ClientHello hello, ProtocolVersion version)
    {
        if (!hello.CompressionMethods.Contains(CompressionMethod.Null))
            throw TlsProtocolException.Illegal("compression_methods: the client does not offer the null method");
        if (hello.Extensions.Find<EcPointFormatsExtension>() is { } formats && !formats.Formats.Contains(EcPointFormat.Uncompressed))
            throw TlsProtocolException.Illegal("ec_point_formats does not list uncompressed (RFC 8422 §5.1.2)");
        // SSL 3.0 has no extensions (RFC 6101): whatever a client sent, the answer carries none, so nothing they negotiate applies.
        bool ssl3 = version == ProtocolVersion.Ssl3;
        var ticket = ssl3 ? null : hello.Extensions.Find<SessionTicketExtension>();
        var context = new Tls12ServerContext(options, hello, version,
            SecureRenegotiation: Tls12Negotiation.CheckRenegotiationInfo(hello, connection.Session),
            ExtendedMasterSecret: !ssl3 && options.ExtendedMasterSecret && hello.Extensions.Find<ExtendedMasterSecretExtension>() is not null,
            EncryptThenMacOffered: !ssl3 && hello.Extensions.Find<EncryptThenMacExtension>() is not null,
            IssueTicket: options.EnableSessionTickets && ticket is not null,
            // RFC 9113 §9.2: HTTP/2 over TLS needs TLS 1.2 or later, so h2 is never chosen below it (a browser or curl
            // offering h2 and http/1.1 at TLS 1.0 gets http/1.1; Kestrel would close an h2 connection there).
            Alpn: ssl3 ? null : ServerChoices.ChooseAlpn(options.ApplicationProtocols, hello, http2Allowed: version >= ProtocolVersion.Tls12))
        {
            RenegotiatedConnection = connection.Session is { } previous ? SharpTls.Handshake.Tls12.Renegotiation.ServerRenegotiationInfo(previous) : [],
        };
        connection.Records.Version = version;
        connection.Records.RecordVersion = (ushort)version;
        // A renegotiation is a full handshake without session ID (no pause for the cache while data flows).
        if (connection.Session is not null) return FullHandshake.Start(connection, context);
        connection.Info.Version = version;
        if (!ssl3) context.RecordSize = ServerChoices.NegotiateRecordSize(connection, hello, tls13: false);

        if (context.IssueTicket && ticket!.Ticket.Length > 0 && Resumable(connection, context, ticket.Ticket) is { } session)
            return AbbreviatedHandshake.Start(connection, context, session);
        // Seed 004's second case: the client names a session ID; the cache (perhaps Redis) is asked, asynchronously.
        if (hello.SessionId.Length > 0 && context.UsesSessionIds(connection))
            return new AwaitSessionLookup(hello.SessionId, (c, found) =>
                found is not null && Resumable(c, context, found) is { } cached
                    ? AbbreviatedHandshake.Start(c, context, cached)
                    : FullHandshake.Start(c, context));
        return FullHandshake.Start(connection, context);
    }

    /// <summary>
    /// The sealed session (a ticket, or a session-cache entry) when it may be resumed here (RFC 5246 §7.4.1.2, RFC 7627 §5.3, RFC 6066 §3):
    /// ours and unexpired, same version, a suite the client offers and we enable, same SNI, the extended
    /// master secret in both, and a client-certificate verdict this policy accepts. Anything else falls
    /// back to a full handshake, silently, as the RFCs ask.
    /// </summary>
    private static Tls12SessionState? Resumable(TlsConnection connection, Tls12ServerContext context, byte[] sealedSession)
    {
        var ring = connection.Listener!.TicketKeys;
        if (ring.Open(sealedSession) is not { } plain) return null;
        var state = Tls12SessionState.Decode(plain);
        if (state is null || !state.IsValidAt(connection.Time.GetUtcNow())) return null;
        if (state.Version != context.Version || !context.Hello.CipherSuites.Contains(state.CipherSuite)) return null;
        if (!context.EnabledSuites.Contains((CipherSuite)state.CipherSuite)) return null;
        if (!string.Equals(state.ServerName, connection.Info.ServerName, StringComparison.Ordinal)) return null;
        // RFC 7627 §5.3: resume only sessions with the extended master secret, and only when the client offers it again.
        // SSL 3.0 cannot carry the extension: its sessions resume without it (the switch that allows SSL 3.0 accepts that).
        if (!context.SessionsNeedNoExtendedMasterSecret && (!state.ExtendedMasterSecret || !context.ExtendedMasterSecret)) return null;
        if (!ClientAuthAllowsResumption(context, state)) return null;
        return state;
    }

    /// <summary>
    /// A session resumes under a policy only if a policy with the same fingerprint judged its client certificate
    /// (mode, trusted issuers, revocation, binding, server certificates), and, where a certificate is required, only a verified one
    /// (issue 7 item 1; Go and rustls refuse such resumption the same way).
    /// </summary>
    private static bool ClientAuthAllowsResumption(Tls12ServerContext context, Tls12SessionState state)
        => state.PolicyFingerprint.AsSpan().SequenceEqual(context.Options.ClientAuthFingerprint)
            && (context.Options.ClientCertificateMode != ClientCertificateMode.Required || state.ClientCertificateStatus == ClientCertificateStatus.Verified);
}

/// <summary>The facts of one TLS 1.2 server handshake that its states share.</summary>
internal sealed record Tls12ServerContext(TlsServerPolicy Options, ClientHello Hello, ProtocolVersion Version, bool SecureRenegotiation,
    bool ExtendedMasterSecret, bool EncryptThenMacOffered, bool IssueTicket, string? Alpn)
{
    /// <summary>Our enabled suites, in our order; 3DES and DHE_DSS only at a legacy version (TLS 1.1 and older).</summary>
    public IReadOnlyList<CipherSuite> EnabledSuites { get; } = Tls12Suites.Enabled(Options.CipherSuites is { } s ? [.. s] : null,
        Tls12Suites.ServerOrder, Tls12Suites.LegacyOnly, rsaKeyExchange: Options.AllowRsaKeyExchange, legacy: Version < ProtocolVersion.Tls12);

    /// <summary>SSL 3.0: no extension can carry the extended master secret, so its sessions are cached and resumed without it.</summary>
    public bool SessionsNeedNoExtendedMasterSecret => Version == ProtocolVersion.Ssl3;

    /// <summary>The answer to max_fragment_length or record_size_limit (RFC 6066 §4, RFC 8449), on full and abbreviated handshakes.</summary>
    public Messages.Extensions.TlsExtension? RecordSize { get; set; }

    /// <summary>The session ID given in a full handshake's ServerHello (empty: this session is not cached by ID).</summary>
    public byte[] SessionId { get; set; } = [];

    /// <summary>Whether sessions are cached by ID here: the policy allows it and the listener has a cache (not in a renegotiation).</summary>
    public bool UsesSessionIds(TlsConnection connection) => Options.EnableSessionIds && connection.Listener?.SessionCache is not null && connection.Session is null;

    /// <summary>What the ServerHello's renegotiation_info carries: empty on an initial handshake, both verify_data in a renegotiation.</summary>
    public byte[] RenegotiatedConnection { get; init; } = [];

    /// <summary>The lifetime of a session (ticket or cache entry): Schannel's 10 hours.</summary>
    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(10);

    /// <summary>The ServerHello extensions every TLS 1.2 answer carries (RFC 5746, RFC 7627, RFC 7301, RFC 5077, RFC 7366).</summary>
    public ExtensionList ServerHelloExtensions(CipherSuiteInfo suite, bool full)
    {
        var extensions = new ExtensionList();
        if (SecureRenegotiation) extensions.Add(new RenegotiationInfoExtension(RenegotiatedConnection));
        // RFC 6101 has no extensions; RFC 5746 §4.5 still has a server answer an SSL 3.0 client's SCSV with
        // renegotiation_info (such a client MUST accept it), so that and nothing else.
        if (Version == ProtocolVersion.Ssl3) return extensions;
        if (ExtendedMasterSecret) extensions.Add(new ExtendedMasterSecretExtension());
        if (EncryptThenMacOffered && suite.Mode == BulkCipherMode.Cbc) extensions.Add(new EncryptThenMacExtension());
        // RFC 6066 §3: an empty server_name acknowledges SNI on a full handshake (seed 001's trace), never on resumption.
        if (full && Hello.Extensions.Find<ServerNameExtension>() is not null) extensions.Add(new ServerNameExtension());
        if (full && Hello.Extensions.Find<EcPointFormatsExtension>() is not null && MessageContext.KindOf(suite.KeyExchange) == KeyExchangeKind.Ecdhe)
            extensions.Add(new EcPointFormatsExtension([EcPointFormat.Uncompressed]));
        if (Alpn is not null) extensions.Add(new AlpnExtension([System.Text.Encoding.ASCII.GetBytes(Alpn)]));
        if (IssueTicket) extensions.Add(new SessionTicketExtension());
        if (RecordSize is not null) extensions.Add(RecordSize);
        return extensions;
    }

    /// <summary>The session state to seal into a ticket or a cache entry.</summary>
    public Tls12SessionState SessionState(TlsConnection connection, Tls12Secrets secrets)
        => new(Version, (ushort)secrets.Suite.Suite, [.. secrets.MasterSecret!], secrets.ExtendedMasterSecret,
            connection.Time.GetUtcNow().ToUnixTimeMilliseconds(), (uint)SessionLifetime.TotalSeconds, connection.Info.ServerName, Alpn,
            ClientCertificate: Certificates.PeerChain.LeafDer(connection.Info.PeerCertificates),
            connection.Info.ClientCertificateVerdict?.Status ?? ClientCertificateStatus.None, Options.ClientAuthFingerprint);

    /// <summary>The session state sealed by the listener's ticket key ring.</summary>
    public byte[] SealedSession(TlsConnection connection, Tls12Secrets secrets)
    {
        byte[] plain = SessionState(connection, secrets).Encode();
        try
        {
            return connection.Listener!.TicketKeys.Seal(plain, connection.Crypto.Fill);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>
    /// Sends a NewSessionTicket (RFC 5077 §3.3) with the sealed session, when the client asked for tickets. A sealed session
    /// longer than <see cref="PeerLimits.MaxTicketLength"/> (a client certificate of ~16 KB, which the state carries) is a
    /// ticket no client of ours would take and the limit our server puts on tickets it is offered: the message then carries
    /// an empty ticket, RFC 5077 §3.3's way of not issuing one after acknowledging session_ticket in ServerHello.
    /// </summary>
    public void SendTicket(TlsConnection connection, Tls12Secrets secrets)
    {
        if (!IssueTicket) return;
        byte[] ticket = SealedSession(connection, secrets);
        if (ticket.Length > PeerLimits.MaxTicketLength) ticket = [];
        connection.SendHandshake(new NewSessionTicket { Lifetime = ticket.Length == 0 ? 0 : (uint)SessionLifetime.TotalSeconds, Ticket = ticket }, secrets.Transcript);
    }
}
