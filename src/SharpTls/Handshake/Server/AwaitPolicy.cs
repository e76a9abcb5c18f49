using SharpTls.Messages;
using SharpTls.Wire;

namespace SharpTls.Handshake.Server;

/// <summary>
/// The pause after ClientHello (rustls' ChooseConfig, Go's GetConfigForClient): the connection
/// reports <see cref="TlsStatus.WaitingForHost"/> with a <see cref="ChoosePolicyRequest"/>, the host
/// chooses the policy (binding), and <see cref="Continue"/> negotiates the version under it.
/// </summary>
internal sealed class AwaitPolicy(ClientHello hello, IReadOnlyList<ProtocolVersion> offered, ClientHelloInfo info) : AwaitHost
{
    public override TlsHostRequest Request { get; } = new ChoosePolicyRequest(info);

    public override HandshakeState Continue(TlsConnection connection, object? answer)
    {
        var options = answer as TlsServerPolicy
            ?? throw new TlsProtocolException(AlertDescription.HandshakeFailure,
                $"no configuration for this connection (SNI {connection.Info.ServerName ?? "none"}, local endpoint {info.LocalEndPoint?.ToString() ?? "unknown"})");
        if (options.Certificates.Count == 0)
            throw new TlsProtocolException(AlertDescription.HandshakeFailure,
                $"no certificate is configured for this connection (SNI {connection.Info.ServerName ?? "none"})");
        bool tls13 = options.Versions.HasFlag(TlsVersions.Tls13), tls12 = options.Versions.HasFlag(TlsVersions.Tls12);
        if (offered.Contains(ProtocolVersion.Tls13) && tls13)
            return Tls13.ServerHelloFlight.Start(connection, options, hello);

        // RFC 7507 §3: a client retrying with a lower version than we support is being downgraded.
        var clientMax = offered.Where(v => !Grease.IsGrease((ushort)v)).DefaultIfEmpty(hello.LegacyVersion).Max();
        var ourMax = tls13 ? ProtocolVersion.Tls13 : tls12 ? ProtocolVersion.Tls12 : (ProtocolVersion)0;
        if (hello.CipherSuites.Contains((ushort)CipherSuite.TLS_FALLBACK_SCSV) && clientMax < ourMax)
            throw new TlsProtocolException(AlertDescription.InappropriateFallback,
                $"TLS_FALLBACK_SCSV from a client offering at most {ProtocolVersions.Name((ushort)clientMax)}; this server supports {ProtocolVersions.Name((ushort)ourMax)}");
        // Without supported_versions, legacy_version is the client's highest version (RFC 5246 §E.1): 1.2 or higher means it speaks 1.2.
        bool offers12 = offered.Contains(ProtocolVersion.Tls12) || (offered.Count == 1 && offered[0] > ProtocolVersion.Tls12 && offered[0] == hello.LegacyVersion);
        if (offers12 && tls12)
            return Tls12.ServerHelloFlight.Start(connection, options, hello);

        string offeredText = string.Join(", ", offered.Select(v => ProtocolVersions.Name((ushort)v)));
        if (offered.Contains(ProtocolVersion.Ssl2))
            throw new TlsProtocolException(AlertDescription.ProtocolVersion, "SSL 2.0 is not supported");
        throw new TlsProtocolException(AlertDescription.ProtocolVersion,
            $"no protocol version in common: the client offers {offeredText}; this server enables {options.Versions} (TLS 1.1 and older are not implemented yet)");
    }
}
