using System.Net;
using System.Text;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server;

/// <summary>
/// The server's first state: parse ClientHello, collect what the selection hook needs (SNI,
/// local endpoint, ALPN, versions, suites), and pause for the host to choose certificate and
/// policy (<see cref="AwaitServerOptions"/>).
/// </summary>
internal sealed class ExpectClientHello(IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ClientHello) throw Unexpected(type, "ClientHello");
        var hello = HandshakeMessage.Decode<ClientHello>(message, MessageContext.None);
        var versions = OfferedVersions(hello);
        string? sni = ServerNameOf(hello);
        connection.Info.ServerName = sni;
        connection.PendingClientHello = new ClientHelloInfo
        {
            ServerName = sni,
            LocalEndPoint = localEndPoint,
            RemoteEndPoint = remoteEndPoint,
            ApplicationProtocols = hello.Extensions.Find<AlpnExtension>()?.Protocols.Select(p => Encoding.ASCII.GetString(p)).ToArray() ?? [],
            Versions = versions,
            CipherSuites = hello.CipherSuites,
            SignatureSchemes = hello.Extensions.Find<SignatureAlgorithmsExtension>()?.Schemes.Select(s => (ushort)s).ToArray() ?? [],
        };
        return new AwaitServerOptions(hello, versions);
    }

    /// <summary>An SSLv2-format hello (RFC 5246 Appendix E.2): SSL 2.0 is refused; a v2-compatible hello offers at most TLS 1.2.</summary>
    public HandshakeState HandleSslv2(TlsConnection connection, ReadOnlySpan<byte> record)
    {
        var v2 = Records.Sslv2ClientHello.Parse(record);
        if (v2.IsSsl2Only)
            throw new TlsProtocolException(AlertDescription.ProtocolVersion,
                "the client speaks SSL 2.0 only; SSL 2.0 is not supported (it is insecure and was prohibited by RFC 6176)");
        throw new TlsProtocolException(AlertDescription.ProtocolVersion,
            $"SSLv2-compatible ClientHello offering {ProtocolVersions.Name((ushort)v2.Version)}: such a hello carries no extensions, so it cannot negotiate TLS 1.3 or the ECDHE suites this server implements");
    }

    internal static IReadOnlyList<ProtocolVersion> OfferedVersions(ClientHello hello)
        => hello.Extensions.Find<SupportedVersionsExtension>() is { } sv
            ? sv.Versions.Where(v => !Grease.IsGrease((ushort)v)).ToArray()
            : [hello.LegacyVersion];

    internal static string? ServerNameOf(ClientHello hello)
    {
        var names = hello.Extensions.Find<ServerNameExtension>();
        if (names is null) return null;
        string? host = names.HostName;
        if (host is null) return null;
        if (host.Length == 0 || host.EndsWith('.') || host.Any(c => c <= 0x20 || c >= 0x7F))
            throw TlsProtocolException.Illegal($"server_name: invalid host name \"{host}\"");
        if (IPAddress.TryParse(host, out _))
            throw TlsProtocolException.Illegal("server_name: literal IP addresses are not permitted (RFC 6066 §3)");
        return host.ToLowerInvariant();
    }
}
