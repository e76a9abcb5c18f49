using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>
/// session_ticket (RFC 5077 §3.2): the opaque ticket in ClientHello (possibly empty: "I
/// support tickets"); always empty in ServerHello (a non-empty one is a decode_error).
/// <code>struct { opaque ticket&lt;0..2^16-1&gt;; } SessionTicket; (the whole extension_data)</code>
/// </summary>
internal sealed class SessionTicketExtension : TlsExtension
{
    public override ExtensionType Type => ExtensionType.SessionTicket;

    public byte[] Ticket { get; init; } = [];

    public override void WriteData(TlsWriter w) => w.WriteBytes(Ticket);

    internal static SessionTicketExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        var data = r.ReadBytes(r.Remaining, "session_ticket").ToArray();
        if (ctx == ExtensionContext.ServerHello && data.Length != 0)
            throw TlsProtocolException.Decode("session_ticket: must be empty in ServerHello");
        // The same limit as on a TLS 1.3 PSK identity and on the tickets our client takes; our server issues none longer.
        PeerLimits.CheckTicket(data.Length, "session_ticket: a ticket");
        return new SessionTicketExtension { Ticket = data };
    }
}
