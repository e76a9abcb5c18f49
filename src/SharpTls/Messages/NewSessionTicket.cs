using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Messages;

/// <summary>
/// NewSessionTicket. TLS 1.2 (RFC 5077 §3.3), chosen when <see cref="Nonce"/> is null:
/// <code>
/// struct {
///     uint32 ticket_lifetime_hint;
///     opaque ticket&lt;0..2^16-1&gt;;
/// } NewSessionTicket;
/// </code>
/// TLS 1.3 (RFC 8446 §4.6.1):
/// <code>
/// struct {
///     uint32 ticket_lifetime;
///     uint32 ticket_age_add;
///     opaque ticket_nonce&lt;0..255&gt;;
///     opaque ticket&lt;1..2^16-1&gt;;
///     Extension extensions&lt;0..2^16-2&gt;;
/// } NewSessionTicket;
/// </code>
/// </summary>
internal sealed class NewSessionTicket : HandshakeMessage
{
    public override HandshakeType Type => HandshakeType.NewSessionTicket;

    /// <summary>ticket_lifetime (TLS 1.3) or ticket_lifetime_hint (TLS 1.2), in seconds.</summary>
    public uint Lifetime { get; init; }

    /// <summary>TLS 1.3: ticket_age_add.</summary>
    public uint AgeAdd { get; init; }

    /// <summary>TLS 1.3: ticket_nonce; null selects the TLS 1.2 form.</summary>
    public byte[]? Nonce { get; init; }

    public byte[] Ticket { get; init; } = [];

    /// <summary>TLS 1.3: extensions (early_data).</summary>
    public ExtensionList Extensions { get; init; } = [];

    public bool IsTls13 => Nonce is not null;

    protected override void WriteBody(TlsWriter w)
    {
        w.WriteUInt32(Lifetime);
        if (Nonce is null)
        {
            w.WriteVector(2, Ticket);
            return;
        }
        w.WriteUInt32(AgeAdd);
        w.WriteVector(1, Nonce);
        w.WriteVector(2, Ticket, 1);
        Extensions.Write(w, 0, 0xFFFE);
    }

    internal static NewSessionTicket ReadBody(ref TlsReader r, MessageContext ctx)
    {
        bool tls13 = ctx.RequireVersion(HandshakeType.NewSessionTicket) == ProtocolVersion.Tls13;
        if (!tls13)
        {
            uint hint = r.ReadUInt32("ticket_lifetime_hint");
            var ticket12 = r.ReadVector16("ticket");
            PeerLimits.CheckTicket(ticket12.Length, "NewSessionTicket.ticket");
            return new NewSessionTicket { Lifetime = hint, Ticket = ticket12.ToArray() };
        }
        uint lifetime = r.ReadUInt32("ticket_lifetime");
        uint ageAdd = r.ReadUInt32("ticket_age_add");
        var nonce = r.ReadVector8("ticket_nonce").ToArray();
        var ticketBytes = r.ReadVector16("ticket", 1);
        PeerLimits.CheckTicket(ticketBytes.Length, "NewSessionTicket.ticket");
        var ticket = ticketBytes.ToArray();
        var extensions = ExtensionList.Read(ref r, ExtensionContext.NewSessionTicket, "extensions", 0, 0xFFFE);
        return new NewSessionTicket { Lifetime = lifetime, AgeAdd = ageAdd, Nonce = nonce, Ticket = ticket, Extensions = extensions };
    }
}
