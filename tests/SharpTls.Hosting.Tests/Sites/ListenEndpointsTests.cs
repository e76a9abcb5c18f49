using System.Net;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Sites;

namespace SharpTls.Hosting.Tests.Sites;

/// <summary>Which endpoints the host listens on for a set of sites and SSL bindings.</summary>
public sealed class ListenEndpointsTests
{
    private static SslBinding Binding(string key) => new() { Key = BindingKey.Parse(key), CertificateHash = key.StartsWith("ccs", StringComparison.Ordinal) ? null : new string('A', 40) };

    private static string Listen(ListenEndpoint[] sites, params string[] bindings)
    {
        var conflicts = new List<SslBinding>();
        var endpoints = ListenEndpoints.Compute(sites, [.. bindings.Select(Binding)], conflicts);
        return string.Join(" ", endpoints) + (conflicts.Count == 0 ? "" : " conflicts: " + string.Join(" ", conflicts.Select(c => c.Key)));
    }

    [Fact]
    public void Name_bindings_on_a_port_a_site_or_an_ipport_binding_listens_on_add_nothing()
    {
        ListenEndpoint[] demo = [new("https", IPAddress.Loopback, 8443)];
        Assert.Equal("https://127.0.0.1:8443/", Listen(demo, "hostnameport=localhost:8443", "ipport=127.0.0.1:8443"));
        Assert.Equal("https://127.0.0.1:9443/", Listen([], "ipport=127.0.0.1:9443", "hostnameport=blog.contoso.test:9443", "ccs=9443"));
    }

    [Fact]
    public void New_ports_are_listened_on_any_address_for_names_and_on_the_bound_address_for_ipport()
    {
        ListenEndpoint[] demo = [new("https", IPAddress.Loopback, 8443)];
        Assert.Equal("https://127.0.0.1:8443/ https://*:9443/ https://[::1]:9444/ https://*:9445/",
            Listen(demo, "hostnameport=blog.contoso.test:9443", "ipport=[::1]:9444", "ccs=9445"));
    }

    [Fact]
    public void An_any_address_endpoint_takes_the_port_and_a_plain_http_port_is_not_listened_on_for_TLS()
    {
        ListenEndpoint[] sites = [new("https", IPAddress.Loopback, 8443), new("http", IPAddress.Loopback, 8080)];
        Assert.Equal("http://127.0.0.1:8080/ https://*:8443/ conflicts: ipport=0.0.0.0:8080",
            Listen(sites, "ipport=0.0.0.0:8443", "ipport=0.0.0.0:8080"));
    }
}
