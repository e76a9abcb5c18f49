using SharpTls.Wire;

namespace SharpTls.Sessions;

/// <summary>A TLS 1.3 ticket a client holds for resumption (RFC 8446 §4.6.1).</summary>
public sealed class ClientTicket
{
    /// <summary>The opaque ticket, sent as the PSK identity.</summary>
    public required byte[] Ticket { get; init; }

    /// <summary>The resumption PSK derived from the resumption master secret and the ticket nonce.</summary>
    public required byte[] Psk { get; init; }

    /// <summary>The suite of the session that issued the ticket (its hash must match on resumption).</summary>
    public required CipherSuite CipherSuite { get; init; }

    /// <summary>Obfuscates the ticket age (added modulo 2^32).</summary>
    public required uint AgeAdd { get; init; }

    /// <summary>Lifetime in seconds from issue.</summary>
    public required uint LifetimeSeconds { get; init; }

    /// <summary>When the client received it.</summary>
    public required DateTimeOffset Received { get; init; }

    /// <summary>The ALPN protocol of the session that issued it.</summary>
    public string? ApplicationProtocol { get; init; }

    /// <summary>The server name of the session that issued it.</summary>
    public string? ServerName { get; init; }

    /// <summary>The server's certificates of the original session (reported on resumption).</summary>
    public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> PeerCertificates { get; init; } = [];
}

/// <summary>
/// A TLS 1.0-1.2 session a client may resume (RFC 5246 §7.3): by its session ID, or by its RFC 5077
/// ticket when the server issued one. Kept by <see cref="ClientSessionStore"/>.
/// </summary>
public sealed class Tls12ClientSession
{
    /// <summary>The version of the session (resumption offers it again).</summary>
    public required ProtocolVersion Version { get; init; }

    /// <summary>The suite of the session; the server must choose it again.</summary>
    public required CipherSuite CipherSuite { get; init; }

    /// <summary>The session ID the server gave (may be empty when the server resumes by ticket only).</summary>
    public required byte[] SessionId { get; init; }

    /// <summary>The server's ticket, or null.</summary>
    public byte[]? Ticket { get; init; }

    /// <summary>The master secret.</summary>
    internal byte[] MasterSecret { get; init; } = [];

    /// <summary>The session used the extended master secret (RFC 7627); we resume no other.</summary>
    public required bool ExtendedMasterSecret { get; init; }

    /// <summary>When the session was made.</summary>
    public required DateTimeOffset Created { get; init; }

    /// <summary>How long we offer it: the ticket's lifetime hint, or the default session lifetime.</summary>
    public required TimeSpan Lifetime { get; init; }

    /// <summary>The server's certificates of the original session (reported on resumption).</summary>
    public IReadOnlyList<System.Security.Cryptography.X509Certificates.X509Certificate2> PeerCertificates { get; init; } = [];
}

/// <summary>
/// Keeps tickets per server name for resumption. Tickets are single use (RFC 8446 §C.4
/// recommends it): taking one removes it. Thread-safe; share one store among connections.
/// </summary>
public sealed class ClientSessionStore
{
    private readonly Dictionary<string, Queue<ClientTicket>> _tickets = new(StringComparer.OrdinalIgnoreCase);
    private readonly int _perServer;

    public ClientSessionStore(int ticketsPerServer = 4) => _perServer = ticketsPerServer;

    /// <summary>Stores a ticket for a server.</summary>
    public void Add(string server, ClientTicket ticket)
    {
        lock (_tickets)
        {
            if (!_tickets.TryGetValue(server, out var q)) _tickets[server] = q = new Queue<ClientTicket>();
            q.Enqueue(ticket);
            while (q.Count > _perServer) q.Dequeue();
        }
    }

    /// <summary>Takes a still-valid ticket for a server (oldest first), or null.</summary>
    public ClientTicket? Take(string server, DateTimeOffset now)
    {
        lock (_tickets)
        {
            if (!_tickets.TryGetValue(server, out var q)) return null;
            while (q.Count > 0)
            {
                var t = q.Dequeue();
                if (now - t.Received < TimeSpan.FromSeconds(t.LifetimeSeconds)) return t;
            }
            return null;
        }
    }

    private readonly Dictionary<string, Tls12ClientSession> _tls12 = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Remembers the latest TLS 1.2 session with a server (it replaces the previous one).</summary>
    public void AddTls12(string server, Tls12ClientSession session)
    {
        lock (_tickets) _tls12[server] = session;
    }

    /// <summary>The TLS 1.2 session to offer a server, or null. Sessions may be resumed many times (RFC 5246 §7.4.1.2).</summary>
    public Tls12ClientSession? FindTls12(string server, DateTimeOffset now)
    {
        lock (_tickets)
        {
            if (!_tls12.TryGetValue(server, out var s)) return null;
            if (now - s.Created < s.Lifetime) return s;
            _tls12.Remove(server);
            return null;
        }
    }

    /// <summary>Forgets the TLS 1.2 session with a server (the server refused it, or it ended with a fatal alert).</summary>
    public void RemoveTls12(string server)
    {
        lock (_tickets) _tls12.Remove(server);
    }

    /// <summary>How many tickets are held for a server.</summary>
    public int Count(string server)
    {
        lock (_tickets) return _tickets.TryGetValue(server, out var q) ? q.Count : 0;
    }
}
