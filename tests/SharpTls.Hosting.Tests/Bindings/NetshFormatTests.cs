using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary><c>http show sslcert</c> against the layout netsh prints on Windows Server 2022 (labels, order, column, values when off).</summary>
public sealed class NetshFormatTests
{
    private const string Hash = "61D34F532DA121BBAB64723C4871E72C92F03735";
    private static readonly Guid App = new("214124cd-d05b-4309-9af9-9caa44b2b74a");

    [Fact]
    public void A_default_ipport_binding_prints_netshs_block_line_for_line()
    {
        var b = SslBinding.Parse(["ipport=0.0.0.0:44307", $"certhash={Hash}", $"appid={{{App}}}", "certstorename=MY"]);
        // netsh's block for the same binding on Windows Server 2022, as pasted in public notes (docs/bindings.md cites them):
        // the "Extended Properties" headings are indented one space, each PropertyId has its own, and a binding that sets
        // none shows Windows' values (receive window 1 MiB, SETTINGS limits at their maximum: no limit).
        string app = App.ToString("B");
        string netsh = $"""

            SSL Certificate bindings:
            -------------------------

                IP:port                      : 0.0.0.0:44307
                Certificate Hash             : {Hash.ToLowerInvariant()}
                Application ID               : {app}
                Certificate Store Name       : MY
                Verify Client Certificate Revocation : Enabled
                Verify Revocation Using Cached Client Certificate Only : Disabled
                Usage Check                  : Enabled
                Revocation Freshness Time    : 0
                URL Retrieval Timeout        : 0
                Ctl Identifier               : (null)
                Ctl Store Name               : (null)
                DS Mapper Usage              : Disabled
                Negotiate Client Certificate : Disabled
                Reject Connections           : Disabled
                Disable HTTP2                : Not Set
                Disable QUIC                 : Not Set
                Disable TLS1.2               : Not Set
                Disable TLS1.3               : Not Set
                Disable OCSP Stapling        : Not Set
                Enable Token Binding         : Not Set
                Log Extended Events          : Not Set
                Disable Legacy TLS Versions  : Not Set
                Enable Session Ticket        : Not Set
                Disable Session ID           : Not Set
                Enable Caching Client Hello  : Not Set
             Extended Properties:
                PropertyId                   : 0
                Receive Window               : 1048576
             Extended Properties:
                PropertyId                   : 1
                Max Settings Per Frame       : 2796202
                Max Settings Per Minute      : 4294967295


            """;
        Assert.Equal(netsh.Split('\n'), NetshFormat.Show([b]).Split('\n'));
        // Windows' default window is Kestrel's default connection window: an unset binding changes nothing in Kestrel.
        Assert.Equal(ExtendedProperties.DefaultReceiveWindow, new Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerLimits().Http2.InitialConnectionWindowSize);
    }

    [Fact]
    public void Settings_that_are_on_print_as_netsh_prints_them()
    {
        var b = SslBinding.Parse(["hostnameport=www.contoso.test:443", $"certhash={Hash}", $"appid={{{App}}}", "clientcertnegotiation=enable",
            "usagecheck=disable", "verifyclientcertrevocation=disable", "sslctlidentifier=Partners", "sslctlstorename=CA", "disablehttp2=enable",
            "disabletls13=enable", "enablesessionticket=enable", "disablesessionid=enable", "logextendedevents=enable", "disablelegacytls=enable"]);
        string text = NetshFormat.Show([b]);
        foreach (string line in new[]
        {
            "    Hostname:port                : www.contoso.test:443",
            "    Verify Client Certificate Revocation : Disabled",
            "    Usage Check                  : Disabled",
            "    Ctl Identifier               : Partners",
            "    Ctl Store Name               : CA",
            "    Negotiate Client Certificate : Enabled",
            "    Disable HTTP2                : Set",
            "    Disable TLS1.3               : Set",
            "    Log Extended Events          : Set",
            "    Disable Legacy TLS Versions  : Set",
            "    Enable Session Ticket        : Set",
            "    Disable Session ID           : Set",
        })
            Assert.Contains(line + "\n", text, StringComparison.Ordinal);
        var h2 = NetshFormat.Show([b with { Http2ReceiveWindow = 262144, Http2MaxSettingsPerFrame = 7, Http2MaxSettingsPerMinute = 30 }]);
        Assert.Contains(" Extended Properties:\n    PropertyId                   : 0\n    Receive Window               : 262144\n" +
            " Extended Properties:\n    PropertyId                   : 1\n    Max Settings Per Frame       : 7\n    Max Settings Per Minute      : 30\n", h2, StringComparison.Ordinal);
        Assert.Contains("    Central Certificate Store    : 9443\n", NetshFormat.Show([SslBinding.Parse(["ccs=9443", $"appid={{{App}}}"])]), StringComparison.Ordinal);
    }
}
