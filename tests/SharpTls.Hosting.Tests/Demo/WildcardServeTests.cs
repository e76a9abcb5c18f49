using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Demo;

/// <summary>
/// A wildcard <c>hostnameport</c> binding (issue 8: "a wildcard binding serves any.contoso.test") through the real
/// <c>sharptls serve</c>, added by the administrator's commands while it runs, against openssl and curl: the wildcard
/// serves a name below its domain, an exact binding still wins over it (HTTP.sys order), and deleting it sends such a
/// name back to the ipport binding.
/// </summary>
public sealed class WildcardServeTests
{
    private const string AppId = "{6d3f1c2a-5b4e-4c8d-9a7f-0e1d2c3b4a59}";

    [Fact]
    public async Task A_wildcard_hostnameport_binding_serves_any_name_below_its_domain_after_exact_names()
    {
        await using var demo = await DemoServe.StartAsync();
        var made = await demo.CliAsync("cert", "new", "--dns", "*.contoso.test", "--ca", demo.CaPfx);
        Assert.True(made.ExitCode == 0, made.ToString());
        string hash = made.Stdout.Trim().Split('\n')[^1].Trim();
        string key = $"hostnameport=*.contoso.test:{demo.Port}";
        var added = await demo.CliAsync("http", "add", "sslcert", key, $"certhash={hash}", $"appid={AppId}");
        Assert.True(added.ExitCode == 0, added.ToString());

        await BindingHostTests.WaitUntil(async () =>
            await Peer.ServedSubjectAsync(demo.Port, "any.contoso.test", demo.Ca) == "subject=CN = *.contoso.test");
        var page = await demo.CurlAsync("any.contoso.test", "/?format=text");
        Assert.True(page.ExitCode == 0, page.ToString()); // curl verified the wildcard certificate for the name
        Assert.Contains($"Binding: {key}", page.Stdout);
        Assert.Contains($"SNI any.contoso.test matched the wildcard {key} (no exact hostnameport binding)", page.Stdout);
        Assert.Contains($"thumbprint {hash}", page.Stdout);

        // An exact binding comes before the wildcard.
        Assert.Equal("subject=CN = www.contoso.test", await Peer.ServedSubjectAsync(demo.Port, "www.contoso.test", demo.Ca));
        var www = await demo.CurlAsync("www.contoso.test", "/?format=text");
        Assert.Contains($"Binding: hostnameport=www.contoso.test:{demo.Port}", www.Stdout);

        // Deleted: the name falls through to the ipport binding (the localhost certificate), which curl then refuses.
        var deleted = await demo.CliAsync("http", "delete", "sslcert", key);
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        await BindingHostTests.WaitUntil(async () =>
            await Peer.ServedSubjectAsync(demo.Port, "any.contoso.test", demo.Ca) == "subject=CN = localhost");
        var after = await demo.CurlAsync("any.contoso.test", "/?format=text");
        Assert.True(after.ExitCode == 60, after.ToString()); // curl: the certificate does not name any.contoso.test
    }
}
