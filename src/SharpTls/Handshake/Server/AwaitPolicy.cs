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
        var enabled = options.Versions;
        if (offered.Contains(ProtocolVersion.Tls13) && enabled.HasFlag(TlsVersions.Tls13))
            return Tls13.ServerHelloFlight.Start(connection, options, hello);

        // RFC 7507 §3: a client retrying with a lower version than we support is being downgraded.
        var clientMax = offered.Where(v => !Grease.IsGrease((ushort)v)).DefaultIfEmpty(hello.LegacyVersion).Max();
        var ourMax = VersionSwitches.Highest(enabled) ?? 0;
        if (hello.CipherSuites.Contains((ushort)CipherSuite.TLS_FALLBACK_SCSV) && clientMax < ourMax)
            throw new TlsProtocolException(AlertDescription.InappropriateFallback,
                $"TLS_FALLBACK_SCSV from a client offering at most {ProtocolVersions.Name((ushort)clientMax)}; this server supports {ProtocolVersions.Name((ushort)ourMax)}");
        if (ChooseVersion(hello, offered, enabled) is { } version)
            return Tls12.ServerHelloFlight.Start(connection, options, hello, version);

        string offeredText = string.Join(", ", offered.Select(v => ProtocolVersions.Name((ushort)v)));
        if (offered.Contains(ProtocolVersion.Ssl2) || clientMax < ProtocolVersion.Ssl3)
            throw new TlsProtocolException(AlertDescription.ProtocolVersion,
                $"the client offers {offeredText}: SSL 2.0 is not supported (it is insecure and was prohibited by RFC 6176)");
        // The version the client wants most that a switch of ours could allow.
        var wanted = Implemented(hello, offered).FirstOrDefault(v => !VersionSwitches.IsEnabled(enabled, v));
        string hint = wanted == 0 ? "" : $"; {ProtocolVersions.Name(wanted)} is switched off here, {options.VersionSwitchHint?.Invoke(VersionSwitches.Flag(wanted)) ?? VersionSwitches.SwitchFor(wanted, server: true)} would allow it";
        throw new TlsProtocolException(AlertDescription.ProtocolVersion,
            $"no protocol version in common: the client offers {offeredText}; this server enables {VersionSwitches.Describe(enabled)}{hint}");
    }

    /// <summary>
    /// The TLS 1.2-or-older version to answer with: with supported_versions, the highest listed one we enable
    /// (RFC 8446 §4.2.1); without, the highest we enable up to legacy_version, the client's highest (RFC 5246 Appendix E.1).
    /// Null when there is none.
    /// </summary>
    private static ProtocolVersion? ChooseVersion(ClientHello hello, IReadOnlyList<ProtocolVersion> offered, TlsVersions enabled)
    {
        foreach (var version in Implemented(hello, offered))
            if (version <= ProtocolVersion.Tls12 && VersionSwitches.IsEnabled(enabled, version))
                return version;
        return null;
    }

    /// <summary>The versions we implement that the client offers, highest first (without supported_versions: every one up to legacy_version).</summary>
    private static IEnumerable<ProtocolVersion> Implemented(ClientHello hello, IReadOnlyList<ProtocolVersion> offered)
    {
        bool listed = hello.Extensions.Find<Messages.Extensions.SupportedVersionsExtension>() is not null;
        var clientMax = offered.DefaultIfEmpty(hello.LegacyVersion).Max();
        return VersionSwitches.All.Select(e => e.Version).Where(v => listed ? offered.Contains(v) : v <= clientMax && v >= ProtocolVersion.Ssl3);
    }
}
