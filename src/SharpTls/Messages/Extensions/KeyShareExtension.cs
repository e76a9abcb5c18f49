using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>One key share: a group and its public value (or KEM encapsulation key / ciphertext).</summary>
internal sealed record KeyShareEntry(NamedGroup Group, byte[] KeyExchange);

/// <summary>
/// key_share (RFC 8446 §4.2.8). ClientHello: the client's shares (two for one group is
/// illegal_parameter); ServerHello: the server's share; HelloRetryRequest: the group wanted.
/// <code>
/// struct { NamedGroup group; opaque key_exchange&lt;1..2^16-1&gt;; } KeyShareEntry;
/// struct { KeyShareEntry client_shares&lt;0..2^16-1&gt;; } KeyShareClientHello;
/// struct { NamedGroup selected_group; } KeyShareHelloRetryRequest;
/// struct { KeyShareEntry server_share; } KeyShareServerHello;
/// </code>
/// </summary>
internal sealed class KeyShareExtension : TlsExtension
{
    public override ExtensionType Type => ExtensionType.KeyShare;

    /// <summary>ClientHello form (may be empty: the client asks for a HelloRetryRequest).</summary>
    public IReadOnlyList<KeyShareEntry> ClientShares { get; init; } = [];

    /// <summary>ServerHello form.</summary>
    public KeyShareEntry? ServerShare { get; init; }

    /// <summary>HelloRetryRequest form.</summary>
    public NamedGroup? SelectedGroup { get; init; }

    public override void WriteData(TlsWriter w)
    {
        if (SelectedGroup is { } g)
            w.WriteUInt16((ushort)g);
        else if (ServerShare is { } s)
            WriteEntry(w, s);
        else
        {
            var mark = w.BeginVector(2);
            foreach (var e in ClientShares) WriteEntry(w, e);
            w.EndVector(mark);
        }
    }

    private static void WriteEntry(TlsWriter w, KeyShareEntry e)
    {
        w.WriteUInt16((ushort)e.Group);
        w.WriteVector(2, e.KeyExchange, 1);
    }

    private static KeyShareEntry ReadEntry(ref TlsReader r)
    {
        var group = (NamedGroup)r.ReadUInt16("KeyShareEntry.group");
        return new KeyShareEntry(group, r.ReadVector16("key_exchange", 1).ToArray());
    }

    internal static KeyShareExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        switch (ctx)
        {
            case ExtensionContext.HelloRetryRequest:
                return new KeyShareExtension { SelectedGroup = (NamedGroup)r.ReadUInt16("selected_group") };
            case ExtensionContext.ServerHello:
                return new KeyShareExtension { ServerShare = ReadEntry(ref r) };
        }
        var list = r.ReadVector16Reader("client_shares");
        var shares = new List<KeyShareEntry>(2);
        while (!list.IsEmpty)
        {
            var e = ReadEntry(ref list);
            foreach (var s in shares) // a loop: no closure, delegate or enumerator per share (issue 11)
                if (s.Group == e.Group)
                    throw TlsProtocolException.Illegal($"client_shares: two shares for {NamedGroups.Name(e.Group)}");
            shares.Add(e);
        }
        return new KeyShareExtension { ClientShares = shares };
    }
}
