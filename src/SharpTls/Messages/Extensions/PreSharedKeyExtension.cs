using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>A PSK identity offered in ClientHello.</summary>
internal sealed record PskIdentity(byte[] Identity, uint ObfuscatedTicketAge);

/// <summary>
/// pre_shared_key (RFC 8446 §4.2.11). ClientHello: the offered identities and binders (it must
/// be the last extension; <see cref="ExtensionList"/> checks that). ServerHello: the selected index.
/// <code>
/// struct { opaque identity&lt;1..2^16-1&gt;; uint32 obfuscated_ticket_age; } PskIdentity;
/// opaque PskBinderEntry&lt;32..255&gt;;
/// struct {
///     PskIdentity identities&lt;7..2^16-1&gt;;
///     PskBinderEntry binders&lt;33..2^16-1&gt;;
/// } OfferedPsks;
/// struct {
///     select (Handshake.msg_type) {
///         case client_hello: OfferedPsks;
///         case server_hello: uint16 selected_identity;
///     };
/// } PreSharedKeyExtension;
/// </code>
/// As many binders as identities, or illegal_parameter; more than <see cref="PeerLimits.MaxPskIdentities"/> identities,
/// or one longer than <see cref="PeerLimits.MaxTicketLength"/>, are illegal_parameter too (docs/limits.md).
/// </summary>
internal sealed class PreSharedKeyExtension : TlsExtension
{
    public override ExtensionType Type => ExtensionType.PreSharedKey;

    /// <summary>ClientHello: the identities offered.</summary>
    public IReadOnlyList<PskIdentity> Identities { get; init; } = [];

    /// <summary>ClientHello: one binder per identity.</summary>
    public IReadOnlyList<byte[]> Binders { get; init; } = [];

    /// <summary>ServerHello: the index of the identity chosen.</summary>
    public ushort? SelectedIdentity { get; init; }

    /// <summary>Size of the encoded binders vector including its 2-byte length: the tail the binder hash leaves out (RFC 8446 §4.2.11.2).</summary>
    public int BindersLength => 2 + Binders.Sum(b => 1 + b.Length);

    public override void WriteData(TlsWriter w)
    {
        if (SelectedIdentity is { } selected)
        {
            w.WriteUInt16(selected);
            return;
        }
        var mark = w.BeginVector(2);
        foreach (var id in Identities)
        {
            w.WriteVector(2, id.Identity, 1);
            w.WriteUInt32(id.ObfuscatedTicketAge);
        }
        w.EndVector(mark, 7);
        WireLists.WriteOpaques(w, Binders, 2, 33, 0xFFFF, 1, 32, 0xFF);
    }

    internal static PreSharedKeyExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        if (ctx == ExtensionContext.ServerHello)
            return new PreSharedKeyExtension { SelectedIdentity = r.ReadUInt16("selected_identity") };
        var list = r.ReadVector16Reader("identities", 7);
        var ids = new List<PskIdentity>();
        while (!list.IsEmpty)
        {
            if (ids.Count == PeerLimits.MaxPskIdentities)
                throw TlsProtocolException.Illegal($"pre_shared_key: {ids.Count + CountRest(ref list)} identities; at most {PeerLimits.MaxPskIdentities} are accepted");
            var identityBytes = list.ReadVector16("PskIdentity.identity", 1);
            PeerLimits.CheckTicket(identityBytes.Length, "pre_shared_key: a PskIdentity.identity");
            var identity = identityBytes.ToArray();
            ids.Add(new PskIdentity(identity, list.ReadUInt32("obfuscated_ticket_age")));
        }
        var binders = WireLists.ReadOpaques(ref r, "binders", 2, 33, 0xFFFF, "PskBinderEntry", 1, 32, 0xFF);
        if (binders.Length != ids.Count)
            throw TlsProtocolException.Illegal($"pre_shared_key: {ids.Count} identities but {binders.Length} binders");
        return new PreSharedKeyExtension { Identities = ids, Binders = binders };
    }

    /// <summary>How many PskIdentity entries are left in <paramref name="list"/>, read without copying (for the event).</summary>
    private static int CountRest(ref TlsReader list)
    {
        int n = 0;
        for (; !list.IsEmpty; n++)
        {
            list.ReadVector16("PskIdentity.identity", 1);
            list.ReadUInt32("obfuscated_ticket_age");
        }
        return n;
    }
}
