using System.Net;
using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Tests.Bindings;

public class BindingKeyTests
{
    [Theory]
    [InlineData("ipport=0.0.0.0:8443", BindingKind.IpPort, "0.0.0.0:8443", true)]
    [InlineData("ipport=127.0.0.1:443", BindingKind.IpPort, "127.0.0.1:443", false)]
    [InlineData("ipport=[::]:443", BindingKind.IpPort, "[::]:443", true)]
    [InlineData("ipport=[::1]:8443", BindingKind.IpPort, "[::1]:8443", false)]
    [InlineData("IPPORT=[::ffff:127.0.0.1]:8443", BindingKind.IpPort, "127.0.0.1:8443", false)]
    [InlineData("hostnameport=WWW.Contoso.Test:8443", BindingKind.HostnamePort, "www.contoso.test:8443", false)]
    [InlineData("hostnameport=www.contoso.test.:8443", BindingKind.HostnamePort, "www.contoso.test:8443", false)]
    [InlineData("hostnameport=*.contoso.test:443", BindingKind.HostnamePort, "*.contoso.test:443", false)]
    [InlineData("ccs=443", BindingKind.Ccs, "443", false)]
    public void Parses_netsh_keys(string text, BindingKind kind, string value, bool any)
    {
        var key = BindingKey.Parse(text);
        Assert.Equal(kind, key.Kind);
        Assert.Equal(value, key.Value);
        Assert.Equal(any, key.IsAnyAddress);
        Assert.Equal(key, BindingKey.Parse(key.ToString()));
        Assert.Equal(key.GetHashCode(), BindingKey.Parse(key.ToString()).GetHashCode());
    }

    [Theory]
    [InlineData("ipport=0.0.0.0")]
    [InlineData("ipport=0.0.0.0:0")]
    [InlineData("ipport=0.0.0.0:65536")]
    [InlineData("ipport=::1:443")]          // IPv6 needs brackets
    [InlineData("ipport=[127.0.0.1]:443")]
    [InlineData("ipport=10.1:443")]          // not four parts
    [InlineData("ipport=example.com:443")]
    [InlineData("hostnameport=:443")]
    [InlineData("hostnameport=www.contoso.test")]
    [InlineData("hostnameport=www..contoso.test:443")]
    [InlineData("hostnameport=*:443")]
    [InlineData("hostnameport=www.*.test:443")]
    [InlineData("hostnameport=../../etc:443")]
    [InlineData("hostnameport=a/b:443")]
    [InlineData("hostnameport=-a.test:443")]
    [InlineData("ccs=x")]
    [InlineData("ccs=")]
    [InlineData("url=https://x:443")]
    [InlineData("0.0.0.0:443")]
    public void Refuses_malformed_keys(string text)
        => Assert.ThrowsAny<FormatException>(() => BindingKey.Parse(text));

    [Fact]
    public void Wildcard_and_kinds_are_distinct_keys()
    {
        Assert.True(BindingKey.Parse("hostnameport=*.contoso.test:443").IsWildcard);
        Assert.NotEqual(BindingKey.Parse("ipport=0.0.0.0:443"), BindingKey.Parse("ipport=[::]:443"));
        Assert.NotEqual(BindingKey.HostnamePort("a.test", 443), BindingKey.HostnamePort("a.test", 444));
        Assert.Equal(BindingKey.IpPort(IPAddress.Parse("::ffff:10.0.0.1"), 1), BindingKey.IpPort(IPAddress.Parse("10.0.0.1"), 1));
    }
}
