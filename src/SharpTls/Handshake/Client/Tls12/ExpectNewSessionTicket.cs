using SharpTls.Handshake.Tls12;
using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Client.Tls12;

/// <summary>
/// The server acknowledged session_ticket in ServerHello, so a NewSessionTicket (RFC 5077 §3.3) comes
/// before its ChangeCipherSpec, in the full and in the abbreviated handshake. An empty ticket means
/// the server will not issue one after all.
/// </summary>
internal sealed class ExpectNewSessionTicket(Tls12ClientContext context, Tls12Secrets secrets, bool resumed) : HandshakeState, IDisposable
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.NewSessionTicket) throw Unexpected(type, "NewSessionTicket");
        var ticket = HandshakeMessage.Decode<NewSessionTicket>(message, MessageContext.Negotiated(secrets.Version, (ushort)secrets.Suite.Suite));
        secrets.Transcript.Add(message.Span);
        byte[]? value = ticket.Ticket.Length > 0 ? ticket.Ticket : null;
        return resumed
            ? new ExpectResumedChangeCipherSpec(context, secrets, value, ticket.Lifetime)
            : new ExpectChangeCipherSpec(context, secrets, value, ticket.Lifetime);
    }

    public void Dispose() => secrets.Dispose();
}
