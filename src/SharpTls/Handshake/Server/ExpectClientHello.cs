using System.Net;
using System.Text;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server;

/// <summary>
/// The server's first state: parse ClientHello, collect what the selection hook needs (SNI,
/// local endpoint, ALPN, versions, suites), and pause for the host to choose certificate and
/// policy (<see cref="AwaitPolicy"/>).
/// </summary>
internal sealed class ExpectClientHello(IPEndPoint? localEndPoint, IPEndPoint? remoteEndPoint) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
    {
        if (type != HandshakeType.ClientHello) throw Unexpected(type, "ClientHello");
        var hello = HandshakeMessage.Decode<ClientHello>(message, MessageContext.None);
        // RFC 8446 Appendix D.5: a hello whose legacy_version is SSL 3.0 or below with supported_versions is refused.
        if (hello.LegacyVersion <= ProtocolVersion.Ssl3 && hello.Extensions.Find<SupportedVersionsExtension>() is not null)
            throw new TlsProtocolException(AlertDescription.ProtocolVersion,
                $"ClientHello.legacy_version {ProtocolVersions.Name((ushort)hello.LegacyVersion)} with supported_versions: a TLS 1.3 client sends 0x0303 (RFC 8446 §4.1.2, Appendix D.5)");
        var versions = OfferedVersions(hello);
        string? sni = ServerNameOf(hello);
        connection.Info.ServerName = sni;
        var info = new ClientHelloInfo
        {
            ServerName = sni,
            LocalEndPoint = localEndPoint,
            RemoteEndPoint = remoteEndPoint,
            Versions = versions,
            CipherSuites = hello.CipherSuites,
            SessionId = hello.SessionId,
            PskOffered = hello.Extensions.Contains(ExtensionType.PreSharedKey) || hello.Extensions.Find<SessionTicketExtension>() is { Ticket.Length: > 0 },
            // ALPN, signature schemes, groups and the raw extensions are read from it when a hook asks for them.
            Hello = hello,
        };
        return new AwaitPolicy(hello, versions, info);
    }

    /// <summary>An SSLv2-format hello (RFC 5246 Appendix E.2): SSL 2.0 is refused; a v2-compatible hello offers at most TLS 1.2.</summary>
    public HandshakeState HandleSslv2(TlsConnection connection, ReadOnlySpan<byte> record)
    {
        var v2 = Records.Sslv2ClientHello.Parse(record);
        if (v2.IsSsl2Only)
            throw new TlsProtocolException(AlertDescription.ProtocolVersion,
                "the client speaks SSL 2.0 only; SSL 2.0 is not supported (it is insecure and was prohibited by RFC 6176)");
        throw new TlsProtocolException(AlertDescription.ProtocolVersion,
            $"SSLv2-compatible ClientHello offering {ProtocolVersions.Name((ushort)v2.Version)}: not accepted, whatever versions are switched on (RFC 6176 §3 forbids clients to send it; it carries no extensions, so no TLS 1.3, ECDHE, extended master secret or renegotiation_info)");
    }

    /// <summary>The extensions as they were on the wire: type and extension_data.</summary>
    internal static ClientHelloExtension[] RawExtensions(ClientHello hello)
    {
        var raw = hello.Raw;
        var result = new List<ClientHelloExtension>(hello.Extensions.Count);
        if (raw.IsEmpty || hello.OmitExtensions) return [];
        // Skip the fixed fields: header(4), version(2), random(32), session id, suites, compression methods.
        var span = raw.Span;
        int at = 4 + 2 + 32;
        at += 1 + span[at];
        at += 2 + (span[at] << 8 | span[at + 1]);
        at += 1 + span[at];
        at += 2; // the extensions vector's length (the decoder checked the framing)
        while (at + 4 <= span.Length)
        {
            ushort type = (ushort)(span[at] << 8 | span[at + 1]);
            int length = span[at + 2] << 8 | span[at + 3];
            result.Add(new ClientHelloExtension(type, raw.Slice(at + 4, length)));
            at += 4 + length;
        }
        return [.. result];
    }

    /// <summary>
    /// The versions a ClientHello offers: supported_versions without GREASE; without it, legacy_version read as TLS 1.2
    /// reads it (RFC 8446 §4.2.1, Appendix D: 0x0304 or higher there means "TLS 1.2 or below", never TLS 1.3).
    /// </summary>
    internal static IReadOnlyList<ProtocolVersion> OfferedVersions(ClientHello hello)
    {
        if (hello.Extensions.Find<SupportedVersionsExtension>() is not { } sv)
            return [hello.LegacyVersion > ProtocolVersion.Tls12 ? ProtocolVersion.Tls12 : hello.LegacyVersion];
        // Counted, then copied: the one array, no iterator or delegate (issue 11: allocation per handshake).
        var listed = sv.Versions;
        int n = 0;
        for (int i = 0; i < listed.Count; i++)
            if (!Grease.IsGrease((ushort)listed[i])) n++;
        var versions = new ProtocolVersion[n];
        n = 0;
        for (int i = 0; i < listed.Count; i++)
            if (!Grease.IsGrease((ushort)listed[i])) versions[n++] = listed[i];
        return versions;
    }

    internal static string? ServerNameOf(ClientHello hello)
    {
        var names = hello.Extensions.Find<ServerNameExtension>();
        if (names is null) return null;
        string? host = names.HostName;
        if (host is null) return null;
        if (host.Length == 0 || host.EndsWith('.') || host.AsSpan().IndexOfAnyExceptInRange((char)0x21, (char)0x7E) >= 0)
            throw TlsProtocolException.Illegal($"server_name: invalid host name \"{host}\"");
        // RFC 6066 §3 does not permit literal IP addresses, yet clients send them (wrk, some HTTP libraries): like OpenSSL,
        // SslStream and rustls, the server reads one as no SNI (the connection is served by the IP binding).
        if (IPAddress.TryParse(host, out _))
            return null;
        return host.ToLowerInvariant();
    }
}
