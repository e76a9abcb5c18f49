namespace SharpTls;

/// <summary>
/// What a server connection waits for while its status is <see cref="TlsStatus.WaitingForHost"/>: a
/// decision or a lookup only the host can make, possibly asynchronously (a binding table, a Redis session
/// cache). Answer it with the matching method of <see cref="TlsConnection"/>, or let
/// <see cref="TlsConnection.AnswerHostRequestAsync"/> answer from the listener's hook and cache.
/// Records that arrive meanwhile are kept and processed, in order, after the answer.
/// </summary>
public abstract class TlsHostRequest
{
    private protected TlsHostRequest() { }
}

/// <summary>Choose the policy (binding) for this connection: answer with <see cref="TlsConnection.ChoosePolicy"/>.</summary>
public sealed class ChoosePolicyRequest : TlsHostRequest
{
    internal ChoosePolicyRequest(ClientHelloInfo clientHello) => ClientHello = clientHello;

    /// <summary>What the client offered.</summary>
    public ClientHelloInfo ClientHello { get; }
}

/// <summary>Look up a TLS 1.2 session by its ID: answer with <see cref="TlsConnection.CompleteSessionLookup"/>.</summary>
public sealed class SessionLookupRequest : TlsHostRequest
{
    internal SessionLookupRequest(ReadOnlyMemory<byte> sessionId) => SessionId = sessionId;

    /// <summary>The session ID the client asks to resume.</summary>
    public ReadOnlyMemory<byte> SessionId { get; }
}

/// <summary>Store a TLS 1.2 session under its ID: answer with <see cref="TlsConnection.CompleteSessionStore"/>.</summary>
public sealed class SessionStoreRequest : TlsHostRequest
{
    internal SessionStoreRequest(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> session, TimeSpan lifetime)
    {
        SessionId = sessionId;
        Session = session;
        Lifetime = lifetime;
    }

    /// <summary>The new session's ID.</summary>
    public ReadOnlyMemory<byte> SessionId { get; }

    /// <summary>The session, sealed by the listener's ticket key ring: opaque to the cache.</summary>
    public ReadOnlyMemory<byte> Session { get; }

    /// <summary>How long it may be resumed.</summary>
    public TimeSpan Lifetime { get; }
}
