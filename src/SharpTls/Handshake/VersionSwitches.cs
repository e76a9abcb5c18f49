using SharpTls.Wire;

namespace SharpTls.Handshake;

/// <summary>
/// The protocol-version switches of both sides, in the manner of Schannel's
/// <c>SCHANNEL\Protocols\&lt;name&gt;\Server|Client\Enabled</c> keys: <see cref="TlsVersions"/> flags on the
/// options, <c>--protocols</c> on the command line. TLS 1.2 and 1.3 are on by default; TLS 1.1, TLS 1.0 and
/// SSL 3.0 only when named. A refusal names the switch that would have allowed the version.
/// </summary>
internal static class VersionSwitches
{
    /// <summary>Every version we implement with its flag, highest first.</summary>
    public static readonly (ProtocolVersion Version, TlsVersions Flag)[] All =
    [
        (ProtocolVersion.Tls13, TlsVersions.Tls13),
        (ProtocolVersion.Tls12, TlsVersions.Tls12),
        (ProtocolVersion.Tls11, TlsVersions.Tls11),
        (ProtocolVersion.Tls10, TlsVersions.Tls10),
        (ProtocolVersion.Ssl3, TlsVersions.Ssl3),
    ];

    /// <summary>The flag of a version (None for SSL 2.0 and unknown values).</summary>
    public static TlsVersions Flag(ProtocolVersion version)
    {
        foreach (var (v, flag) in All)
            if (v == version) return flag;
        return TlsVersions.None;
    }

    /// <summary>True when <paramref name="version"/> is switched on in <paramref name="enabled"/>.</summary>
    public static bool IsEnabled(TlsVersions enabled, ProtocolVersion version)
        => Flag(version) is var flag && flag != TlsVersions.None && enabled.HasFlag(flag);

    /// <summary>The enabled versions, highest first.</summary>
    public static IReadOnlyList<ProtocolVersion> Enabled(TlsVersions enabled)
        => [.. All.Where(e => enabled.HasFlag(e.Flag)).Select(e => e.Version)];

    /// <summary>The highest enabled version, or null when none is.</summary>
    public static ProtocolVersion? Highest(TlsVersions enabled)
        => All.Where(e => enabled.HasFlag(e.Flag)).Select(e => (ProtocolVersion?)e.Version).FirstOrDefault();

    /// <summary>The lowest enabled version, or null when none is.</summary>
    public static ProtocolVersion? Lowest(TlsVersions enabled)
        => All.Where(e => enabled.HasFlag(e.Flag)).Select(e => (ProtocolVersion?)e.Version).LastOrDefault();

    /// <summary>True when a version below TLS 1.2 is enabled (SSL 3.0, TLS 1.0, TLS 1.1).</summary>
    public static bool AnyLegacy(TlsVersions enabled) => (enabled & (TlsVersions.Ssl3 | TlsVersions.Tls10 | TlsVersions.Tls11)) != 0;

    /// <summary>The name <c>--protocols</c> takes: ssl3, tls1.0, tls1.1, tls1.2, tls1.3.</summary>
    public static string CliName(ProtocolVersion version) => version switch
    {
        ProtocolVersion.Ssl3 => "ssl3",
        ProtocolVersion.Tls10 => "tls1.0",
        ProtocolVersion.Tls11 => "tls1.1",
        ProtocolVersion.Tls12 => "tls1.2",
        ProtocolVersion.Tls13 => "tls1.3",
        _ => ProtocolVersions.Name(version),
    };

    /// <summary>Schannel's key name for a version ("SSL 3.0", "TLS 1.0", ...).</summary>
    private static string SchannelName(ProtocolVersion version) => ProtocolVersions.Name(version);

    /// <summary>
    /// What would switch <paramref name="version"/> on: the flag, the command-line name and Schannel's key, e.g.
    /// "TlsVersions.Tls10 in TlsServerOptions.Versions (sharptls listen --protocols tls1.0; Schannel: Protocols\TLS 1.0\Server\Enabled)".
    /// </summary>
    public static string SwitchFor(ProtocolVersion version, bool server)
        => $"TlsVersions.{Flag(version)} in {(server ? "TlsServerOptions" : "TlsClientOptions")}.Versions " +
           $"(sharptls {(server ? "listen" : "connect")} --protocols {CliName(version)}; Schannel: Protocols\\{SchannelName(version)}\\{(server ? "Server" : "Client")}\\Enabled)";

    /// <summary>"TLS 1.2, TLS 1.3" for a set of flags ("none" when empty).</summary>
    public static string Describe(TlsVersions enabled)
    {
        var names = All.Reverse().Where(e => enabled.HasFlag(e.Flag)).Select(e => ProtocolVersions.Name(e.Version)).ToList();
        return names.Count == 0 ? "none" : string.Join(", ", names);
    }

    /// <summary>
    /// Parses a <c>--protocols</c> list ("ssl3,tls1.0,tls1.1,tls1.2,tls1.3"; "tls1" and "tls10" style names too).
    /// Null when a name is unknown or the list is empty.
    /// </summary>
    public static TlsVersions? Parse(string list)
    {
        var versions = TlsVersions.None;
        foreach (string raw in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var flag = raw.ToLowerInvariant() switch
            {
                "ssl3" or "ssl3.0" or "sslv3" => TlsVersions.Ssl3,
                "tls1" or "tls1.0" or "tls10" => TlsVersions.Tls10,
                "tls1.1" or "tls11" => TlsVersions.Tls11,
                "tls1.2" or "tls12" => TlsVersions.Tls12,
                "tls1.3" or "tls13" => TlsVersions.Tls13,
                _ => TlsVersions.None,
            };
            if (flag == TlsVersions.None) return null;
            versions |= flag;
        }
        return versions == TlsVersions.None ? null : versions;
    }
}
