using SharpTls.Handshake.Tls12;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>What the client's ClientHello carries for TLS 1.2: its suites and the session it offers to resume.</summary>
internal static class Tls12Start
{
    /// <summary>
    /// The TLS 1.2-and-older suites we offer: the configured ones we implement, or only forward-secret ones by default; the
    /// legacy-only ones (3DES, DHE_DSS) when a legacy version is enabled; only suites some offered version can use.
    /// </summary>
    public static IReadOnlyList<CipherSuite> Suites(TlsClientOptions options)
    {
        var versions = VersionSwitches.Enabled(options.Versions).Where(v => v <= ProtocolVersion.Tls12).ToList();
        bool legacy = versions.Any(v => v < ProtocolVersion.Tls12);
        var enabled = Tls12Suites.Enabled(options.CipherSuites is { } list ? [.. list] : null, Tls12Suites.ClientDefault,
            Tls12Suites.LegacyClientDefault, rsaKeyExchange: true, legacy);
        return [.. enabled.Where(s => versions.Any(v => Tls12Suites.AllowedIn(s, v)))];
    }

    /// <summary>
    /// The stored session for this server, when it can be resumed with what we offer now (its suite, the
    /// extended master secret), or null.
    /// </summary>
    public static Tls12ClientSession? SessionToOffer(TlsConnection connection, TlsClientOptions options, IReadOnlyList<CipherSuite> suites)
    {
        var session = options.SessionStore?.FindTls12(SharpTls.Handshake.Tls13.Connected.SessionKey(options), connection.Time.GetUtcNow());
        if (session is null || !suites.Contains(session.CipherSuite) || !VersionSwitches.IsEnabled(options.Versions, session.Version)) return null;
        // RFC 7627 §5.3: only sessions with the extended master secret resume, except SSL 3.0's, which cannot have it.
        if (session.Version != ProtocolVersion.Ssl3 && (!options.ExtendedMasterSecret || !session.ExtendedMasterSecret)) return null;
        return session.Ticket is not null || session.SessionId.Length > 0 ? session : null;
    }
}
