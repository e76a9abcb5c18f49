using System.Net;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary>
/// The server's protocol switches (Schannel's machine-wide <c>Protocols\&lt;name&gt;\Server\Enabled</c>): the file, strictly
/// read and atomically written; what a binding speaks under them (its disable flags take versions away); the hint a
/// refusal names; and how <c>http show sslcert</c> prints them after netsh's blocks.
/// </summary>
public sealed class ProtocolSwitchesTests
{
    private static string NewFile() => Path.Combine(TestHome.NewDataDirectory(), ProtocolSwitches.FileName);

    private static SslBinding Binding(string settings = "")
        => SslBinding.Parse(SslBinding.SplitArguments($"hostnameport=www.contoso.test:443 certhash={new string('A', 40)} {settings}"));

    [Fact]
    public void Without_the_file_TLS12_and_TLS13_are_on_and_an_update_writes_every_switch_out()
    {
        var switches = new ProtocolSwitches(NewFile());
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, switches.Load());
        Assert.Equal(TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Tls12 | TlsVersions.Tls13, switches.Update(["tls1.0=enable", "TLS1.1=Enable"]));
        Assert.Equal(TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Tls12 | TlsVersions.Tls13, switches.Load());
        var lines = File.ReadAllLines(switches.Path).Where(l => !l.StartsWith('#')).ToArray();
        Assert.Equal(["SSL 3.0\\Server\\Enabled=0", "TLS 1.0\\Server\\Enabled=1", "TLS 1.1\\Server\\Enabled=1", "TLS 1.2\\Server\\Enabled=1", "TLS 1.3\\Server\\Enabled=1"], lines);
        // Only the switches named change.
        Assert.Equal(TlsVersions.Ssl3 | TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Tls13, switches.Update(["ssl3=enable", "tls1.2=disable"]));
        Assert.Empty(Directory.EnumerateFiles(Path.GetDirectoryName(switches.Path)!, "*.tmp"));
    }

    [Theory]
    [InlineData("TLS 1.4\\Server\\Enabled=1", "line 2: expected NAME\\Server\\Enabled=0 or 1")]
    [InlineData("TLS 1.0\\Client\\Enabled=1", "line 2: expected NAME\\Server\\Enabled")]
    [InlineData("TLS 1.0\\Server\\Enabled=yes", "line 2: TLS 1.0\\Server\\Enabled=yes: expected 1 (on) or 0 (off)")]
    [InlineData("TLS 1.0\\Server\\Enabled=1\nTLS 1.0\\Server\\Enabled=0", "line 3: TLS 1.0 is given twice")]
    [InlineData("TLS 1.2\\Server\\Enabled=0\nTLS 1.3\\Server\\Enabled=0", "every protocol version is switched off")]
    public void A_wrong_file_is_an_error_naming_the_line_and_is_never_overwritten(string body, string error)
    {
        var switches = new ProtocolSwitches(NewFile());
        string text = "# comment\n" + body + "\n";
        File.WriteAllText(switches.Path, text);
        var e = Assert.Throws<BindingFormatException>(() => switches.Load());
        Assert.Contains(error, e.Message, StringComparison.Ordinal);
        Assert.Equal(switches.Path, e.File);
        Assert.Throws<BindingFormatException>(() => switches.Update(["tls1.0=enable"]));
        Assert.Equal(text, File.ReadAllText(switches.Path));
    }

    [Theory]
    [InlineData("tls1.4=enable", "'tls1.4' is not a protocol switch (known: ssl3, tls1.0, tls1.1, tls1.2, tls1.3)")]
    [InlineData("tls1.0=on", "tls1.0=on: expected tls1.0=enable or tls1.0=disable")]
    [InlineData("tls1.0", "tls1.0: expected tls1.0=enable")]
    public void Bad_update_arguments_say_what_is_wrong_and_write_nothing(string argument, string error)
    {
        var switches = new ProtocolSwitches(NewFile());
        Assert.Contains(error, Assert.Throws<FormatException>(() => switches.Update([argument])).Message, StringComparison.Ordinal);
        Assert.Contains("'tls1.0' is given twice", Assert.Throws<FormatException>(() => switches.Update(["tls1.0=enable", "tls1.0=disable"])).Message, StringComparison.Ordinal);
        Assert.Contains("every protocol version off", Assert.Throws<FormatException>(() => switches.Update(["tls1.2=disable", "tls1.3=disable"])).Message, StringComparison.Ordinal);
        Assert.False(File.Exists(switches.Path));
    }

    [Fact]
    public void A_binding_speaks_the_servers_versions_less_its_own_disable_flags()
    {
        var all = TlsVersions.Ssl3 | TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Tls12 | TlsVersions.Tls13;
        Assert.Equal(all, ProtocolSwitches.For(Binding(), all));
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, ProtocolSwitches.For(Binding("disablelegacytls=enable"), all));
        Assert.Equal(TlsVersions.Tls10 | TlsVersions.Tls13, ProtocolSwitches.For(Binding("disabletls12=enable"), TlsVersions.Tls10 | TlsVersions.Tls12 | TlsVersions.Tls13));
        Assert.Equal(TlsVersions.Tls10, ProtocolSwitches.For(Binding("disabletls12=enable disabletls13=enable"), TlsVersions.Tls10 | TlsVersions.Default));
        Assert.Equal(TlsVersions.None, ProtocolSwitches.For(Binding("disabletls12=enable disabletls13=enable"), TlsVersions.Default));
    }

    [Fact]
    public void The_hint_names_the_binding_switch_the_server_switch_or_both()
    {
        var server = TlsVersions.Tls11 | TlsVersions.Default;
        Assert.Equal("'sharptls http update protocols tls1.0=enable' (the server's switch; Schannel: Protocols\\TLS 1.0\\Server\\Enabled=1)",
            ProtocolSwitches.Hint(Binding(), server, TlsVersions.Tls10));
        Assert.Equal("'sharptls http update sslcert hostnameport=www.contoso.test:443 disablelegacytls=disable' (the binding's disablelegacytls)",
            ProtocolSwitches.Hint(Binding("disablelegacytls=enable"), server, TlsVersions.Tls11));
        Assert.Equal("'sharptls http update sslcert hostnameport=www.contoso.test:443 disablelegacytls=disable' (the binding's disablelegacytls) and " +
                     "'sharptls http update protocols ssl3=enable' (the server's switch; Schannel: Protocols\\SSL 3.0\\Server\\Enabled=1)",
            ProtocolSwitches.Hint(Binding("disablelegacytls=enable"), server, TlsVersions.Ssl3));
        Assert.Equal("'sharptls http update sslcert hostnameport=www.contoso.test:443 disabletls13=disable' (the binding's disabletls13)",
            ProtocolSwitches.Hint(Binding("disabletls13=enable"), server, TlsVersions.Tls13));
    }

    [Fact]
    public void The_table_builds_each_policy_from_the_server_switches_and_leaves_out_a_binding_with_no_version_left()
    {
        string hash = TestCertificates.InStore("switches.contoso.test");
        SslBinding On(string key, string settings = "") => SslBinding.Parse(SslBinding.SplitArguments($"{key} certhash={hash} {settings}"));
        var bindings = new List<SslBinding>
        {
            On("hostnameport=legacy.contoso.test:8443"),
            On("hostnameport=modern.contoso.test:8443", "disablelegacytls=enable"),
            On("hostnameport=only10.contoso.test:8443", "disabletls12=enable disabletls13=enable"),
        };
        var local = IPEndPoint.Parse("127.0.0.1:8443");
        var withLegacy = BindingTable.Build(bindings, new StoreCertificateSource(), serverProtocols: TlsVersions.Tls10 | TlsVersions.Default);
        Assert.Empty(withLegacy.Problems);
        Assert.Equal(TlsVersions.Tls10 | TlsVersions.Tls12 | TlsVersions.Tls13, withLegacy.Select(local, "legacy.contoso.test")!.Policy.Versions);
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, withLegacy.Select(local, "modern.contoso.test")!.Policy.Versions);
        Assert.Equal(TlsVersions.Tls10, withLegacy.Select(local, "only10.contoso.test")!.Policy.Versions);
        Assert.Equal(TlsVersions.Tls10 | TlsVersions.Default, withLegacy.ServerProtocols);

        // The server's TLS 1.0 switch goes off: the TLS 1.0-only binding has nothing left and is not served.
        var without = BindingTable.Build(bindings, new StoreCertificateSource());
        var problem = Assert.Single(without.Problems);
        Assert.Equal("hostnameport=only10.contoso.test:8443", problem.Binding.Key.ToString());
        Assert.Contains("no protocol version is left: the server's switches enable TLS 1.2, TLS 1.3 and the binding has disabletls12 and disabletls13", problem.Reason, StringComparison.Ordinal);
        Assert.Null(without.Select(local, "only10.contoso.test"));
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, without.Select(local, "legacy.contoso.test")!.Policy.Versions);
    }

    [Fact]
    public void Disabletls12_with_disabletls13_parses_and_all_three_disable_flags_do_not()
    {
        Assert.True(Binding("disabletls12=enable disabletls13=enable").DisableTls13);
        Assert.Contains("disablelegacytls, disabletls12 and disabletls13 together leave no protocol version",
            Assert.Throws<FormatException>(() => Binding("disabletls12=enable disabletls13=enable disablelegacytls=enable")).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Show_prints_the_server_switches_after_the_bindings_and_json_gives_each_binding_its_versions()
    {
        var b = Binding("disablelegacytls=enable");
        var server = TlsVersions.Tls10 | TlsVersions.Tls11 | TlsVersions.Default;
        string text = NetshFormat.Show([b], server);
        string block = """
            Server protocol switches (Schannel's Protocols\<name>\Server\Enabled):
            ----------------------------------------------------------------------

                SSL 3.0                      : Disabled
                TLS 1.0                      : Enabled
                TLS 1.1                      : Enabled
                TLS 1.2                      : Enabled
                TLS 1.3                      : Enabled


            """;
        Assert.EndsWith("    Max Settings Per Minute      : 4294967295\n\n" + block, text, StringComparison.Ordinal); // after the last block's Extended Properties
        Assert.Equal(NetshFormat.Show([b]) + block, text); // netsh's block itself is unchanged
        using var json = System.Text.Json.JsonDocument.Parse(NetshFormat.Json([b, Binding()], server));
        Assert.Equal(["TLS 1.2", "TLS 1.3"], json.RootElement[0].GetProperty("protocols").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(["TLS 1.0", "TLS 1.1", "TLS 1.2", "TLS 1.3"], json.RootElement[1].GetProperty("protocols").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public async Task A_binding_host_rebuilds_when_the_switches_change_and_keeps_its_table_when_the_file_is_wrong()
    {
        string data = TestHome.NewDataDirectory();
        var events = new RecordingDiagnostics();
        using var host = BindingHost.Start(new BindingHostOptions
        {
            BindingsFile = Path.Combine(data, BindingStore.FileName),
            CentralStorePath = Path.Combine(data, "ccs"),
            Diagnostics = events,
        });
        Assert.Equal(Path.Combine(data, ProtocolSwitches.FileName), host.Protocols.Path);
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, host.Current.ServerProtocols);

        host.Protocols.Update(["tls1.1=enable"]); // as `sharptls http update protocols` does, from another process
        await BindingHostTests.WaitUntil(() => host.Current.ServerProtocols.HasFlag(TlsVersions.Tls11));
        long version = host.Current.Version;

        File.WriteAllText(host.Protocols.Path, "TLS 1.1\\Server\\Enabled=2\n");
        await BindingHostTests.WaitUntil(() => events.Events.Any(e => e.Contains("line 1: TLS 1.1\\Server\\Enabled=2", StringComparison.Ordinal)));
        Assert.Equal(version, host.Current.Version); // the table in force stays
        Assert.True(host.Current.ServerProtocols.HasFlag(TlsVersions.Tls11));

        File.WriteAllText(host.Protocols.Path, "TLS 1.1\\Server\\Enabled=0\n");
        await BindingHostTests.WaitUntil(() => !host.Current.ServerProtocols.HasFlag(TlsVersions.Tls11));
        Assert.Equal(TlsVersions.Tls12 | TlsVersions.Tls13, host.Current.ServerProtocols);
    }
}
