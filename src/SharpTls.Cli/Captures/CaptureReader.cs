using System.Net;
using PacketDotNet;
using SharpPcap;
using SharpPcap.LibPcap;

namespace SharpTls.Cli.Captures;

/// <summary>What a file given to <c>sharptls dissect</c> holds.</summary>
public enum CaptureInputKind
{
    /// <summary>A classic libpcap file (tcpdump -w).</summary>
    Pcap,
    /// <summary>A pcapng file (tshark/dumpcap -w, Wireshark).</summary>
    PcapNg,
    /// <summary>Text: hex bytes, with or without offsets, separators and an ASCII column.</summary>
    HexDump,
    /// <summary>Raw bytes of one TLS byte stream.</summary>
    Binary,
}

/// <summary>Reads capture files into TCP conversations (libpcap through SharpPcap, packets through PacketDotNet).</summary>
public static class CaptureReader
{
    /// <summary>Guesses the kind of input from its first bytes.</summary>
    public static CaptureInputKind Detect(ReadOnlySpan<byte> head)
    {
        if (head.Length >= 4)
        {
            uint magic = (uint)(head[0] << 24 | head[1] << 16 | head[2] << 8 | head[3]);
            switch (magic)
            {
                case 0xA1B2C3D4 or 0xD4C3B2A1 or 0xA1B23C4D or 0x4D3CB2A1: return CaptureInputKind.Pcap;
                case 0x0A0D0D0A: return CaptureInputKind.PcapNg;
            }
        }
        return HexDump.LooksLikeText(head) ? CaptureInputKind.HexDump : CaptureInputKind.Binary;
    }

    /// <summary>Reads every TCP segment of a pcap or pcapng file and reassembles the connections.</summary>
    /// <exception cref="InvalidDataException">The file cannot be read as a capture.</exception>
    public static IReadOnlyList<TcpConversation> ReadTcp(string path)
    {
        var reassembler = new TcpReassembler();
        CaptureFileReaderDevice device;
        try
        {
            device = new CaptureFileReaderDevice(path);
            device.Open();
        }
        catch (Exception e) when (e is PcapException or DllNotFoundException or TypeInitializationException)
        {
            throw new InvalidDataException($"{path}: cannot open as a capture ({e.Message})", e);
        }
        using (device)
        {
            while (device.GetNextPacket(out PacketCapture capture) == GetPacketStatus.PacketRead)
            {
                var raw = capture.GetPacket();
                AddPacket(reassembler, raw.LinkLayerType, raw.Data, new DateTimeOffset(raw.Timeval.Date, TimeSpan.Zero));
            }
        }
        return reassembler.Conversations();
    }

    internal static void AddPacket(TcpReassembler reassembler, LinkLayers link, byte[] data, DateTimeOffset? time)
    {
        Packet packet;
        try
        {
            packet = Packet.ParsePacket(link, data);
        }
        catch (Exception)
        {
            return; // a truncated or foreign frame: not ours to reassemble
        }
        if (packet.Extract<IPPacket>() is not { } ip || packet.Extract<TcpPacket>() is not { } tcp)
            return;
        var payload = tcp.PayloadData ?? [];
        reassembler.Add(new IPEndPoint(ip.SourceAddress, tcp.SourcePort), new IPEndPoint(ip.DestinationAddress, tcp.DestinationPort),
            tcp.SequenceNumber, tcp.Synchronize, tcp.Acknowledgment, tcp.Finished, tcp.Reset, payload, time);
    }
}
