using SharpTls.Wire;

namespace SharpTls.Diagnostics;

/// <summary>Which way bytes travel on a connection.</summary>
public enum DissectorDirection
{
    ClientToServer,
    ServerToClient,
}

/// <summary>
/// Renders TLS byte streams (both directions of one connection) as Wireshark-style trees: one
/// node per record, with its handshake messages, extensions, certificates and alerts decoded.
/// It is lenient where the engine is strict: a malformed part becomes a "[Malformed ...]" line
/// and the dissection goes on with the next record. Feed the chunks of both directions in the
/// order they were sent; the dissector follows the handshake (ServerHello's version and suite,
/// ChangeCipherSpec) to know which records are encrypted and how to read key exchanges.
/// </summary>
public sealed partial class Dissector
{
    private readonly DirectionState _client = new(), _server = new();
    private readonly List<(DissectionNode Node, string Label)> _labelledBeforeVersion = [];

    /// <summary>The version the ServerHello (or HelloRetryRequest) chose, once seen.</summary>
    public ushort? NegotiatedVersion { get; private set; }

    /// <summary>The cipher suite the ServerHello chose, once seen.</summary>
    public ushort? NegotiatedCipherSuite { get; private set; }

    /// <summary>Feeds the next bytes of one direction; returns the records they complete.</summary>
    public IReadOnlyList<DissectionNode> Feed(DissectorDirection direction, ReadOnlySpan<byte> data)
    {
        var state = direction == DissectorDirection.ClientToServer ? _client : _server;
        state.Pending.AddRange(data);
        var records = new List<DissectionNode>();
        while (TryTakeRecord(state, out var record, out int consumed))
        {
            state.Pending.RemoveRange(0, consumed);
            records.Add(record);
        }
        return records;
    }

    /// <summary>Ends the dissection: bytes that do not make a whole record become one "[Incomplete ...]" line per direction.</summary>
    public IReadOnlyList<(DissectorDirection Direction, DissectionNode Node)> Finish()
    {
        var result = new List<(DissectorDirection, DissectionNode)>();
        foreach (var (dir, s) in new[] { (DissectorDirection.ClientToServer, _client), (DissectorDirection.ServerToClient, _server) })
        {
            if (s.Pending.Count > 0)
                result.Add((dir, new DissectionNode($"[Incomplete record: {s.Pending.Count} byte(s) at the end of the stream]")));
            if (s.Handshake.Count > 0)
                result.Add((dir, new DissectionNode($"[Incomplete handshake message: {s.Handshake.Count} byte(s) never completed]")));
            s.Pending.Clear();
            s.Handshake.Clear();
        }
        return result;
    }

    /// <summary>
    /// Dissects one message a connection sent or received, after decryption (from an
    /// <see cref="IHandshakeTrace"/>): a handshake message, an alert or a ChangeCipherSpec.
    /// This is what a capture cannot show: EncryptedExtensions, Certificate, CertificateVerify, Finished.
    /// </summary>
    public DissectionNode DissectMessage(ContentType contentType, ReadOnlySpan<byte> bytes, ProtocolVersion? version, bool encrypted)
    {
        if (version is { } v) NegotiatedVersion = (ushort)v;
        string protection = encrypted ? " [decrypted]" : "";
        switch (contentType)
        {
            case ContentType.Handshake when bytes.Length >= 4:
                var (_, node) = HandshakeMessage(bytes.ToArray());
                node.Text += protection;
                return node;
            case ContentType.Alert when bytes.Length == 2:
                string level = bytes[0] switch { 1 => "Warning", 2 => "Fatal", _ => "Unknown" };
                var alert = new DissectionNode($"Alert Message (Level: {level}, Description: {Alerts.Name((AlertDescription)bytes[1])}){protection}");
                alert.Add($"Level: {level} ({bytes[0]})", "tls.alert_message.level", (long)bytes[0]);
                alert.Add($"Description: {Alerts.Name((AlertDescription)bytes[1])} ({bytes[1]})", "tls.alert_message.desc", (long)bytes[1]);
                return alert;
            case ContentType.ChangeCipherSpec:
                return new DissectionNode("Change Cipher Spec Message", "tls.change_cipher_spec", "");
            default:
                return new DissectionNode($"[{contentType}: {bytes.Length} byte(s) {Hex(bytes, 24)}]");
        }
    }

    /// <summary>Dissects a whole single stream (a raw capture of one direction or of a record sequence).</summary>
    public static IReadOnlyList<DissectionNode> DissectStream(ReadOnlySpan<byte> data, DissectorDirection direction = DissectorDirection.ClientToServer)
    {
        var d = new Dissector();
        var nodes = d.Feed(direction, data).ToList();
        nodes.AddRange(d.Finish().Select(x => x.Node));
        return nodes;
    }

    private sealed class DirectionState
    {
        public readonly List<byte> Pending = [];
        public readonly List<byte> Handshake = [];
        public bool Encrypted; // after ChangeCipherSpec in SSL 3.0 .. TLS 1.2
        public ushort LastRecordVersion;
    }

    private bool IsTls13 => NegotiatedVersion == (ushort)ProtocolVersion.Tls13;

    private bool TryTakeRecord(DirectionState state, out DissectionNode record, out int consumed)
    {
        record = null!;
        consumed = 0;
        var p = state.Pending;
        if (p.Count == 0)
            return false;

        // SSL 2.0 record header (2-byte length with the high bit set) carrying a ClientHello.
        // The message type byte must lie inside the record: a length of 0 cannot carry a ClientHello (found by fuzzing).
        if ((p[0] & 0x80) != 0 && p.Count >= 3 && p[2] == 1 && (((p[0] & 0x7F) << 8) | p[1]) >= 1)
        {
            int len2 = ((p[0] & 0x7F) << 8) | p[1];
            if (p.Count < 2 + len2)
                return false;
            consumed = 2 + len2;
            record = Ssl2ClientHello(p.GetRange(2, len2).ToArray());
            return true;
        }

        if (p.Count < 5)
            return false;
        byte type = p[0];
        ushort version = (ushort)((p[1] << 8) | p[2]);
        int length = (p[3] << 8) | p[4];
        if (!IsRecordType(type) || (p[1] != 3 && !Grease.IsGrease(version)))
        {
            // Not a TLS record: show what is left and stop reading this direction.
            consumed = p.Count;
            record = new DissectionNode($"[Not TLS: {p.Count} byte(s) starting {Convert.ToHexStringLower(p.GetRange(0, Math.Min(16, p.Count)).ToArray())}]");
            return true;
        }
        if (p.Count < 5 + length)
            return false;
        consumed = 5 + length;
        var body = p.GetRange(5, length).ToArray();
        state.LastRecordVersion = version;
        record = Record(state, type, version, body);
        return true;
    }

    // Records before the ServerHello are labelled, as Wireshark does, with the version the session settles on.
    private void Relabel()
    {
        string label = VersionLabel(NegotiatedVersion!.Value);
        foreach (var (node, old) in _labelledBeforeVersion)
            node.Text = label + node.Text[old.Length..];
        _labelledBeforeVersion.Clear();
    }

    private static bool IsRecordType(byte t) => t is >= 20 and <= 24;

    private static string ContentTypeName(byte t) => t switch
    {
        20 => "Change Cipher Spec",
        21 => "Alert",
        22 => "Handshake",
        23 => "Application Data",
        24 => "Heartbeat",
        _ => "Unknown",
    };

    /// <summary>"TLSv1.2", "SSLv3": the label Wireshark puts before "Record Layer".</summary>
    public static string VersionLabel(ushort v) => v switch
    {
        0x0002 => "SSLv2",
        0x0300 => "SSLv3",
        0x0301 => "TLSv1",
        0x0302 => "TLSv1.1",
        0x0303 => "TLSv1.2",
        0x0304 => "TLSv1.3",
        _ => "TLS",
    };

    private DissectionNode Record(DirectionState state, byte type, ushort version, byte[] body)
    {
        string label = VersionLabel(NegotiatedVersion ?? version);
        var node = new DissectionNode("", "tls.record");
        if (type == 23 && IsTls13) // TLS 1.3 hides the real type inside the encryption (RFC 8446 §5.2)
            node.Add($"Opaque Type: Application Data ({type})", "tls.record.opaque_type", (long)type);
        else
            node.Add($"Content Type: {ContentTypeName(type)} ({type})", "tls.record.content_type", (long)type);
        node.Add($"Version: {ProtocolVersions.Describe(version)}", "tls.record.version", (long)version);
        node.Add($"Length: {body.Length}", "tls.record.length", (long)body.Length);
        string summary;
        switch (type)
        {
            case 20:
                summary = "Change Cipher Spec Protocol: Change Cipher Spec";
                node.Add("Change Cipher Spec Message", "tls.change_cipher_spec", "");
                // TLS 1.3 sends it only for middlebox compatibility: nothing is encrypted by it.
                if (!IsTls13)
                    state.Encrypted = true;
                break;
            case 21 when state.Encrypted || body.Length != 2:
                summary = "Alert Protocol: Encrypted Alert";
                node.Add($"Alert Message: Encrypted Alert ({body.Length} bytes)");
                break;
            case 21:
                string level = body[0] switch { 1 => "Warning", 2 => "Fatal", _ => "Unknown" };
                string desc = Alerts.Name((AlertDescription)body[1]);
                summary = $"Alert (Level: {level}, Description: {desc})";
                var alert = node.Add("Alert Message");
                alert.Add($"Level: {level} ({body[0]})", "tls.alert_message.level", (long)body[0]);
                alert.Add($"Description: {desc} ({body[1]})", "tls.alert_message.desc", (long)body[1]);
                break;
            case 22 when state.Encrypted:
                summary = "Handshake Protocol: Encrypted Handshake Message";
                node.Add($"Handshake Protocol: Encrypted Handshake Message ({body.Length} bytes)", "tls.handshake.encrypted", (long)body.Length);
                break;
            case 22:
                summary = HandshakeRecord(state, body, node);
                break;
            case 23:
                summary = "Application Data Protocol: Application Data";
                node.Add($"Encrypted Application Data: {Hex(body, 24)}", "tls.app_data", (long)body.Length);
                break;
            default:
                summary = "Heartbeat";
                node.Add($"Heartbeat Message ({body.Length} bytes)");
                break;
        }
        node.Text = $"{label} Record Layer: {summary}";
        _labelledBeforeVersion.Add((node, label));
        if (NegotiatedVersion is not null)
            Relabel();
        return node;
    }

    private string HandshakeRecord(DirectionState state, byte[] body, DissectionNode node)
    {
        state.Handshake.AddRange(body);
        var names = new List<string>();
        while (state.Handshake.Count >= 4)
        {
            int len = (state.Handshake[1] << 16) | (state.Handshake[2] << 8) | state.Handshake[3];
            if (state.Handshake.Count < 4 + len)
                break;
            var message = state.Handshake.GetRange(0, 4 + len).ToArray();
            state.Handshake.RemoveRange(0, 4 + len);
            var (name, msgNode) = HandshakeMessage(message);
            names.Add(name);
            node.Add(msgNode);
        }
        if (state.Handshake.Count > 0)
            node.Add($"[Handshake message fragment: {state.Handshake.Count} byte(s) so far, completed in a later record]");
        return names.Count switch
        {
            0 => "Handshake Protocol: fragment",
            1 => $"Handshake Protocol: {names[0]}",
            _ => "Handshake Protocol: Multiple Handshake Messages",
        };
    }

    internal static string Hex(ReadOnlySpan<byte> data, int max = int.MaxValue)
        => data.Length <= max ? Convert.ToHexStringLower(data) : Convert.ToHexStringLower(data[..max]) + "...";
}
