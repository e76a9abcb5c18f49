using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace SharpTls.Hosting.Bindings;

/// <summary>The three kinds of HTTP.sys SSL binding, named as <c>netsh http add sslcert</c> names them.</summary>
public enum BindingKind
{
    /// <summary><c>ipport=IP:port</c>: a local address (or 0.0.0.0 / [::] for any) and port.</summary>
    IpPort,
    /// <summary><c>hostnameport=host:port</c>: an SNI host name (exact, or <c>*.domain</c>) and port.</summary>
    HostnamePort,
    /// <summary><c>ccs=port</c>: the port is served from the central certificate store, by SNI name.</summary>
    Ccs,
}

/// <summary>The key of an SSL binding: <c>ipport=0.0.0.0:8443</c>, <c>hostnameport=www.contoso.test:8443</c> or <c>ccs=8443</c>.</summary>
public sealed class BindingKey : IEquatable<BindingKey>
{
    private BindingKey(BindingKind kind, IPAddress? address, string? hostName, int port)
    {
        Kind = kind;
        Address = address;
        HostName = hostName;
        Port = port;
    }

    /// <summary>The kind of binding.</summary>
    public BindingKind Kind { get; }

    /// <summary>The local address of an <see cref="BindingKind.IpPort"/> binding (0.0.0.0 or :: for any address).</summary>
    public IPAddress? Address { get; }

    /// <summary>The host name of a <see cref="BindingKind.HostnamePort"/> binding, in lower case; may start with <c>*.</c>.</summary>
    public string? HostName { get; }

    /// <summary>The TCP port.</summary>
    public int Port { get; }

    /// <summary>An <c>ipport</c> binding for any address (<c>0.0.0.0:port</c> or <c>[::]:port</c>).</summary>
    public bool IsAnyAddress => Kind == BindingKind.IpPort && (Address!.Equals(IPAddress.Any) || Address.Equals(IPAddress.IPv6Any));

    /// <summary>A wildcard <c>hostnameport</c> binding (<c>*.domain:port</c>).</summary>
    public bool IsWildcard => Kind == BindingKind.HostnamePort && HostName!.StartsWith("*.", StringComparison.Ordinal);

    /// <summary>The netsh parameter name of this kind: <c>ipport</c>, <c>hostnameport</c> or <c>ccs</c>.</summary>
    public string ParameterName => KindName(Kind);

    /// <summary>The value after the <c>=</c>: <c>0.0.0.0:8443</c>, <c>[::1]:8443</c>, <c>www.contoso.test:8443</c>, <c>8443</c>.</summary>
    public string Value => Kind switch
    {
        BindingKind.IpPort => Address!.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]:{Port}" : $"{Address}:{Port}",
        BindingKind.HostnamePort => $"{HostName}:{Port}",
        _ => Port.ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>An <c>ipport</c> key. An IPv4-mapped IPv6 address is stored as its IPv4 address.</summary>
    public static BindingKey IpPort(IPAddress address, int port)
    {
        ArgumentNullException.ThrowIfNull(address);
        CheckPort(port);
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) address = new IPAddress(address.GetAddressBytes());
        return new BindingKey(BindingKind.IpPort, address, null, port);
    }

    /// <summary>A <c>hostnameport</c> key; <paramref name="hostName"/> is a DNS name or <c>*.domain</c>.</summary>
    public static BindingKey HostnamePort(string hostName, int port)
    {
        CheckPort(port);
        string name = NormalizeHostName(hostName) ?? throw new FormatException($"'{hostName}' is not a host name (letters, digits, '-' and '.', or '*.' followed by a domain)");
        return new BindingKey(BindingKind.HostnamePort, null, name, port);
    }

    /// <summary>A <c>ccs</c> key (central certificate store) for a port.</summary>
    public static BindingKey Ccs(int port)
    {
        CheckPort(port);
        return new BindingKey(BindingKind.Ccs, null, null, port);
    }

    /// <summary>Parses <c>ipport=…</c>, <c>hostnameport=…</c> or <c>ccs=…</c>.</summary>
    /// <exception cref="FormatException">The text is not a binding key; the message says why.</exception>
    public static BindingKey Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int eq = text.IndexOf('=', StringComparison.Ordinal);
        if (eq <= 0) throw new FormatException($"'{text}' is not a binding key (ipport=IP:port, hostnameport=host:port or ccs=port)");
        return Parse(text[..eq], text[(eq + 1)..]) ?? throw new FormatException($"'{text[..eq]}' is not a binding key kind (ipport, hostnameport or ccs)");
    }

    /// <summary>Parses the value of a key parameter; null when <paramref name="name"/> is not a key parameter.</summary>
    /// <exception cref="FormatException">The value is not valid for that kind.</exception>
    public static BindingKey? Parse(string name, string value)
    {
        switch (name.ToLowerInvariant())
        {
            case "ipport":
            {
                int colon = value.LastIndexOf(':');
                if (colon <= 0) throw new FormatException($"ipport={value}: expected IP:port (IPv6 in brackets: [::]:443)");
                string host = value[..colon];
                bool bracketed = host.StartsWith('[') && host.EndsWith(']');
                if (bracketed) host = host[1..^1];
                if (!IPAddress.TryParse(host, out var address) || (address.AddressFamily == AddressFamily.InterNetworkV6) != bracketed
                    || (address.AddressFamily == AddressFamily.InterNetwork && host.Count(c => c == '.') != 3))
                    throw new FormatException($"ipport={value}: '{value[..colon]}' is not an IP address (IPv4 as 0.0.0.0, IPv6 in brackets as [::])");
                return IpPort(address, ParsePort(value[(colon + 1)..], $"ipport={value}"));
            }
            case "hostnameport":
            {
                int colon = value.LastIndexOf(':');
                if (colon <= 0) throw new FormatException($"hostnameport={value}: expected host:port");
                int port = ParsePort(value[(colon + 1)..], $"hostnameport={value}");
                string? host = NormalizeHostName(value[..colon]);
                if (host is null) throw new FormatException($"hostnameport={value}: '{value[..colon]}' is not a host name (letters, digits, '-' and '.', or '*.' followed by a domain)");
                return new BindingKey(BindingKind.HostnamePort, null, host, port);
            }
            case "ccs":
                return Ccs(ParsePort(value, $"ccs={value}"));
            default:
                return null;
        }
    }

    /// <summary>
    /// Lower-cases a DNS host name and drops a trailing dot; null when it is not one. With
    /// <paramref name="allowWildcard"/>, a leading <c>*.</c> label is allowed (not alone: <c>*.test</c> at least).
    /// </summary>
    public static string? NormalizeHostName(string? name, bool allowWildcard = true)
    {
        if (string.IsNullOrEmpty(name)) return null;
        int length = name[^1] == '.' ? name.Length - 1 : name.Length;
        if (length is 0 or > 253) return null;
        var span = name.AsSpan(0, length);
        bool upper = false;
        int labelStart = 0, labels = 0;
        for (int i = 0; i <= span.Length; i++)
        {
            if (i < span.Length && span[i] != '.')
            {
                char c = span[i];
                if (c is >= 'A' and <= 'Z') upper = true;
                else if (!(c is >= 'a' and <= 'z' || c is >= '0' and <= '9' || c is '-' or '_' or '*')) return null;
                continue;
            }
            var label = span[labelStart..i];
            bool wildcard = label is "*";
            if (wildcard ? !(allowWildcard && labels == 0 && i < span.Length)
                         : label.Length is 0 or > 63 || label[0] == '-' || label[^1] == '-' || label.Contains('*'))
                return null;
            labels++;
            labelStart = i + 1;
        }
        if (!upper && length == name.Length) return name;   // the common case: nothing to allocate
        return upper ? span.ToString().ToLowerInvariant() : span.ToString();
    }

    internal static string KindName(BindingKind kind) => kind switch
    {
        BindingKind.IpPort => "ipport",
        BindingKind.HostnamePort => "hostnameport",
        _ => "ccs",
    };

    private static int ParsePort(string text, string context)
    {
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new FormatException($"{context}: '{text}' is not a port (1 to 65535)");
        return port;
    }

    private static void CheckPort(int port)
    {
        if (port is < 1 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "a port is 1 to 65535");
    }

    /// <summary>The key as netsh writes it: <c>ipport=0.0.0.0:8443</c>.</summary>
    public override string ToString() => $"{ParameterName}={Value}";

    /// <inheritdoc />
    public bool Equals(BindingKey? other)
        => other is not null && Kind == other.Kind && Port == other.Port
           && Equals(Address, other.Address) && string.Equals(HostName, other.HostName, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BindingKey);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Kind, Port, Address, HostName);

    /// <summary>Value equality.</summary>
    public static bool operator ==(BindingKey? a, BindingKey? b) => a is null ? b is null : a.Equals(b);

    /// <summary>Value inequality.</summary>
    public static bool operator !=(BindingKey? a, BindingKey? b) => !(a == b);
}
