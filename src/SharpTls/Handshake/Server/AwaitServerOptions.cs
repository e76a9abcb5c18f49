using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server;

/// <summary>
/// The pause after ClientHello (rustls' ChooseConfig, Go's GetConfigForClient): the connection
/// reports <see cref="TlsStatus.NeedsServerOptions"/>, the host chooses, and
/// <see cref="Continue"/> negotiates the version with the chosen options.
/// </summary>
internal sealed class AwaitServerOptions(ClientHello hello, IReadOnlyList<ProtocolVersion> offered) : HandshakeState
{
    public override HandshakeState Handle(TlsConnection connection, HandshakeType type, ReadOnlyMemory<byte> message)
        => throw Unexpected(type, "nothing (waiting for the server's configuration)");

    public HandshakeState Continue(TlsConnection connection, TlsServerOptions options)
    {
        if (options.Certificates.Count == 0)
            throw new TlsProtocolException(AlertDescription.HandshakeFailure,
                $"no certificate is configured for this connection (SNI {connection.Info.ServerName ?? "none"})");
        if (offered.Contains(ProtocolVersion.Tls13) && options.Versions.HasFlag(TlsVersions.Tls13))
            return Tls13.ServerHelloFlight.Start(connection, options, hello);

        string offeredText = string.Join(", ", offered.Select(v => ProtocolVersions.Name((ushort)v)));
        if (offered.Contains(ProtocolVersion.Ssl2))
            throw new TlsProtocolException(AlertDescription.ProtocolVersion, "SSL 2.0 is not supported");
        throw new TlsProtocolException(AlertDescription.ProtocolVersion,
            $"no protocol version in common: the client offers {offeredText}; this server enables {options.Versions} (TLS 1.2 and older are not implemented yet)");
    }
}
