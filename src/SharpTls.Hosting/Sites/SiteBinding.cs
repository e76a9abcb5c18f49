using System.Globalization;
using System.Net;

namespace SharpTls.Hosting.Sites;

/// <summary>
/// A site binding as IIS writes it: <c>protocol/IP:port:host</c>, as in <c>https/*:443:www.contoso.test</c>
/// or <c>http/127.0.0.1:80:</c>. <c>*</c> is every address (IIS's "All Unassigned"); an empty host matches
/// any Host header. IPv6 addresses are written in brackets (<c>https/[::1]:443:</c>).
/// </summary>
public sealed record SiteBinding(string Scheme, IPAddress? Address, int Port, string Host)
{
    /// <summary>True for <c>https</c> bindings (served through SharpTls).</summary>
    public bool IsHttps => Scheme == "https";

    /// <summary>Parses an IIS binding string.</summary>
    /// <exception cref="FormatException">The text is not <c>http|https/IP:port:host</c>; the message says which part is wrong.</exception>
    public static SiteBinding Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        int slash = text.IndexOf('/');
        if (slash <= 0) throw new FormatException($"site binding '{text}': expected protocol/IP:port:host, as in https/*:443:www.contoso.test");
        string scheme = text[..slash].Trim().ToLowerInvariant();
        if (scheme is not ("http" or "https")) throw new FormatException($"site binding '{text}': protocol '{scheme}' is not http or https");
        string rest = text[(slash + 1)..];
        string addressText;
        if (rest.StartsWith('['))
        {
            int close = rest.IndexOf(']');
            if (close < 0) throw new FormatException($"site binding '{text}': unclosed '[' in the IPv6 address");
            addressText = rest[1..close];
            rest = rest[(close + 1)..];
            if (!rest.StartsWith(':')) throw new FormatException($"site binding '{text}': expected ':' after the IPv6 address");
            rest = rest[1..];
        }
        else
        {
            int colon = rest.IndexOf(':');
            if (colon < 0) throw new FormatException($"site binding '{text}': expected IP:port:host");
            addressText = rest[..colon];
            rest = rest[(colon + 1)..];
        }
        int hostColon = rest.IndexOf(':');
        if (hostColon < 0) throw new FormatException($"site binding '{text}': expected IP:port:host (the host may be empty, but its ':' is needed)");
        string portText = rest[..hostColon];
        string host = rest[(hostColon + 1)..].Trim().TrimEnd('.').ToLowerInvariant();
        IPAddress? address = null;
        if (addressText != "*" && addressText.Length > 0 && !IPAddress.TryParse(addressText, out address))
            throw new FormatException($"site binding '{text}': '{addressText}' is not an IP address or *");
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
            throw new FormatException($"site binding '{text}': port '{portText}' is not 1 to 65535");
        if (host.Contains(':') || host.Contains('/') || host.Contains(' '))
            throw new FormatException($"site binding '{text}': host '{host}' is not a host name");
        return new SiteBinding(scheme, address is not null && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)) ? null : address, port, host);
    }

    /// <summary>Matches a request that arrived on <paramref name="local"/> with Host <paramref name="host"/> (lower case, no port).</summary>
    internal bool Matches(string scheme, IPEndPoint local, string host)
        => scheme == Scheme && local.Port == Port
           && (Address is null || Address.Equals(Normalize(local.Address)))
           && (Host.Length == 0 || Host == host);

    /// <summary>How specific the binding is (IIS's order): IP and host, then host, then IP, then neither.</summary>
    internal int Specificity => (Host.Length > 0 ? 2 : 0) + (Address is null ? 0 : 1);

    internal static IPAddress Normalize(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    /// <inheritdoc />
    public override string ToString()
        => $"{Scheme}/{(Address is null ? "*" : Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port}:{Host}";
}
