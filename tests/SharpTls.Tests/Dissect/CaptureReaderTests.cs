using System.Net;
using SharpTls.Cli.Captures;
using SharpTls.Diagnostics;

namespace SharpTls.Tests.Dissect;

public class CaptureReaderTests
{
    internal static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "fixtures", relative);

    public static TheoryData<string> Handshakes() => new(Directory.GetFiles(Fixture("captures"), "*.pcapng")
        .Select(f => Path.GetFileNameWithoutExtension(f)).Order());

    /// <summary>Reassembled pcapng streams equal the byte streams tshark's "follow tcp" extracted.</summary>
    [Theory]
    [MemberData(nameof(Handshakes))]
    public void ReassemblyMatchesTsharkStreams(string name)
    {
        var conversations = CaptureReader.ReadTcp(Fixture($"captures/{name}.pcapng"));
        Assert.NotEmpty(conversations);
        var first = conversations[0];
        Assert.Equal(IPAddress.Loopback, first.Client.Address);
        Assert.InRange(first.Server.Port, 44301, 44399);
        Assert.Equal(File.ReadAllBytes(Fixture($"handshakes/{name}.c2s.bin")), first.ClientToServer);
        Assert.Equal(File.ReadAllBytes(Fixture($"handshakes/{name}.s2c.bin")), first.ServerToClient);
        Assert.Empty(first.Notes);
        Assert.Equal(0x16, first.Chunks[0].Data[0]); // the ClientHello comes first
        Assert.Equal(DissectorDirection.ClientToServer, first.Chunks[0].Direction);
    }

    [Fact]
    public void ClassicPcapReadsLikePcapNg()
    {
        var pcap = CaptureReader.ReadTcp(Fixture("captures/openssl-tls10.pcap"));
        Assert.Equal(CaptureInputKind.Pcap, CaptureReader.Detect(File.ReadAllBytes(Fixture("captures/openssl-tls10.pcap"))));
        Assert.Equal(CaptureInputKind.PcapNg, CaptureReader.Detect(File.ReadAllBytes(Fixture("captures/openssl-tls10.pcapng"))));
        Assert.Equal(File.ReadAllBytes(Fixture("handshakes/openssl-tls10.c2s.bin")), Assert.Single(pcap).ClientToServer);
    }

    [Fact]
    public void ChromiumOpensSeveralConnections()
    {
        var conversations = CaptureReader.ReadTcp(Fixture("captures/chromium-tls13.pcapng"));
        Assert.True(conversations.Count >= 2);
        Assert.All(conversations, c => Assert.Equal(44310, c.Server.Port));
        Assert.Equal(conversations.Count, conversations.Select(c => c.Client.Port).Distinct().Count());
    }
}
