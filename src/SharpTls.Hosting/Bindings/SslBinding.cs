using System.Text;

namespace SharpTls.Hosting.Bindings;

/// <summary>How a binding asks for client certificates (<c>clientcertnegotiation</c>).</summary>
public enum ClientCertNegotiation
{
    /// <summary><c>disable</c>: no CertificateRequest.</summary>
    Disable,
    /// <summary><c>enable</c>: a certificate is asked for in the handshake; a client without one is still served (netsh's meaning).</summary>
    Enable,
    /// <summary><c>require</c> (a SharpTls extension): a client without an acceptable certificate is refused with an alert.</summary>
    Require,
}

/// <summary>
/// One SSL binding with netsh's settings and names (our <c>SslBindingInfo</c> entry). Immutable; build
/// changed copies with <c>with</c>, or from netsh arguments with <see cref="Parse(IEnumerable{string}, SslBinding?)"/>.
/// </summary>
public sealed record SslBinding
{
    /// <summary>The binding's key (<c>ipport</c>, <c>hostnameport</c> or <c>ccs</c>).</summary>
    public required BindingKey Key { get; init; }

    /// <summary><c>certhash</c>: the SHA-1 thumbprint of the certificate, 40 upper-case hex digits. Null for <c>ccs</c>.</summary>
    public string? CertificateHash { get; init; }

    /// <summary><c>certstorename</c>: the store the certificate is in (CurrentUser), default <c>MY</c>.</summary>
    public string CertificateStoreName { get; init; } = "MY";

    /// <summary><c>appid</c>: the GUID of the owning application.</summary>
    public Guid AppId { get; init; }

    /// <summary><c>clientcertnegotiation</c>: whether client certificates are asked for.</summary>
    public ClientCertNegotiation ClientCertNegotiation { get; init; }

    /// <summary><c>verifyclientcertrevocation</c>: checks client certificates for revocation (netsh's default: enabled).</summary>
    public bool VerifyClientCertRevocation { get; init; } = true;

    /// <summary><c>usagecheck</c>: a client certificate must allow client authentication (clientAuth extended key usage and digitalSignature key usage, where it lists them); default enabled.</summary>
    public bool UsageCheck { get; init; } = true;

    /// <summary><c>sslctlidentifier</c>: the trust list (<see cref="Certificates.TrustList"/>) naming which certificates of <see cref="SslCtlStoreName"/> are the trusted issuers; null: all of them.</summary>
    public string? SslCtlIdentifier { get; init; }

    /// <summary><c>sslctlstorename</c>: the store (CurrentUser) whose certificates are the trusted issuers sent in CertificateRequest.</summary>
    public string? SslCtlStoreName { get; init; }

    /// <summary><c>disablelegacytls</c>: no SSL 3.0, TLS 1.0 or TLS 1.1 on this binding, even where the server's
    /// protocol switches (<see cref="ProtocolSwitches"/>, Schannel's machine-wide keys) enable them.</summary>
    public bool DisableLegacyTls { get; init; }

    /// <summary><c>disabletls12</c>: no TLS 1.2 on this binding.</summary>
    public bool DisableTls12 { get; init; }

    /// <summary><c>disabletls13</c>: no TLS 1.3 on this binding.</summary>
    public bool DisableTls13 { get; init; }

    /// <summary><c>disablehttp2</c>: ALPN h2 is not offered (clients get HTTP/1.1).</summary>
    public bool DisableHttp2 { get; init; }

    /// <summary><c>enablesessionticket</c>: null is netsh's "Not Set" (tickets on, the engine's default); false turns them off.</summary>
    public bool? EnableSessionTicket { get; init; }

    /// <summary><c>disablesessionid</c>: no TLS 1.2 resumption by session ID.</summary>
    public bool DisableSessionId { get; init; }

    /// <summary><c>disableocspstapling</c>: no OCSP response is stapled, even when the OCSP folder has one for the certificate
    /// (<see cref="BindingHostOptions.OcspResponseFolder"/>).</summary>
    public bool DisableOcspStapling { get; init; }

    /// <summary><c>logextendedevents</c>: the host logs extra events for this binding's handshakes.</summary>
    public bool LogExtendedEvents { get; init; }

    /// <summary>
    /// <c>http2receivewindow</c>: HTTP.sys' extended property 0 (<c>HTTP2_WINDOW_SIZE_PARAM.Http2ReceiveWindowSize</c>), the
    /// HTTP/2 receive window in bytes; null is "not set" (<see cref="ExtendedProperties.DefaultReceiveWindow"/>). Kestrel has
    /// one window per server: see <see cref="ExtendedProperties"/> for how <c>serve</c> applies it.
    /// </summary>
    public int? Http2ReceiveWindow { get; init; }

    /// <summary>
    /// <c>http2maxsettingsperframe</c>: HTTP.sys' extended property 1, first half (<c>Http2MaxSettingsPerFrame</c>): a client
    /// SETTINGS frame with more parameters than this closes the connection. Null is "not set" (no limit).
    /// </summary>
    public int? Http2MaxSettingsPerFrame { get; init; }

    /// <summary>
    /// <c>http2maxsettingsperminute</c>: HTTP.sys' extended property 1, second half (<c>Http2MaxSettingsPerMinute</c>): more
    /// SETTINGS parameters than this from one client within a minute close the connection. Null is "not set" (no limit).
    /// </summary>
    public long? Http2MaxSettingsPerMinute { get; init; }

    /// <summary>The parameters <see cref="Parse(IEnumerable{string}, SslBinding?)"/> knows, in the order <see cref="ToCommandLine"/> writes them.</summary>
    public static IReadOnlyList<string> ParameterNames { get; } =
    [
        "ipport", "hostnameport", "ccs", "certhash", "appid", "certstorename", "clientcertnegotiation",
        "verifyclientcertrevocation", "usagecheck", "sslctlidentifier", "sslctlstorename", "disablelegacytls",
        "disabletls12", "disabletls13", "disablehttp2", "enablesessionticket", "disablesessionid",
        "disableocspstapling", "logextendedevents", "http2receivewindow", "http2maxsettingsperframe", "http2maxsettingsperminute",
    ];

    // netsh parameters SharpTls does not implement: refused by name rather than as unknown.
    private static readonly string[] NotSupported =
    [
        "revocationfreshnesstime", "urlretrievaltimeout", "verifyrevocationwithcachedclientcertonly",
        "dsmapperusage", "disablequic", "enabletokenbinding", "enableclientcorrelation", "extendedproperties",
        "rejectconnections", "disablelegacytlsversions",
    ];

    /// <summary>
    /// Parses netsh arguments (<c>name=value</c>, names case-insensitive) onto <paramref name="baseline"/> (for
    /// <c>update</c>) or onto the defaults. The key parameter is required unless <paramref name="baseline"/> gives it.
    /// </summary>
    /// <exception cref="FormatException">An unknown, repeated or invalid parameter; the message names it.</exception>
    public static SslBinding Parse(IEnumerable<string> arguments, SslBinding? baseline = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        BindingKey? key = baseline?.Key;
        bool keyGiven = false;
        var b = baseline ?? new SslBinding { Key = BindingKey.Ccs(1) };
        foreach (string argument in arguments)
        {
            int eq = argument.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0) throw new FormatException($"'{argument}': expected name=value");
            string name = argument[..eq].ToLowerInvariant();
            string value = argument[(eq + 1)..];
            if (!seen.Add(name)) throw new FormatException($"'{name}' is given twice");
            if (BindingKey.Parse(name, value) is { } k)
            {
                if (keyGiven) throw new FormatException($"'{name}': a binding has one key (ipport, hostnameport or ccs)");
                key = k;
                keyGiven = true;
                continue;
            }
            b = name switch
            {
                "certhash" => b with { CertificateHash = ParseHash(value) },
                "appid" => b with { AppId = ParseGuid(value) },
                "certstorename" => b with { CertificateStoreName = ParseStoreName(name, value) },
                "clientcertnegotiation" => b with { ClientCertNegotiation = ParseNegotiation(value) },
                "verifyclientcertrevocation" => b with { VerifyClientCertRevocation = ParseSwitch(name, value) },
                "usagecheck" => b with { UsageCheck = ParseSwitch(name, value) },
                "sslctlidentifier" => b with { SslCtlIdentifier = ParseText(name, value) },
                "sslctlstorename" => b with { SslCtlStoreName = ParseStoreName(name, value) },
                "disablelegacytls" => b with { DisableLegacyTls = ParseSwitch(name, value) },
                "disabletls12" => b with { DisableTls12 = ParseSwitch(name, value) },
                "disabletls13" => b with { DisableTls13 = ParseSwitch(name, value) },
                "disablehttp2" => b with { DisableHttp2 = ParseSwitch(name, value) },
                "enablesessionticket" => b with { EnableSessionTicket = ParseSwitch(name, value) },
                "disablesessionid" => b with { DisableSessionId = ParseSwitch(name, value) },
                "disableocspstapling" => b with { DisableOcspStapling = ParseSwitch(name, value) },
                "logextendedevents" => b with { LogExtendedEvents = ParseSwitch(name, value) },
                "http2receivewindow" => b with { Http2ReceiveWindow = (int)ParseNumber(name, value, ExtendedProperties.MinReceiveWindow, ExtendedProperties.MaxReceiveWindow) },
                "http2maxsettingsperframe" => b with { Http2MaxSettingsPerFrame = (int)ParseNumber(name, value, ExtendedProperties.MinSettingsLimit, ExtendedProperties.DefaultMaxSettingsPerFrame) },
                "http2maxsettingsperminute" => b with { Http2MaxSettingsPerMinute = ParseNumber(name, value, ExtendedProperties.MinSettingsLimit, ExtendedProperties.DefaultMaxSettingsPerMinute) },
                _ when NotSupported.Contains(name) => throw new FormatException($"'{name}' is a netsh parameter SharpTls does not support"),
                _ => throw new FormatException($"'{name}' is not a parameter of sslcert (known: {string.Join(", ", ParameterNames)})"),
            };
        }
        if (key is null) throw new FormatException("the binding's key is missing: ipport=IP:port, hostnameport=host:port or ccs=port");
        b = b with { Key = key };
        if (b.Key.Kind == BindingKind.Ccs)
        {
            if (b.CertificateHash is not null) throw new FormatException("certhash: a ccs binding takes its certificates from the central certificate store, not by hash");
        }
        else if (b.CertificateHash is null)
            throw new FormatException($"certhash is required for {b.Key.ParameterName} bindings");
        // disabletls12 with disabletls13 leaves the legacy versions, which the server's protocol switches may enable
        // (ProtocolSwitches; BindingAdmin checks against them when binding); with disablelegacytls too, nothing is left.
        if (b.DisableTls12 && b.DisableTls13 && b.DisableLegacyTls)
            throw new FormatException("disablelegacytls, disabletls12 and disabletls13 together leave no protocol version");
        return b;
    }

    /// <summary>The binding in netsh's syntax, key first: <c>ipport=0.0.0.0:8443 certhash=… appid={…} certstorename=MY …</c>.
    /// Settings at their defaults are left out (except the store name).</summary>
    public string ToCommandLine()
    {
        var parts = new List<string> { Key.ToString() };
        if (CertificateHash is not null) parts.Add($"certhash={CertificateHash}");
        parts.Add($"appid={AppId:B}");
        if (Key.Kind != BindingKind.Ccs) parts.Add($"certstorename={Quote(CertificateStoreName)}");
        if (ClientCertNegotiation != ClientCertNegotiation.Disable) parts.Add($"clientcertnegotiation={ClientCertNegotiation.ToString().ToLowerInvariant()}");
        if (!VerifyClientCertRevocation) parts.Add("verifyclientcertrevocation=disable");
        if (!UsageCheck) parts.Add("usagecheck=disable");
        if (SslCtlIdentifier is not null) parts.Add($"sslctlidentifier={Quote(SslCtlIdentifier)}");
        if (SslCtlStoreName is not null) parts.Add($"sslctlstorename={Quote(SslCtlStoreName)}");
        if (DisableLegacyTls) parts.Add("disablelegacytls=enable");
        if (DisableTls12) parts.Add("disabletls12=enable");
        if (DisableTls13) parts.Add("disabletls13=enable");
        if (DisableHttp2) parts.Add("disablehttp2=enable");
        if (EnableSessionTicket is { } t) parts.Add($"enablesessionticket={(t ? "enable" : "disable")}");
        if (DisableSessionId) parts.Add("disablesessionid=enable");
        if (DisableOcspStapling) parts.Add("disableocspstapling=enable");
        if (LogExtendedEvents) parts.Add("logextendedevents=enable");
        if (Http2ReceiveWindow is { } w) parts.Add(FormattableString.Invariant($"http2receivewindow={w}"));
        if (Http2MaxSettingsPerFrame is { } f) parts.Add(FormattableString.Invariant($"http2maxsettingsperframe={f}"));
        if (Http2MaxSettingsPerMinute is { } m) parts.Add(FormattableString.Invariant($"http2maxsettingsperminute={m}"));
        return string.Join(' ', parts);
    }

    /// <summary>Splits a command line (or a bindings-file line) into arguments: spaces separate, double quotes group.</summary>
    /// <exception cref="FormatException">An unterminated quote.</exception>
    public static List<string> SplitArguments(string line)
    {
        var result = new List<string>();
        var current = new StringBuilder();
        bool inQuotes = false, any = false;
        foreach (char c in line)
        {
            if (c == '"') { inQuotes = !inQuotes; any = true; continue; }
            if (!inQuotes && char.IsWhiteSpace(c))
            {
                if (any) result.Add(current.ToString());
                current.Clear();
                any = false;
                continue;
            }
            current.Append(c);
            any = true;
        }
        if (inQuotes) throw new FormatException("a quote is not closed");
        if (any) result.Add(current.ToString());
        return result;
    }

    private static string Quote(string value) => value.Any(char.IsWhiteSpace) || value.Length == 0 ? $"\"{value}\"" : value;

    private static string ParseHash(string value)
    {
        if (value.Length != 40 || !value.All(Uri.IsHexDigit))
            throw new FormatException($"certhash={value}: expected the SHA-1 thumbprint, 40 hex digits");
        return value.ToUpperInvariant();
    }

    private static Guid ParseGuid(string value)
    {
        if (!Guid.TryParseExact(value, "B", out var guid) && !Guid.TryParseExact(value, "D", out guid))
            throw new FormatException($"appid={value}: expected a GUID such as {{00112233-4455-6677-8899-aabbccddeeff}}");
        return guid;
    }

    private static string ParseStoreName(string name, string value)
    {
        if (value.Length is 0 or > 64 || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') || value.StartsWith('.'))
            throw new FormatException($"{name}={value}: expected a store name (letters, digits, '_', '-', '.')");
        return value;
    }

    private static string ParseText(string name, string value)
    {
        if (value.Length is 0 or > 256 || value.Any(char.IsControl))
            throw new FormatException($"{name}={value}: expected a name of 1 to 256 printable characters");
        return value;
    }

    private static long ParseNumber(string name, string value, long min, long max)
    {
        if (value.Length is 0 or > 10 || !value.All(char.IsAsciiDigit)
            || !long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out long n)
            || n < min || n > max)
            throw new FormatException(FormattableString.Invariant($"{name}={value}: expected a number from {min} to {max}"));
        return n;
    }

    private static bool ParseSwitch(string name, string value) => value.ToLowerInvariant() switch
    {
        "enable" => true,
        "disable" => false,
        _ => throw new FormatException($"{name}={value}: expected enable or disable"),
    };

    private static ClientCertNegotiation ParseNegotiation(string value) => value.ToLowerInvariant() switch
    {
        "enable" => ClientCertNegotiation.Enable,
        "disable" => ClientCertNegotiation.Disable,
        "require" => ClientCertNegotiation.Require,
        _ => throw new FormatException($"clientcertnegotiation={value}: expected enable, disable or require"),
    };

    /// <summary>The setting as netsh's <c>show</c> spells a flag (<c>Set</c> / <c>Not Set</c>).</summary>
    internal static string SetOrNot(bool value) => value ? "Set" : "Not Set";

    /// <summary>The setting as netsh's <c>show</c> spells a switch (<c>Enabled</c> / <c>Disabled</c>).</summary>
    internal static string EnabledOrNot(bool value) => value ? "Enabled" : "Disabled";
}
