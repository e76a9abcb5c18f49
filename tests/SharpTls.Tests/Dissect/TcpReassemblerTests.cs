using System.Net;
using System.Text;
using SharpTls.Cli.Captures;
using SharpTls.Diagnostics;

namespace SharpTls.Tests.Dissect;

public class TcpReassemblerTests
{
    private static readonly IPEndPoint C = new(IPAddress.Parse("10.0.0.2"), 40000), S = new(IPAddress.Parse("10.0.0.1"), 443);

    private static void Data(TcpReassembler r, IPEndPoint src, IPEndPoint dst, uint seq, string text)
        => r.Add(src, dst, seq, syn: false, ack: true, fin: false, rst: false, Encoding.ASCII.GetBytes(text), null);

    private static void Handshake(TcpReassembler r, uint cIsn, uint sIsn)
    {
        r.Add(C, S, cIsn, syn: true, ack: false, fin: false, rst: false, [], null);
        r.Add(S, C, sIsn, syn: true, ack: true, fin: false, rst: false, [], null);
    }

    [Fact]
    public void RetransmitsOverlapsAndReordering()
    {
        var r = new TcpReassembler();
        Handshake(r, 1000, 5000);
        Data(r, C, S, 1001, "hello ");
        Data(r, S, C, 5001, "HELLO");
        Data(r, C, S, 1012, "!!");       // arrives before the bytes it follows
        Data(r, C, S, 1001, "hello ");   // retransmission
        Data(r, C, S, 1004, "lo world"); // overlaps both sides
        var conv = Assert.Single(r.Conversations());
        Assert.Equal((C, S), (conv.Client, conv.Server));
        Assert.Equal("hello world!!", Encoding.ASCII.GetString(conv.ClientToServer));
        Assert.Equal("HELLO", Encoding.ASCII.GetString(conv.ServerToClient));
        Assert.Empty(conv.Notes);
        Assert.Equal(["hello ", "HELLO", "!!", "world"], conv.Chunks.Select(c => Encoding.ASCII.GetString(c.Data)).ToArray());
        Assert.Equal(DissectorDirection.ServerToClient, conv.Chunks[1].Direction);
    }

    [Fact]
    public void SequenceNumbersWrap()
    {
        var r = new TcpReassembler();
        Handshake(r, 0xFFFF_FFFD, 7);
        Data(r, C, S, 0xFFFF_FFFE, "ab");
        Data(r, C, S, 0, "cd");
        Data(r, C, S, 2, "ef");
        Assert.Equal("abcdef", Encoding.ASCII.GetString(Assert.Single(r.Conversations()).ClientToServer));
    }

    [Fact]
    public void GapStopsTheStreamWithANote()
    {
        var r = new TcpReassembler();
        Handshake(r, 10, 20);
        Data(r, C, S, 11, "abc");
        Data(r, C, S, 20, "xyz");
        var conv = Assert.Single(r.Conversations());
        Assert.Equal("abc", Encoding.ASCII.GetString(conv.ClientToServer));
        Assert.Contains("6 byte(s) missing at stream offset 3", Assert.Single(conv.Notes));
    }

    [Fact]
    public void WithoutSynTheFirstSenderIsTheClient()
    {
        var r = new TcpReassembler();
        r.Add(S, C, 99, syn: false, ack: true, fin: false, rst: false, [], null); // a bare ACK from the server
        Data(r, C, S, 500, "client hello");
        Data(r, S, C, 100, "server hello");
        var conv = Assert.Single(r.Conversations());
        Assert.Equal(C, conv.Client);
        Assert.Equal("client hello", Encoding.ASCII.GetString(conv.ClientToServer));
        Assert.Equal("server hello", Encoding.ASCII.GetString(conv.ServerToClient));
    }

    [Fact]
    public void PortReuseAfterFinStartsANewConnection()
    {
        var r = new TcpReassembler();
        Handshake(r, 1, 1);
        Data(r, C, S, 2, "one");
        r.Add(C, S, 5, syn: false, ack: true, fin: true, rst: false, [], null);
        Handshake(r, 9000, 9000);
        Data(r, C, S, 9001, "two");
        var all = r.Conversations();
        Assert.Equal(["one", "two"], all.Select(c => Encoding.ASCII.GetString(c.ClientToServer)).ToArray());
        Assert.Equal([0, 1], all.Select(c => c.Index).ToArray());
    }
}

public class HexDumpTests
{
    private static readonly byte[] Bytes = [.. Enumerable.Range(0, 20).Select(i => (byte)(0x16 + i))];

    [Theory]
    [InlineData("161718191a1b1c1d1e1f202122232425262728 29")]
    [InlineData("16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25\n26 27 28 29\n")]
    [InlineData("16:17:18:19:1a:1b:1c:1d:1e:1f:20:21:22:23:24:25:26:27:28:29")]
    [InlineData("0x16, 0x17, 0x18, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e, 0x1f,\n0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x27, 0x28, 0x29")]
    // xxd
    [InlineData("00000000: 1617 1819 1a1b 1c1d 1e1f 2021 2223 2425  ........... !\"#$%\n00000010: 2627 2829                                &'()")]
    // hexdump -C
    [InlineData("00000000  16 17 18 19 1a 1b 1c 1d  1e 1f 20 21 22 23 24 25  |.......... !\"#$%|\n00000010  26 27 28 29                                       |&'()|\n00000014")]
    // Wireshark "Copy as Hex Dump", whose ASCII column here looks like hex
    [InlineData("0000   16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25   ab cd ef 01 23 45 67 89\n0010   26 27 28 29                                       &'()")]
    // od -A x -t x1
    [InlineData("000000 16 17 18 19 1a 1b 1c 1d 1e 1f 20 21 22 23 24 25\n000010 26 27 28 29\n000014\n")]
    public void ParsesCommonFormats(string text) => Assert.Equal(Bytes, HexDump.Parse(text));

    [Fact]
    public void RejectsNonHex() => Assert.Throws<FormatException>(() => HexDump.Parse("hello world"));

    [Fact]
    public void DetectsText()
    {
        Assert.Equal(CaptureInputKind.HexDump, CaptureReader.Detect("16 03 01"u8));
        Assert.Equal(CaptureInputKind.Binary, CaptureReader.Detect([0x16, 0x03, 0x01, 0x00, 0x05]));
        Assert.Equal(CaptureInputKind.Binary, CaptureReader.Detect([0x80, 0x2e, 0x01]));
    }
}
