using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Tests.Bindings;

public class SslBindingParseTests
{
    private const string Hash = "0123456789ABCDEF0123456789ABCDEF01234567";

    [Fact]
    public void Every_netsh_setting_round_trips_through_the_command_line()
    {
        var b = SslBinding.Parse(SslBinding.SplitArguments(
            $"hostnameport=www.contoso.test:8443 certhash={Hash.ToLowerInvariant()} appid={{4dc3e181-e14b-4a21-b022-59fc669b0914}} certstorename=WebHosting " +
            "clientcertnegotiation=enable verifyclientcertrevocation=disable usagecheck=disable sslctlidentifier=\"Partner CAs\" sslctlstorename=ClientAuthIssuer " +
            "disablelegacytls=enable disabletls12=enable disablehttp2=enable enablesessionticket=disable disablesessionid=enable " +
            "disableocspstapling=enable logextendedevents=enable http2receivewindow=262144 http2maxsettingsperframe=7 http2maxsettingsperminute=30"));
        Assert.Equal(Hash, b.CertificateHash);
        Assert.Equal("WebHosting", b.CertificateStoreName);
        Assert.Equal(Guid.Parse("4dc3e181-e14b-4a21-b022-59fc669b0914"), b.AppId);
        Assert.Equal(ClientCertNegotiation.Enable, b.ClientCertNegotiation);
        Assert.False(b.VerifyClientCertRevocation);
        Assert.False(b.UsageCheck);
        Assert.Equal("Partner CAs", b.SslCtlIdentifier);
        Assert.Equal("ClientAuthIssuer", b.SslCtlStoreName);
        Assert.True(b.DisableLegacyTls && b.DisableTls12 && !b.DisableTls13 && b.DisableHttp2 && b.DisableSessionId && b.DisableOcspStapling && b.LogExtendedEvents);
        Assert.False(b.EnableSessionTicket);
        Assert.Equal(262144, b.Http2ReceiveWindow);
        Assert.Equal(7, b.Http2MaxSettingsPerFrame);
        Assert.Equal(30L, b.Http2MaxSettingsPerMinute);
        Assert.Equal(b, SslBinding.Parse(SslBinding.SplitArguments(b.ToCommandLine())));
    }

    [Fact]
    public void Defaults_are_netsh_defaults()
    {
        var b = SslBinding.Parse([$"ipport=0.0.0.0:443", $"certhash={Hash}"]);
        Assert.Equal("MY", b.CertificateStoreName);
        Assert.True(b.VerifyClientCertRevocation);
        Assert.True(b.UsageCheck);
        Assert.Equal(ClientCertNegotiation.Disable, b.ClientCertNegotiation);
        Assert.Null(b.EnableSessionTicket);
        Assert.Null(b.Http2ReceiveWindow);
        Assert.Null(ExtendedProperties.SettingsLimitsOf(b)); // nothing to enforce: no guard on its connections
        Assert.DoesNotContain("http2", b.ToCommandLine(), StringComparison.Ordinal);
        Assert.Equal(b, SslBinding.Parse(SslBinding.SplitArguments(b.ToCommandLine())));
    }

    [Fact]
    public void Update_changes_only_what_is_given()
    {
        var before = SslBinding.Parse([$"ipport=0.0.0.0:443", $"certhash={Hash}", "disablehttp2=enable", "clientcertnegotiation=enable"]);
        var after = SslBinding.Parse(["ipport=0.0.0.0:443", "disabletls13=enable"], before);
        Assert.Equal(before with { DisableTls13 = true }, after);
    }

    [Theory]
    [InlineData("ipport=0.0.0.0:443 certhash=XYZ", "certhash")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF0123456", "40 hex digits")]
    [InlineData("ipport=0.0.0.0:443", "certhash is required")]
    [InlineData("ccs=443 certhash=0123456789ABCDEF0123456789ABCDEF01234567", "central certificate store")]
    [InlineData("certhash=0123456789ABCDEF0123456789ABCDEF01234567", "key is missing")]
    [InlineData("ipport=0.0.0.0:443 hostnameport=a.test:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567", "one key")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 disablehttp2=yes", "enable or disable")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 disablehttp2=enable disablehttp2=disable", "twice")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 appid=notaguid", "GUID")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 dsmapperusage=enable", "does not support")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 frobnicate=1", "not a parameter")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 certstorename=../x", "store name")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 disabletls12=enable disabletls13=enable disablelegacytls=enable", "no protocol version")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 justaword", "name=value")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 http2receivewindow=65534", "from 65535 to 2147483647")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 http2receivewindow=1MB", "http2receivewindow=1MB")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 http2maxsettingsperframe=6", "from 7 to 2796202")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 http2maxsettingsperframe=2796203", "from 7 to 2796202")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 http2maxsettingsperminute=4294967296", "from 7 to 4294967295")]
    [InlineData("ipport=0.0.0.0:443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 http2maxsettingsperminute=-1", "from 7 to 4294967295")]
    public void Refuses_wrong_parameters_naming_them(string line, string expected)
    {
        var e = Assert.ThrowsAny<FormatException>(() => SslBinding.Parse(SslBinding.SplitArguments(line)));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }
}
