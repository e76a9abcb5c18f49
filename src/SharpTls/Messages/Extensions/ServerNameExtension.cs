using System.Text;
using SharpTls.Wire;

namespace SharpTls.Messages.Extensions;

/// <summary>One entry of a ServerNameList: name_type (0 = host_name) and its bytes.</summary>
internal sealed record ServerName(byte NameType, byte[] Name)
{
    /// <summary>The host name, for name_type host_name (ASCII, RFC 6066 §3).</summary>
    public string? HostName => NameType == 0 ? Encoding.ASCII.GetString(Name) : null;
}

/// <summary>
/// server_name (RFC 6066 §3). In ClientHello a non-empty list; in ServerHello and
/// EncryptedExtensions an empty body acknowledging it (<see cref="Names"/> empty).
/// <code>
/// struct {
///     NameType name_type;
///     select (name_type) { case host_name: HostName; } name;
/// } ServerName;
/// enum { host_name(0), (255) } NameType;
/// opaque HostName&lt;1..2^16-1&gt;;
/// struct { ServerName server_name_list&lt;1..2^16-1&gt; } ServerNameList;
/// </code>
/// Other name types are read with the HostName shape, as every deployed stack does; two
/// names of one type are illegal_parameter ("MUST NOT include more than one name of the same name_type").
/// </summary>
internal sealed class ServerNameExtension : TlsExtension
{
    public ServerNameExtension() { }

    /// <summary>A ClientHello server_name with one host_name.</summary>
    public ServerNameExtension(string hostName) => Names = [new ServerName(0, Encoding.ASCII.GetBytes(hostName))];

    public override ExtensionType Type => ExtensionType.ServerName;

    /// <summary>The names (ClientHello); empty for the server's acknowledgement.</summary>
    public IReadOnlyList<ServerName> Names { get; init; } = [];

    /// <summary>The first host_name, if any.</summary>
    public string? HostName
    {
        get
        {
            for (int i = 0; i < Names.Count; i++) // a loop: no enumerator or delegate per ClientHello (issue 11)
                if (Names[i].NameType == 0) return Names[i].HostName;
            return null;
        }
    }

    public override void WriteData(TlsWriter w)
    {
        if (Names.Count == 0) return;
        var mark = w.BeginVector(2);
        foreach (var n in Names)
        {
            w.WriteUInt8(n.NameType);
            w.WriteVector(2, n.Name, 1);
        }
        w.EndVector(mark, 1);
    }

    internal static ServerNameExtension Read(ref TlsReader r, ExtensionContext ctx)
    {
        if (ctx != ExtensionContext.ClientHello) return new ServerNameExtension();
        var list = r.ReadVector16Reader("server_name_list", 1);
        var names = new List<ServerName>(1);
        while (!list.IsEmpty)
        {
            byte type = list.ReadUInt8("server_name.name_type");
            var name = list.ReadVector16("server_name.host_name", 1).ToArray();
            if (HasType(names, type))
                throw TlsProtocolException.Illegal($"server_name_list: two names of name_type {type}");
            names.Add(new ServerName(type, name));
        }
        return new ServerNameExtension { Names = names };

        static bool HasType(List<ServerName> names, byte type)
        {
            foreach (var n in names)
                if (n.NameType == type) return true;
            return false;
        }
    }
}
