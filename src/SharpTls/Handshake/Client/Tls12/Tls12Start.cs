using SharpTls.Handshake.Tls12;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>What the client's ClientHello carries for TLS 1.2: its suites and the session it offers to resume.</summary>
internal static class Tls12Start
{
    /// <summary>The TLS 1.2 suites we offer: the configured ones we implement, or only forward-secret ones by default.</summary>
    public static IReadOnlyList<CipherSuite> Suites(TlsClientOptions options)
        => Tls12Suites.Enabled(options.CipherSuites is { } list ? [.. list] : null, Tls12Suites.ClientDefault, rsaKeyExchange: true, legacy: false);

    /// <summary>
    /// The stored session for this server, when it can be resumed with what we offer now (its suite, the
    /// extended master secret), or null.
    /// </summary>
    public static Tls12ClientSession? SessionToOffer(TlsConnection connection, TlsClientOptions options, IReadOnlyList<CipherSuite> suites)
    {
        var session = options.SessionStore?.FindTls12(SharpTls.Handshake.Tls13.Connected.SessionKey(options), connection.Time.GetUtcNow());
        if (session is null || !options.ExtendedMasterSecret || !suites.Contains(session.CipherSuite)) return null;
        return session.Ticket is not null || session.SessionId.Length > 0 ? session : null;
    }
}
