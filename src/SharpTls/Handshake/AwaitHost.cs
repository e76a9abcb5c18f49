using SharpTls.Wire;

namespace SharpTls.Handshake;

/// <summary>
/// A pause for the host (rustls' ChooseConfig, generalised): the connection reports
/// <see cref="TlsStatus.WaitingForHost"/> with <see cref="Request"/>, holds back every record that
/// arrives meanwhile, and continues with the host's answer.
/// </summary>
internal abstract class AwaitHost : HandshakeState
{
    /// <summary>What the host is asked.</summary>
    public abstract TlsHostRequest Request { get; }

    /// <summary>Continues the handshake with the host's answer (its type is the request's).</summary>
    public abstract HandshakeState Continue(TlsConnection connection, object? answer);

    /// <summary>Never called: the record layer holds records back while the host decides.</summary>
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, "nothing (waiting for the host)");
}

/// <summary>A pause for a TLS 1.2 session lookup: continues with the stored session, or null.</summary>
internal sealed class AwaitSessionLookup(ReadOnlyMemory<byte> sessionId, Func<TlsConnection, byte[]?, HandshakeState> next) : AwaitHost
{
    public override TlsHostRequest Request { get; } = new SessionLookupRequest(sessionId);

    public override HandshakeState Continue(TlsConnection connection, object? answer) => next(connection, answer as byte[]);
}

/// <summary>A pause while a TLS 1.2 session is stored: continues when the host says it is done.</summary>
internal sealed class AwaitSessionStore(SessionStoreRequest request, Func<TlsConnection, HandshakeState> next) : AwaitHost
{
    public override TlsHostRequest Request => request;

    public override HandshakeState Continue(TlsConnection connection, object? answer) => next(connection);
}
