using System.Text;
using System.Text.Json;

namespace SharpTls.Hosting.Bindings;

/// <summary>Prints bindings as <c>netsh http show sslcert</c> does (its labels, its layout), or as JSON.</summary>
public static class NetshFormat
{
    /// <summary>
    /// The <c>show sslcert</c> text: the heading, then one block per binding with netsh's lines in netsh's order (as
    /// Windows Server 2022 prints them). Lines for netsh settings SharpTls does not implement show the value netsh shows
    /// when they are off (<c>Disabled</c>, <c>0</c>, <c>Not Set</c>), so scripts that read them find them. Each block ends
    /// with netsh's "Extended Properties" (<see cref="ExtendedProperties"/>), laid out as Windows prints them (each block
    /// headed by a line indented one space): PropertyId 0, the receive window, and PropertyId 1, the SETTINGS limits, with
    /// the binding's values or the values Windows shows when they are not set.
    /// SharpTls' two extensions: <c>Negotiate Client Certificate : Required</c> (<c>clientcertnegotiation=require</c>) and
    /// <c>Enable Session Ticket : Disabled</c> (<c>enablesessionticket=disable</c>: tickets off, where "Not Set" is the
    /// engine's default, on). With <paramref name="serverProtocols"/>, a block of SharpTls' own follows the bindings: the
    /// server's protocol switches (<see cref="ProtocolSwitches"/>, what Schannel keeps in the registry and netsh does not
    /// show), which with each binding's <c>Disable Legacy TLS Versions</c>, <c>Disable TLS1.2</c> and <c>Disable TLS1.3</c>
    /// say which versions a binding speaks.
    /// </summary>
    public static string Show(IEnumerable<SslBinding> bindings, TlsVersions? serverProtocols = null)
    {
        var sb = new StringBuilder();
        sb.Append('\n').Append("SSL Certificate bindings:\n").Append("-------------------------\n").Append('\n');
        foreach (var b in bindings)
        {
            string keyLabel = b.Key.Kind switch
            {
                BindingKind.IpPort => "IP:port",
                BindingKind.HostnamePort => "Hostname:port",
                _ => "Central Certificate Store",
            };
            Line(sb, keyLabel, b.Key.Value);
            Line(sb, "Certificate Hash", b.CertificateHash?.ToLowerInvariant() ?? "(null)"); // netsh prints the hash in lower case
            Line(sb, "Application ID", b.AppId.ToString("B"));
            Line(sb, "Certificate Store Name", b.Key.Kind == BindingKind.Ccs ? "(null)" : b.CertificateStoreName);
            Line(sb, "Verify Client Certificate Revocation", SslBinding.EnabledOrNot(b.VerifyClientCertRevocation));
            Line(sb, "Verify Revocation Using Cached Client Certificate Only", "Disabled");
            Line(sb, "Usage Check", SslBinding.EnabledOrNot(b.UsageCheck));
            Line(sb, "Revocation Freshness Time", "0");
            Line(sb, "URL Retrieval Timeout", "0");
            Line(sb, "Ctl Identifier", b.SslCtlIdentifier ?? "(null)");
            Line(sb, "Ctl Store Name", b.SslCtlStoreName ?? "(null)");
            Line(sb, "DS Mapper Usage", "Disabled");
            Line(sb, "Negotiate Client Certificate", b.ClientCertNegotiation switch
            {
                ClientCertNegotiation.Enable => "Enabled",
                ClientCertNegotiation.Require => "Required",
                _ => "Disabled",
            });
            Line(sb, "Reject Connections", "Disabled");
            Line(sb, "Disable HTTP2", SslBinding.SetOrNot(b.DisableHttp2));
            Line(sb, "Disable QUIC", "Not Set");
            Line(sb, "Disable TLS1.2", SslBinding.SetOrNot(b.DisableTls12));
            Line(sb, "Disable TLS1.3", SslBinding.SetOrNot(b.DisableTls13));
            Line(sb, "Disable OCSP Stapling", SslBinding.SetOrNot(b.DisableOcspStapling));
            Line(sb, "Enable Token Binding", "Not Set");
            Line(sb, "Log Extended Events", SslBinding.SetOrNot(b.LogExtendedEvents));
            Line(sb, "Disable Legacy TLS Versions", SslBinding.SetOrNot(b.DisableLegacyTls));
            Line(sb, "Enable Session Ticket", b.EnableSessionTicket switch { null => "Not Set", true => "Set", false => "Disabled" });
            Line(sb, "Disable Session ID", SslBinding.SetOrNot(b.DisableSessionId));
            Line(sb, "Enable Caching Client Hello", "Not Set");
            var invariant = System.Globalization.CultureInfo.InvariantCulture;
            sb.Append(" Extended Properties:\n");
            Line(sb, "PropertyId", "0");
            Line(sb, "Receive Window", ExtendedProperties.ReceiveWindowOf(b).ToString(invariant));
            sb.Append(" Extended Properties:\n");
            Line(sb, "PropertyId", "1");
            Line(sb, "Max Settings Per Frame", (b.Http2MaxSettingsPerFrame ?? ExtendedProperties.DefaultMaxSettingsPerFrame).ToString(invariant));
            Line(sb, "Max Settings Per Minute", (b.Http2MaxSettingsPerMinute ?? ExtendedProperties.DefaultMaxSettingsPerMinute).ToString(invariant));
            sb.Append('\n');
        }
        if (serverProtocols is { } protocols) sb.Append(Protocols(protocols));
        return sb.ToString();
    }

    /// <summary>
    /// The server's protocol switches in the layout of a netsh block (<c>http show protocols</c>, and after the bindings in
    /// <c>http show sslcert</c>): one line per version, Schannel's key names, <c>Enabled</c> or <c>Disabled</c>.
    /// </summary>
    public static string Protocols(TlsVersions serverProtocols)
    {
        var sb = new StringBuilder();
        const string title = "Server protocol switches (Schannel's Protocols\\<name>\\Server\\Enabled):";
        sb.Append(title).Append('\n').Append('-', title.Length).Append('\n').Append('\n');
        foreach (var (_, name, enabled) in ProtocolSwitches.Each(serverProtocols))
            Line(sb, name, SslBinding.EnabledOrNot(enabled));
        sb.Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// The bindings as a JSON array, one object per binding with netsh's parameter names; with
    /// <paramref name="serverProtocols"/>, each also lists the versions it speaks under them (<c>protocols</c>).
    /// </summary>
    public static string Json(IEnumerable<SslBinding> bindings, TlsVersions? serverProtocols = null)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var b in bindings)
            {
                w.WriteStartObject();
                w.WriteString("kind", b.Key.ParameterName);
                w.WriteString(b.Key.ParameterName, b.Key.Value);
                w.WriteString("port", b.Key.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
                if (b.CertificateHash is null) w.WriteNull("certhash"); else w.WriteString("certhash", b.CertificateHash);
                w.WriteString("appid", b.AppId.ToString("B"));
                w.WriteString("certstorename", b.CertificateStoreName);
                w.WriteString("clientcertnegotiation", b.ClientCertNegotiation.ToString().ToLowerInvariant());
                w.WriteBoolean("verifyclientcertrevocation", b.VerifyClientCertRevocation);
                w.WriteBoolean("usagecheck", b.UsageCheck);
                if (b.SslCtlIdentifier is null) w.WriteNull("sslctlidentifier"); else w.WriteString("sslctlidentifier", b.SslCtlIdentifier);
                if (b.SslCtlStoreName is null) w.WriteNull("sslctlstorename"); else w.WriteString("sslctlstorename", b.SslCtlStoreName);
                w.WriteBoolean("disablelegacytls", b.DisableLegacyTls);
                w.WriteBoolean("disabletls12", b.DisableTls12);
                w.WriteBoolean("disabletls13", b.DisableTls13);
                w.WriteBoolean("disablehttp2", b.DisableHttp2);
                if (b.EnableSessionTicket is { } t) w.WriteBoolean("enablesessionticket", t); else w.WriteNull("enablesessionticket");
                w.WriteBoolean("disablesessionid", b.DisableSessionId);
                w.WriteBoolean("disableocspstapling", b.DisableOcspStapling);
                w.WriteBoolean("logextendedevents", b.LogExtendedEvents);
                w.WriteNumber("http2receivewindow", ExtendedProperties.ReceiveWindowOf(b));
                w.WriteNumber("http2maxsettingsperframe", b.Http2MaxSettingsPerFrame ?? ExtendedProperties.DefaultMaxSettingsPerFrame);
                w.WriteNumber("http2maxsettingsperminute", b.Http2MaxSettingsPerMinute ?? ExtendedProperties.DefaultMaxSettingsPerMinute);
                if (serverProtocols is { } protocols)
                {
                    w.WriteStartArray("protocols");
                    foreach (string name in ProtocolSwitches.Names(ProtocolSwitches.For(b, protocols))) w.WriteStringValue(name);
                    w.WriteEndArray();
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    // netsh pads labels to a column; longer labels push the colon out, as netsh's own output does.
    private static void Line(StringBuilder sb, string label, string value)
        => sb.Append("    ").Append(label.PadRight(28)).Append(" : ").Append(value).Append('\n');
}
