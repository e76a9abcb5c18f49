using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Certificates;

namespace SharpTls.Tests.Certificates;

public class HostnameMatcherTests
{
    private static X509Certificate2 Cert(string cn, params string[] sans)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var req = new CertificateRequest($"CN={cn}", key, HashAlgorithmName.SHA256);
        if (sans.Length > 0)
        {
            var b = new SubjectAlternativeNameBuilder();
            foreach (var s in sans)
                if (IPAddress.TryParse(s, out var ip)) b.AddIpAddress(ip); else b.AddDnsName(s);
            req.CertificateExtensions.Add(b.Build());
        }
        return req.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
    }

    [Theory]
    [InlineData("*.contoso.com", "www.contoso.com", true)]
    [InlineData("*.contoso.com", "WWW.Contoso.com.", true)]
    [InlineData("*.contoso.com", "contoso.com", false)]
    [InlineData("*.contoso.com", "a.b.contoso.com", false)]
    [InlineData("w*.contoso.com", "www.contoso.com", false)]
    [InlineData("www.*.com", "www.contoso.com", false)]
    [InlineData("*.com", "contoso.com", false)]
    [InlineData("www.contoso.com", "www.contoso.com", true)]
    [InlineData("www.contoso.com", "mail.contoso.com", false)]
    public void WildcardOnlyAsWholeLeftmostLabel(string presented, string host, bool expected)
        => Assert.Equal(expected, HostnameMatcher.MatchesName(presented, host));

    [Fact]
    public void SubjectAltNameWinsOverCommonName()
    {
        using var cert = Cert("www.contoso.com", "shop.contoso.com");
        Assert.True(HostnameMatcher.Matches(cert, "shop.contoso.com"));
        Assert.False(HostnameMatcher.Matches(cert, "www.contoso.com"));
    }

    [Fact]
    public void CommonNameIsFallbackWithoutSan()
    {
        using var cert = Cert("www.contoso.com");
        Assert.True(HostnameMatcher.Matches(cert, "www.contoso.com"));
    }

    [Fact]
    public void IpLiteralMatchesOnlyIpAddressEntries()
    {
        using var cert = Cert("127.0.0.1", "localhost", "127.0.0.1");
        Assert.True(HostnameMatcher.Matches(cert, "127.0.0.1"));
        Assert.False(HostnameMatcher.Matches(cert, "127.0.0.2"));
        Assert.Equal(["localhost", "127.0.0.1"], HostnameMatcher.Names(cert));
    }
}
