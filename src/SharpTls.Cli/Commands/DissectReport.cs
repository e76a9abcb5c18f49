using System.Net;
using System.Text;
using System.Text.Json;
using SharpTls.Cli.Captures;
using SharpTls.Diagnostics;
using SharpTls.Wire;

namespace SharpTls.Cli.Commands;

/// <summary>One dissected record and the direction it travelled.</summary>
public sealed record DissectedRecord(DissectorDirection Direction, DissectionNode Node);

/// <summary>One dissected connection (or, for raw and hex input, the one stream).</summary>
public sealed class DissectedConnection
{
    public required int Index { get; init; }
    public IPEndPoint? Client { get; init; }
    public IPEndPoint? Server { get; init; }
    public IReadOnlyList<string> Notes { get; init; } = [];
    public required IReadOnlyList<DissectedRecord> Records { get; init; }
    public ushort? Version { get; init; }
    public ushort? CipherSuite { get; init; }

    /// <summary>The SNI names the client sent.</summary>
    public IEnumerable<string> ServerNames => Values(DissectorDirection.ClientToServer, "tls.handshake.extensions_server_name").Distinct();

    /// <summary>The ALPN protocols the client offered (first ClientHello) and the one the server chose.</summary>
    public IEnumerable<string> AlpnOffered => Values(DissectorDirection.ClientToServer, "tls.handshake.extensions_alpn_str").Distinct();

    public string? AlpnSelected => Values(DissectorDirection.ServerToClient, "tls.handshake.extensions_alpn_str").FirstOrDefault();

    private IEnumerable<string> Values(DissectorDirection d, string field)
        => Records.Where(r => r.Direction == d).SelectMany(r => r.Node.ValuesOf(field)).Select(v => v.ToString()!);

    /// <summary>"TLS 1.3, TLS_AES_256_GCM_SHA384, SNI www.contoso.test, ALPN h2".</summary>
    public string Summary()
    {
        var parts = new List<string>();
        if (Version is { } v) parts.Add(ProtocolVersions.Name(v));
        if (CipherSuite is { } s) parts.Add(CipherSuites.Name(s));
        if (ServerNames.Any()) parts.Add("SNI " + string.Join(",", ServerNames));
        if (AlpnSelected is { } a) parts.Add("ALPN " + a);
        else if (AlpnOffered.Any()) parts.Add("ALPN offered " + string.Join(",", AlpnOffered));
        return parts.Count == 0 ? "no handshake seen" : string.Join(", ", parts);
    }
}

/// <summary>Turns captures and byte streams into dissected connections, and prints them as text or JSON.</summary>
public static class DissectReport
{
    /// <summary>Reads <paramref name="path"/> (pcap, pcapng, hex dump or raw bytes) and dissects every TCP connection in it.</summary>
    public static (CaptureInputKind Kind, IReadOnlyList<DissectedConnection> Connections) FromFile(string path)
    {
        byte[] head = new byte[4096];
        int n;
        using (var f = File.OpenRead(path))
            n = f.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        var kind = CaptureReader.Detect(head.AsSpan(0, n));
        IReadOnlyList<DissectedConnection> connections = kind switch
        {
            CaptureInputKind.Pcap or CaptureInputKind.PcapNg => [.. CaptureReader.ReadTcp(path).Select(FromConversation)],
            CaptureInputKind.HexDump => [FromStream(HexDump.Parse(File.ReadAllText(path)))],
            _ => [FromStream(File.ReadAllBytes(path))],
        };
        return (kind, connections);
    }

    /// <summary>Dissects one reassembled TCP connection, records in the order their bytes were captured.</summary>
    public static DissectedConnection FromConversation(TcpConversation conversation)
    {
        var d = new Dissector();
        var records = new List<DissectedRecord>();
        foreach (var chunk in conversation.Chunks)
            records.AddRange(d.Feed(chunk.Direction, chunk.Data).Select(node => new DissectedRecord(chunk.Direction, node)));
        records.AddRange(d.Finish().Select(x => new DissectedRecord(x.Direction, x.Node)));
        return new DissectedConnection
        {
            Index = conversation.Index,
            Client = conversation.Client,
            Server = conversation.Server,
            Notes = conversation.Notes,
            Records = records,
            Version = d.NegotiatedVersion,
            CipherSuite = d.NegotiatedCipherSuite,
        };
    }

    /// <summary>Dissects a single byte stream (raw or hex input), taken as sent by the client.</summary>
    public static DissectedConnection FromStream(byte[] data)
    {
        var d = new Dissector();
        var records = d.Feed(DissectorDirection.ClientToServer, data).Select(n => new DissectedRecord(DissectorDirection.ClientToServer, n)).ToList();
        records.AddRange(d.Finish().Select(x => new DissectedRecord(x.Direction, x.Node)));
        return new DissectedConnection { Index = 0, Records = records, Version = d.NegotiatedVersion, CipherSuite = d.NegotiatedCipherSuite };
    }

    private static string Arrow(DissectedConnection c, DissectorDirection d)
        => c.Client is null ? (d == DissectorDirection.ClientToServer ? "Stream" : "Stream (reverse)")
            : d == DissectorDirection.ClientToServer ? $"Client -> Server {c.Client} -> {c.Server}" : $"Server -> Client {c.Server} -> {c.Client}";

    /// <summary>The text form: a header per connection, a header at each change of direction, the records indented below.</summary>
    public static string ToText(IReadOnlyList<DissectedConnection> connections)
    {
        var sb = new StringBuilder();
        foreach (var c in connections)
        {
            sb.Append(c.Client is null ? "Stream" : $"Connection {c.Index}: {c.Client} -> {c.Server}")
              .Append(" (").Append(c.Summary()).Append(")\n");
            foreach (var note in c.Notes)
                sb.Append("  [").Append(note).Append("]\n");
            DissectorDirection? last = null;
            foreach (var r in c.Records)
            {
                if (r.Direction != last)
                {
                    sb.Append("  ").Append(Arrow(c, r.Direction)).Append('\n');
                    last = r.Direction;
                }
                r.Node.WriteText(sb, 1);
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>The JSON form: the same tree, with Wireshark field names and raw values on the nodes.</summary>
    public static string ToJson(string file, CaptureInputKind kind, IReadOnlyList<DissectedConnection> connections)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("file", file);
            w.WriteString("format", kind.ToString().ToLowerInvariant());
            w.WriteStartArray("connections");
            foreach (var c in connections)
            {
                w.WriteStartObject();
                w.WriteNumber("index", c.Index);
                if (c.Client is not null)
                {
                    w.WriteString("client", c.Client.ToString());
                    w.WriteString("server", c.Server!.ToString());
                }
                if (c.Version is { } v) w.WriteString("version", ProtocolVersions.Name(v));
                if (c.CipherSuite is { } s) w.WriteString("cipher_suite", CipherSuites.Name(s));
                w.WriteStartArray("server_names");
                foreach (var sni in c.ServerNames) w.WriteStringValue(sni);
                w.WriteEndArray();
                w.WriteStartArray("alpn_offered");
                foreach (var a in c.AlpnOffered) w.WriteStringValue(a);
                w.WriteEndArray();
                if (c.AlpnSelected is { } sel) w.WriteString("alpn_selected", sel);
                w.WriteStartArray("notes");
                foreach (var note in c.Notes) w.WriteStringValue(note);
                w.WriteEndArray();
                w.WriteStartArray("records");
                foreach (var r in c.Records)
                {
                    w.WriteStartObject();
                    w.WriteString("direction", r.Direction == DissectorDirection.ClientToServer ? "client_to_server" : "server_to_client");
                    w.WritePropertyName("record");
                    r.Node.WriteJson(w);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }
}
