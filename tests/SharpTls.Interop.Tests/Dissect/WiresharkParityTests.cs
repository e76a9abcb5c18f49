using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using SharpTls.Cli.Commands;

namespace SharpTls.Interop.Tests.Dissect;

/// <summary>
/// Wireshark parity: for every capture fixture, the values tshark reports for the TLS fields
/// below equal the values our `sharptls dissect --json` puts on the nodes with the same field
/// names, per TCP connection and in capture order. tshark must be installed: without it the
/// test fails.
/// </summary>
public class WiresharkParityTests
{
    private static readonly string[] Fields =
    [
        "tls.record.content_type", "tls.record.opaque_type", "tls.record.version", "tls.record.length",
        "tls.handshake.type", "tls.handshake.length", "tls.handshake.version",
        "tls.handshake.session_id_length", "tls.handshake.cipher_suites_length", "tls.handshake.ciphersuite",
        "tls.handshake.comp_method", "tls.handshake.extensions_length",
        "tls.handshake.extension.type", "tls.handshake.extension.len",
        "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
        "tls.handshake.extensions_supported_group", "tls.handshake.extensions_ec_point_format",
        "tls.handshake.extensions_key_share_group", "tls.handshake.extensions_key_share_selected_group",
        "tls.handshake.extensions.supported_version", "tls.extension.psk_ke_mode", "tls.handshake.sig_hash_alg",
        "tls.handshake.certificate_length", "tls.handshake.server_named_curve",
        "tls.alert_message.level", "tls.alert_message.desc",
    ];

    private static string Fixture(string relative) => Path.Combine(AppContext.BaseDirectory, "fixtures", relative);

    public static TheoryData<string> Captures() => new(Directory.GetFiles(Fixture("captures"))
        .Where(f => f.EndsWith(".pcapng") || f.EndsWith(".pcap")).Select(Path.GetFileName).Order()!);

    [Theory]
    [MemberData(nameof(Captures))]
    public void SameValuesAsTshark(string file)
    {
        string path = Fixture($"captures/{file}");
        var theirs = Tshark(path);
        var ours = Ours(path);
        Assert.NotEmpty(theirs);
        Assert.Equal(theirs.Keys.Select(k => k.Stream).Distinct().Order(), ours.Keys.Select(k => k.Stream).Distinct().Order());
        var mismatches = new List<string>();
        foreach (var key in theirs.Keys.Union(ours.Keys).OrderBy(k => k.Stream).ThenBy(k => k.Field))
        {
            var t = theirs.GetValueOrDefault(key) ?? [];
            var o = ours.GetValueOrDefault(key) ?? [];
            if (!t.SequenceEqual(o))
                mismatches.Add($"stream {key.Stream} {key.Field}:\n  tshark: {string.Join(",", t)}\n  ours:   {string.Join(",", o)}");
        }
        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
        // The fields that matter most are really there.
        foreach (var f in new[] { "tls.handshake.ciphersuite", "tls.handshake.extensions_server_name", "tls.handshake.extension.type" })
            Assert.Contains(ours.Keys, k => k.Field == f);
    }

    private static Dictionary<(int Stream, string Field), List<string>> Tshark(string path)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-r", path, "-Y", "tls", "-T", "fields", "-E", "separator=/t", "-E", "aggregator=;", "-e", "tcp.stream" })
            psi.ArgumentList.Add(a);
        foreach (var f in Fields)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(f);
        }
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        Assert.True(p.ExitCode == 0, $"tshark failed: {stderr.Result}");

        var result = new Dictionary<(int, string), List<string>>();
        foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var cols = line.TrimEnd('\r').Split('\t');
            int stream = int.Parse(cols[0], CultureInfo.InvariantCulture);
            for (int i = 0; i < Fields.Length; i++)
            {
                if (i + 1 >= cols.Length || cols[i + 1].Length == 0)
                    continue;
                var list = result.TryGetValue((stream, Fields[i]), out var l) ? l : result[(stream, Fields[i])] = [];
                list.AddRange(cols[i + 1].Split(';').Select(Normalize));
            }
        }
        return result;
    }

    private static Dictionary<(int Stream, string Field), List<string>> Ours(string path)
    {
        var output = new StringWriter();
        Assert.Equal(0, DissectCommand.Run(path, json: true, output, Console.Error));
        using var doc = JsonDocument.Parse(output.ToString());
        var result = new Dictionary<(int, string), List<string>>();
        foreach (var conn in doc.RootElement.GetProperty("connections").EnumerateArray())
        {
            int stream = conn.GetProperty("index").GetInt32();
            foreach (var record in conn.GetProperty("records").EnumerateArray())
                Walk(record.GetProperty("record"), stream, result);
        }
        return result;
    }

    private static void Walk(JsonElement node, int stream, Dictionary<(int, string), List<string>> result)
    {
        if (node.TryGetProperty("field", out var field) && Fields.Contains(field.GetString()) && node.TryGetProperty("value", out var value))
        {
            var key = (stream, field.GetString()!);
            var list = result.TryGetValue(key, out var l) ? l : result[key] = [];
            list.Add(Normalize(value.ValueKind == JsonValueKind.Number ? value.GetInt64().ToString(CultureInfo.InvariantCulture) : value.GetString()!));
        }
        if (node.TryGetProperty("children", out var children))
            foreach (var c in children.EnumerateArray())
                Walk(c, stream, result);
    }

    // tshark prints some numbers in hex ("0x1301"), some in decimal: compare as decimal.
    private static string Normalize(string v)
        => v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long n)
            ? n.ToString(CultureInfo.InvariantCulture) : v;
}
