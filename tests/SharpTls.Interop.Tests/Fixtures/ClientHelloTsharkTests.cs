using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using SharpTls.Cli.Captures;
using SharpTls.Interop.Tests.Dissect;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Records;
using SharpTls.Wire;
using CodecMessage = SharpTls.Messages.HandshakeMessage;

namespace SharpTls.Interop.Tests.Fixtures;

/// <summary>
/// The codec against Wireshark: every ClientHello of every capture fixture, decoded by
/// <see cref="ClientHello"/> from the reassembled TCP stream, has the versions, cipher suites,
/// extension types, SNI, ALPN, groups and key-share groups that tshark reports for it (per TCP
/// connection, in order). tshark must be installed: without it the test fails.
/// </summary>
public class ClientHelloTsharkTests
{
    private static readonly string[] Fields =
    [
        "tls.handshake.version", "tls.handshake.ciphersuite", "tls.handshake.extension.type",
        "tls.handshake.extensions_server_name", "tls.handshake.extensions_alpn_str",
        "tls.handshake.extensions_supported_group", "tls.handshake.extensions_key_share_group",
        "tls.handshake.extensions.supported_version",
    ];

    [Theory]
    [MemberData(nameof(WiresharkParityTests.Captures), MemberType = typeof(WiresharkParityTests))]
    public void ClientHelloFieldsEqualTsharks(string file)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "fixtures", "captures", file);
        var theirs = Tshark(path);
        var ours = Ours(path);
        Assert.NotEmpty(theirs);
        Assert.Equal(theirs.Keys.Order(), ours.Keys.Order());
        foreach (var stream in theirs.Keys)
        {
            Assert.Equal(theirs[stream].Count, ours[stream].Count);
            for (int i = 0; i < theirs[stream].Count; i++)
                foreach (var field in Fields)
                    Assert.True(theirs[stream][i][field].SequenceEqual(ours[stream][i][field]),
                        $"stream {stream} ClientHello {i} {field}:\n  tshark: {string.Join(",", theirs[stream][i][field])}\n  ours:   {string.Join(",", ours[stream][i][field])}");
        }
        Assert.Contains(ours.Values.SelectMany(h => h), h => h["tls.handshake.extensions_server_name"].SequenceEqual(["www.contoso.test"]));
    }

    /// <summary>tcp.stream -> the ClientHellos tshark sees in it, each as field -> values.</summary>
    private static Dictionary<int, List<Dictionary<string, List<string>>>> Tshark(string path)
    {
        var psi = new ProcessStartInfo("tshark") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-r", path, "-Y", "tls.handshake.type == 1", "-T", "fields", "-E", "separator=/t", "-E", "aggregator=;", "-e", "tcp.stream" })
            psi.ArgumentList.Add(a);
        foreach (var f in Fields)
        {
            psi.ArgumentList.Add("-e");
            psi.ArgumentList.Add(f);
        }
        Process p;
        try
        {
            p = Process.Start(psi)!;
        }
        catch (Win32Exception e)
        {
            Assert.Fail($"tshark is needed for this test (apt-get install -y tshark): {e.Message}");
            throw;
        }
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            Assert.True(p.ExitCode == 0, $"tshark failed: {stderr.Result}");
            var result = new Dictionary<int, List<Dictionary<string, List<string>>>>();
            foreach (var line in output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                var cols = line.TrimEnd('\r').Split('\t');
                int stream = int.Parse(cols[0], CultureInfo.InvariantCulture);
                var hello = new Dictionary<string, List<string>>();
                for (int i = 0; i < Fields.Length; i++)
                    hello[Fields[i]] = i + 1 < cols.Length && cols[i + 1].Length > 0 ? [.. cols[i + 1].Split(';').Select(Normalize)] : [];
                (result.TryGetValue(stream, out var l) ? l : result[stream] = []).Add(hello);
            }
            return result;
        }
    }

    private static Dictionary<int, List<Dictionary<string, List<string>>>> Ours(string path)
    {
        var result = new Dictionary<int, List<Dictionary<string, List<string>>>>();
        foreach (var conversation in CaptureReader.ReadTcp(path))
        {
            var hellos = ClientHellos(conversation.ClientToServer, AfterHelloRetryRequest(conversation.ServerToClient));
            if (hellos.Count > 0)
                result[conversation.Index] = [.. hellos.Select(FieldsOf)];
        }
        return result;
    }

    private static Dictionary<string, List<string>> FieldsOf(ClientHello ch)
    {
        static List<string> N<T>(IEnumerable<T> values) where T : struct, Enum => [.. values.Select(v => Convert.ToUInt16(v).ToString(CultureInfo.InvariantCulture))];
        return new()
        {
            ["tls.handshake.version"] = N([ch.LegacyVersion]),
            ["tls.handshake.ciphersuite"] = [.. ch.CipherSuites.Select(s => s.ToString(CultureInfo.InvariantCulture))],
            ["tls.handshake.extension.type"] = N(ch.Extensions.Types),
            ["tls.handshake.extensions_server_name"] = [.. ch.Extensions.Find<ServerNameExtension>()?.Names.Select(n => n.HostName ?? "") ?? []],
            ["tls.handshake.extensions_alpn_str"] = [.. ch.Extensions.Find<AlpnExtension>()?.ProtocolNames ?? []],
            ["tls.handshake.extensions_supported_group"] = N(ch.Extensions.Find<SupportedGroupsExtension>()?.Groups ?? []),
            ["tls.handshake.extensions_key_share_group"] = N(ch.Extensions.Find<KeyShareExtension>()?.ClientShares.Select(s => s.Group) ?? []),
            ["tls.handshake.extensions.supported_version"] = N(ch.Extensions.Find<SupportedVersionsExtension>()?.Versions ?? []),
        };
    }

    /// <summary>True when the server's first handshake message is a HelloRetryRequest (a second ClientHello follows the client's CCS).</summary>
    private static bool AfterHelloRetryRequest(byte[] serverToClient)
    {
        foreach (var message in HandshakeMessages(serverToClient, plaintextAfterCcs: false))
            return CodecMessage.Decode(message, MessageContext.None) is ServerHello { IsHelloRetryRequest: true };
        return false;
    }

    private static List<ClientHello> ClientHellos(byte[] clientToServer, bool plaintextAfterCcs)
        => [.. HandshakeMessages(clientToServer, plaintextAfterCcs).Where(m => m[0] == (byte)HandshakeType.ClientHello)
            .Select(m => CodecMessage.Decode<ClientHello>(m, MessageContext.None))];

    /// <summary>The plaintext handshake messages of one direction: up to application data, or up to ChangeCipherSpec unless told otherwise.</summary>
    private static IEnumerable<byte[]> HandshakeMessages(byte[] stream, bool plaintextAfterCcs)
    {
        using var deframer = new RecordDeframer();
        using var reassembler = new HandshakeReassembler();
        var messages = new List<byte[]>();
        var rest = stream.AsSpan();
        while (!rest.IsEmpty)
        {
            rest = rest[deframer.Feed(rest)..];
            while (deframer.TryRead(out var record))
            {
                if (record.Type == ContentType.ApplicationData || (record.Type == ContentType.ChangeCipherSpec && !plaintextAfterCcs))
                    return messages;
                if (record.Type != ContentType.Handshake) continue;
                reassembler.Add(record.Fragment);
                while (reassembler.TryGetMessage(out var message))
                    messages.Add(message.Bytes.ToArray());
            }
        }
        return messages;
    }

    // tshark prints some numbers in hex ("0x1301"), some in decimal: compare as decimal.
    private static string Normalize(string v)
        => v.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(v.AsSpan(2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long n)
            ? n.ToString(CultureInfo.InvariantCulture) : v;
}
