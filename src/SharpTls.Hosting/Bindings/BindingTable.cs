using System.Net;
using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Bindings;

/// <summary>Which HTTP.sys rule chose a binding.</summary>
public enum BindingRule
{
    /// <summary><c>hostnameport</c> with the SNI name exactly.</summary>
    HostnameExact,
    /// <summary><c>hostnameport</c> <c>*.domain</c>, the longest suffix of the SNI name that has one.</summary>
    HostnameWildcard,
    /// <summary><c>ccs</c> for the port: the certificate file named after the SNI name.</summary>
    CentralStore,
    /// <summary><c>ipport</c> for the exact local address.</summary>
    IpExact,
    /// <summary><c>ipport</c> 0.0.0.0 or [::] for the port.</summary>
    IpAny,
}

/// <summary>The binding that serves a connection, its policy, and why it was chosen.</summary>
/// <param name="Binding">The binding.</param>
/// <param name="Policy">The engine policy of the binding (built once per table; for <c>ccs</c> once per certificate file).</param>
/// <param name="Rule">The rule that matched.</param>
/// <param name="ServerName">The SNI name as the lookup used it (lower case), or null when the client sent none.</param>
/// <param name="CertificateFile">For <see cref="BindingRule.CentralStore"/>, the file that served.</param>
public sealed record BindingMatch(SslBinding Binding, TlsServerPolicy Policy, BindingRule Rule, string? ServerName, string? CertificateFile = null)
{
    /// <summary>A sentence for people: "SNI www.contoso.test matched hostnameport=www.contoso.test:8443 exactly" (made when asked for).</summary>
    public string Reason => Rule switch
    {
        BindingRule.HostnameExact => $"SNI {ServerName} matched {Binding.Key} exactly",
        BindingRule.HostnameWildcard => $"SNI {ServerName} matched the wildcard {Binding.Key} (no exact hostnameport binding)",
        BindingRule.CentralStore => $"SNI {ServerName} was served by {Binding.Key} from the central certificate store file {Path.GetFileName(CertificateFile)} (no hostnameport binding)",
        BindingRule.IpExact => $"{Binding.Key} matched the local address ({Why})",
        _ => $"{Binding.Key} serves any local address on port {Binding.Key.Port} ({Why})",
    };

    private string Why => ServerName is null ? "the client sent no SNI" : $"no hostnameport or ccs binding for SNI {ServerName}";
}

/// <summary>A binding of the file that is not served, and why (its certificate is missing, expired, without key...).</summary>
/// <param name="Binding">The binding.</param>
/// <param name="Reason">Why it is not served.</param>
public sealed record BindingProblem(SslBinding Binding, string Reason);

/// <summary>
/// One immutable snapshot of the bindings with their engine policies, built once when the bindings or
/// certificates change. <see cref="Select"/> is HTTP.sys' lookup order, in one method; it never locks.
/// </summary>
public sealed class BindingTable
{
    private readonly Dictionary<(string Host, int Port), Entry> _exact = [];
    private readonly Dictionary<(string Suffix, int Port), Entry> _wildcard = [];   // "*.contoso.test" stored as "contoso.test"
    private readonly Dictionary<int, SslBinding> _ccs = [];
    private readonly Dictionary<(IPAddress Address, int Port), Entry> _ip = [];
    private readonly CentralCertificateStore? _central;
    private readonly Func<SslBinding, ServerCertificate, X509Certificate2Collection, TlsServerPolicy>? _policyFor;
    private readonly Dictionary<int, X509Certificate2Collection> _ccsIssuers = [];
    private readonly ConditionalWeakTable<ServerCertificate, TlsServerPolicy> _ccsPolicies = [];   // per certificate file version

    private BindingTable(long version, IReadOnlyList<SslBinding> bindings, IReadOnlyList<BindingProblem> problems, CentralCertificateStore? central,
        Func<SslBinding, ServerCertificate, X509Certificate2Collection, TlsServerPolicy>? policyFor, TlsVersions serverProtocols = ProtocolSwitches.Default)
    {
        Version = version;
        ServerProtocols = serverProtocols;
        Bindings = bindings;
        Problems = problems;
        _central = central;
        _policyFor = policyFor;
    }

    /// <summary>A table without bindings: every handshake is refused.</summary>
    public static BindingTable Empty { get; } = new(0, [], [], null, null);

    /// <summary>Increases with each table built by a <see cref="BindingHost"/>.</summary>
    public long Version { get; }

    /// <summary>Every binding of the file, served or not.</summary>
    public IReadOnlyList<SslBinding> Bindings { get; }

    /// <summary>Bindings that are not served, with why.</summary>
    public IReadOnlyList<BindingProblem> Problems { get; }

    /// <summary>The server's protocol switches the table was built with (<see cref="ProtocolSwitches"/>); each binding's
    /// policy enables these less what its <c>disablelegacytls</c>, <c>disabletls12</c> and <c>disabletls13</c> take away.</summary>
    public TlsVersions ServerProtocols { get; }

    /// <summary>
    /// Builds the table: each binding's certificate is loaded from the store by thumbprint and checked once, and
    /// its policy made once. A binding whose certificate cannot serve, or that is left no protocol version by
    /// <paramref name="serverProtocols"/> (the server's switches) and its own, is left out and listed in <see cref="Problems"/>.
    /// </summary>
    public static BindingTable Build(IReadOnlyList<SslBinding> bindings, StoreCertificateSource certificates, CentralCertificateStore? central = null,
        BindingHostOptions? options = null, long version = 0, TlsVersions serverProtocols = ProtocolSwitches.Default)
        => Build(bindings, certificates, central, options, version, serverProtocols, ocspFiles: null);

    /// <summary>As the public overload, with the OCSP response files a <see cref="BindingHost"/> keeps across tables.</summary>
    internal static BindingTable Build(IReadOnlyList<SslBinding> bindings, StoreCertificateSource certificates, CentralCertificateStore? central,
        BindingHostOptions? options, long version, TlsVersions serverProtocols, OcspResponseFiles? ocspFiles)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        ArgumentNullException.ThrowIfNull(certificates);
        options ??= new BindingHostOptions();
        var now = options.Time.GetUtcNow();
        var alpn = options.ApplicationProtocols.ToArray();
        var snapshot = certificates.Snapshot();
        var problems = new List<BindingProblem>();
        var ocsp = ocspFiles ?? NewOcspFiles(options);
        var table = new BindingTable(version, bindings, problems, central, (b, c, issuers) => Policy(b, c, issuers, alpn, ocsp, serverProtocols), serverProtocols);

        foreach (var binding in bindings)
        {
            if (ProtocolSwitches.For(binding, serverProtocols) == TlsVersions.None)
            {
                problems.Add(new BindingProblem(binding, NoVersionLeft(binding, serverProtocols)));
                continue;
            }
            X509Certificate2Collection issuers;
            try { issuers = TrustedIssuers(binding, snapshot, options); }
            catch (Exception e) when (e is System.Security.Cryptography.CryptographicException or IOException or FormatException)
            {
                problems.Add(new BindingProblem(binding, $"sslctlstorename={binding.SslCtlStoreName}{(binding.SslCtlIdentifier is { } id ? $" sslctlidentifier={id}" : "")}: {e.Message}"));
                continue;
            }
            if (binding.Key.Kind == BindingKind.Ccs)
            {
                table._ccs[binding.Key.Port] = binding;
                table._ccsIssuers[binding.Key.Port] = issuers;
                if (central is null) problems.Add(new BindingProblem(binding, "no central certificate store is configured"));
                continue;
            }
            ServerCertificate certificate;
            try { certificate = snapshot.LoadForBinding(binding.CertificateHash!, binding.CertificateStoreName, now); }
            catch (Exception e) when (e is CertificateUnusableException or System.Security.Cryptography.CryptographicException or IOException)
            {
                problems.Add(new BindingProblem(binding, e.Message));
                continue;
            }
            var entry = new Entry(binding, Policy(binding, certificate, issuers, alpn, ocsp, serverProtocols), certificate.Certificate);
            var key = binding.Key;
            if (key.Kind == BindingKind.IpPort) table._ip[(key.Address!, key.Port)] = entry;
            else if (key.IsWildcard) table._wildcard[(key.HostName![2..], key.Port)] = entry;
            else table._exact[(key.HostName!, key.Port)] = entry;
        }
        ocsp.TableBuilt();
        return table;
    }

    /// <summary>The OCSP response files of <paramref name="options"/>' folder (default <c>&lt;data folder&gt;/ocsp</c>), reported to its diagnostics.</summary>
    internal static OcspResponseFiles NewOcspFiles(BindingHostOptions options)
        => new(options.OcspResponseFolder ?? Path.Combine(SharpTlsHome.DataDirectory, "ocsp"), options.Time, options.Diagnostics);

    /// <summary>
    /// The binding for a connection to <paramref name="local"/> that asked for <paramref name="serverName"/> (SNI; null when
    /// the client sent none), in HTTP.sys' order: <c>hostnameport</c> exact, <c>hostnameport</c> wildcard (longest suffix
    /// first), <c>ccs</c> for the port, <c>ipport</c> for the exact address, <c>ipport</c> for any address. A client
    /// without SNI is served by the IP bindings. Null when nothing matches.
    /// </summary>
    public BindingMatch? Select(IPEndPoint local, string? serverName)
    {
        ArgumentNullException.ThrowIfNull(local);
        int port = local.Port;
        string? name = serverName is null ? null : BindingKey.NormalizeHostName(serverName, allowWildcard: false);
        if (name is not null)
        {
            if (_exact.TryGetValue((name, port), out var exact))
                return exact.Match(BindingRule.HostnameExact, name);
            for (int dot = name.IndexOf('.', StringComparison.Ordinal); dot > 0; dot = name.IndexOf('.', dot + 1))
                if (_wildcard.TryGetValue((name[(dot + 1)..], port), out var wild))
                    return wild.Match(BindingRule.HostnameWildcard, name);
            if (_ccs.TryGetValue(port, out var ccs) && _central?.Lookup(name) is { } found)
            {
                var policy = _ccsPolicies.GetValue(found.Certificate, c => _policyFor!(ccs, c, _ccsIssuers[port]));
                return new BindingMatch(ccs, policy, BindingRule.CentralStore, name, found.File);
            }
        }
        var address = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        if (address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0) address = new IPAddress(address.GetAddressBytes());
        if (_ip.TryGetValue((address, port), out var ip))
            return ip.Match(BindingRule.IpExact, name ?? serverName);
        bool v6 = address.AddressFamily == AddressFamily.InterNetworkV6;
        if (_ip.TryGetValue((v6 ? IPAddress.IPv6Any : IPAddress.Any, port), out var any)
            || _ip.TryGetValue((v6 ? IPAddress.Any : IPAddress.IPv6Any, port), out any))
            return any.Match(BindingRule.IpAny, name ?? serverName);
        return null;
    }

    // The trusted issuers of client certificates: the sslctlstorename store, or the part of it the sslctlidentifier trust list names.
    private static X509Certificate2Collection TrustedIssuers(SslBinding binding, StoreCertificateSource.StoreSnapshot snapshot, BindingHostOptions options)
    {
        if (binding.SslCtlStoreName is not { } storeName)
            return binding.SslCtlIdentifier is null ? [] : throw new FormatException("a trust list needs the store that holds its certificates (sslctlstorename)");
        var store = snapshot.Store(storeName);
        var issuers = binding.SslCtlIdentifier is { } id ? TrustList.Select(TrustList.PathOf(options.TrustListFolderOrDefault, id), storeName, store) : store;
        // An empty list would mean "no issuer named" to the engine, which then verifies against the system roots:
        // a store emptied after the binding was made must leave the binding unserved, never trust more.
        if (issuers.Count == 0)
            throw new FormatException($"the {storeName} store has no certificates to trust (an empty list would fall back to the system roots)");
        return issuers;
    }

    /// <summary>The engine policy of a binding: its certificate, protocol switches, ALPN, client-certificate and resumption settings.</summary>
    internal static TlsServerPolicy Policy(SslBinding b, ServerCertificate certificate, X509Certificate2Collection issuers, IReadOnlyList<string> alpn,
        OcspResponseFiles? ocsp = null, TlsVersions serverProtocols = ProtocolSwitches.Default)
    {
        // disableocspstapling: no staple; otherwise <THUMBPRINT>.ocsp in the OCSP folder, reloaded when it changes.
        certificate = certificate.WithOcspResponse(b.DisableOcspStapling || ocsp is null ? null : ocsp.For(certificate.Certificate));
        var options = new TlsServerOptions
        {
            Name = b.Key.ToString(),
            Certificates = [certificate],
            Versions = ProtocolSwitches.For(b, serverProtocols),
            // A refused version names the commands that would allow it here: the binding's switch and/or the server's.
            VersionSwitchHint = flag => ProtocolSwitches.Hint(b, serverProtocols, flag),
            ApplicationProtocols = [.. alpn.Where(p => !(b.DisableHttp2 && p == "h2"))],
            ClientCertificateMode = b.ClientCertNegotiation switch
            {
                ClientCertNegotiation.Enable => ClientCertificateMode.Optional,
                ClientCertNegotiation.Require => ClientCertificateMode.Required,
                _ => ClientCertificateMode.None,
            },
            TrustedIssuers = [.. issuers],
            ClientCertificateRevocation = b.VerifyClientCertRevocation ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
            ClientCertificateUsageCheck = b.UsageCheck,
            EnableSessionTickets = b.EnableSessionTicket ?? true,
            EnableSessionIds = !b.DisableSessionId,
        };
        return new TlsServerPolicy(options);
    }

    /// <summary>Why a binding has no version left: "disabletls12 and disabletls13 with the server's switches on TLS 1.2, TLS 1.3 only".</summary>
    internal static string NoVersionLeft(SslBinding b, TlsVersions serverProtocols)
    {
        var off = new List<string>();
        if (b.DisableLegacyTls) off.Add("disablelegacytls");
        if (b.DisableTls12) off.Add("disabletls12");
        if (b.DisableTls13) off.Add("disabletls13");
        return $"no protocol version is left: the server's switches enable {ProtocolSwitches.Describe(serverProtocols)} and the binding has " +
               $"{string.Join(" and ", off)} (turn one off, or a version on: sharptls http update protocols tls1.1=enable)";
    }

    /// <summary>The certificate a binding serves with in this table (null for <c>ccs</c> and bindings not served).</summary>
    public X509Certificate2? CertificateOf(BindingKey key) => key.Kind switch
    {
        BindingKind.IpPort => _ip.GetValueOrDefault((key.Address!, key.Port))?.Certificate,
        BindingKind.HostnamePort when key.IsWildcard => _wildcard.GetValueOrDefault((key.HostName![2..], key.Port))?.Certificate,
        BindingKind.HostnamePort => _exact.GetValueOrDefault((key.HostName!, key.Port))?.Certificate,
        _ => null,
    };

    private sealed class Entry(SslBinding binding, TlsServerPolicy policy, X509Certificate2 certificate)
    {
        public SslBinding Binding { get; } = binding;
        public TlsServerPolicy Policy { get; } = policy;
        public X509Certificate2 Certificate { get; } = certificate;

        public BindingMatch Match(BindingRule rule, string? serverName) => new(Binding, Policy, rule, serverName);
    }
}
