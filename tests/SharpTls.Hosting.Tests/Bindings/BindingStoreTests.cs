using System.Diagnostics;
using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Tests.Bindings;

public class BindingStoreTests
{
    private static SslBinding Binding(string key, string hash = "0123456789ABCDEF0123456789ABCDEF01234567")
        => SslBinding.Parse(key.StartsWith("ccs", StringComparison.Ordinal) ? [key] : [key, $"certhash={hash}"]);

    [Fact]
    public void Add_update_delete_and_a_new_instance_reads_them_back()
    {
        string path = Path.Combine(TestHome.NewDataDirectory(), BindingStore.FileName);
        var store = new BindingStore(path);
        Assert.Empty(store.Load());
        store.Add(Binding("ipport=0.0.0.0:8443"));
        store.Add(Binding("hostnameport=www.contoso.test:8443"));
        store.Add(Binding("ccs=9443"));
        store.Update(Binding("ipport=0.0.0.0:8443") with { DisableHttp2 = true });
        store.Delete(BindingKey.Parse("ccs=9443"));

        var reread = new BindingStore(path).Load();   // "after a restart"
        Assert.Equal(2, reread.Count);
        Assert.True(reread.Single(b => b.Key.Kind == BindingKind.IpPort).DisableHttp2);
        Assert.Equal("www.contoso.test", reread.Single(b => b.Key.Kind == BindingKind.HostnamePort).Key.HostName);
    }

    [Fact]
    public void Adding_an_existing_key_is_183_and_deleting_a_missing_one_is_2()
    {
        var store = new BindingStore(Path.Combine(TestHome.NewDataDirectory(), BindingStore.FileName));
        store.Add(Binding("ipport=0.0.0.0:8443"));
        Assert.Equal(183, Assert.Throws<BindingStoreException>(() => store.Add(Binding("ipport=0.0.0.0:8443"))).ErrorCode);
        Assert.Equal(2, Assert.Throws<BindingStoreException>(() => store.Delete(BindingKey.Parse("ipport=0.0.0.0:9443"))).ErrorCode);
        Assert.Equal(2, Assert.Throws<BindingStoreException>(() => store.Update(Binding("ipport=0.0.0.0:9443"))).ErrorCode);
    }

    [Theory]
    [InlineData("ipport=0.0.0.0:8443 certhash=0123456789ABCDEF0123456789ABCDEF01234567\nipport=0.0.0.0:9443 certhash=nothex\n", 2, "certhash")]
    [InlineData("# comment\n\nipport=0.0.0.0:8443 certhash=0123456789ABCDEF0123456789ABCDEF01234567\nipport=0.0.0.0:8443 certhash=0123456789ABCDEF0123456789ABCDEF01234567\n", 4, "already bound on line 3")]
    [InlineData("hostnameport=www.contoso.test:8443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 sslctlidentifier=\"unterminated\n", 1, "quote")]
    [InlineData("ipport=0.0.0.0:8443 certhash=0123456789ABCDEF0123456789ABCDEF01234567 appid={4dc3e181-e14b-4a21-b022-59fc6\n", 1, "appid")]
    public void A_corrupt_file_names_its_line_and_is_never_overwritten(string content, int line, string expected)
    {
        string path = Path.Combine(TestHome.NewDataDirectory(), BindingStore.FileName);
        File.WriteAllText(path, content);
        byte[] before = File.ReadAllBytes(path);
        var store = new BindingStore(path);
        var e = Assert.Throws<BindingFormatException>(() => store.Load());
        Assert.Equal(line, e.Line);
        Assert.Contains($"{path} line {line}:", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Throws<BindingFormatException>(() => store.Add(Binding("ipport=0.0.0.0:7443")));
        Assert.Throws<BindingFormatException>(() => store.Delete(BindingKey.Parse("ipport=0.0.0.0:8443")));
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    [Fact]
    public void Not_utf8_is_a_clear_error()
    {
        string path = Path.Combine(TestHome.NewDataDirectory(), BindingStore.FileName);
        File.WriteAllBytes(path, [0x69, 0x70, 0xFF, 0xFE, 0x0A]);
        Assert.Contains("not UTF-8", Assert.Throws<BindingFormatException>(() => new BindingStore(path).Load()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Concurrent_writers_in_one_process_lose_nothing()
    {
        var store = new BindingStore(Path.Combine(TestHome.NewDataDirectory(), BindingStore.FileName));
        Parallel.For(0, 40, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => store.Add(Binding($"ipport=127.0.0.{i + 1}:443")));
        Assert.Equal(40, store.Load().Count);
    }
}
