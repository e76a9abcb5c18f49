using SharpTls.Wire;

namespace SharpTls.Handshake;

/// <summary>
/// One step of a handshake (one sealed class per state, rustls style). A state owns only the
/// data valid at that step; <see cref="Handle"/> consumes one handshake message and returns
/// the next state. States throw <see cref="TlsProtocolException"/>; the connection turns that
/// into the alert, the event and the failed status, in one place.
/// </summary>
internal abstract class HandshakeState
{
    /// <summary>The documented internal state reported in events: "Server.Tls13.ExpectFinished".</summary>
    public string Name => GetType().FullName!["SharpTls.Handshake.".Length..];

    /// <summary>Handles one complete handshake message (type and full bytes, header included).</summary>
    public abstract HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message);

    /// <summary>True once application data may flow.</summary>
    public virtual bool IsConnected => false;

    /// <summary>Fails with unexpected_message naming what was expected.</summary>
    protected static TlsProtocolException Unexpected(HandshakeType got, string expected)
        => new(AlertDescription.UnexpectedMessage, $"received {got} while expecting {expected}");
}
