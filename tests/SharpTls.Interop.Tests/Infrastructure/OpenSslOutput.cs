using System.Formats.Asn1;
using System.Text;
using System.Text.RegularExpressions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Parses what <c>openssl s_client</c> and <c>openssl s_server</c> print (OpenSSL 3.0 wording).</summary>
public static partial class OpenSslOutput
{
    /// <summary>Parses s_client output (stdout and stderr combined).</summary>
    public static TlsPeerResult ParseClient(string output, int? exitCode = null)
    {
        var summary = SummaryLine().Match(output);
        bool completed = summary.Success && summary.Groups[3].Value != "(NONE)";
        // s_client prints its summary even after a failed handshake, so with -msg (OpenSslClient always traces)
        // the handshake completed iff Finished went both ways. Untraced output is taken at its word.
        if (output.Contains("\n>>> ", StringComparison.Ordinal))
        {
            var finished = FinishedLine().Matches(output);
            completed &= finished.Any(m => m.Groups[1].Value == ">>>") && finished.Any(m => m.Groups[1].Value == "<<<");
        }
        // The summary line names the suite's protocol for pre-TLS 1.2 suites ("New, SSLv3, Cipher is AES128-SHA");
        // the SSL-Session block's "Protocol" line is the negotiated version.
        var version = completed ? TlsNames.ParseVersion(FirstGroup(SessionProtocolLine(), output) ?? summary.Groups[2].Value) : null;
        string? verifyError = FirstGroup(VerifyErrorLine(), output);
        string? verificationLine = FirstGroup(VerificationLine(), output);
        bool? verified = verifyError is not null ? false
            : verificationLine is null ? null
            : verificationLine == "OK";
        if (verificationLine is not null && verificationLine.StartsWith("error: ", StringComparison.Ordinal))
            verifyError ??= verificationLine["error: ".Length..];
        var (alert, alertText) = ParseAlert(output);
        return new TlsPeerResult
        {
            Peer = "openssl s_client",
            HandshakeCompleted = completed,
            Version = version,
            Cipher = completed ? TlsNames.NormalizeCipher(summary.Groups[3].Value) : null,
            Group = completed ? ParseTempKey(output, version) : null,
            Alpn = completed ? FirstGroup(AlpnLine(), output) : null,
            Resumed = completed ? summary.Groups[1].Value == "Reused" : null,
            HelloRetryRequest = CountHellos(output, ">>>"),
            Verified = verified,
            VerificationError = verifyError,
            Alert = alert,
            AlertText = alertText,
            PeerCertificateSubject = Subject(FirstGroup(SubjectLine(), output)),
            ReceivedData = completed ? ClientData(output, summary.Index) : "",
            Error = FirstGroup(ErrorLine(), output),
            ExitCode = exitCode,
            Output = output,
        };
    }

    /// <summary>Splits s_server output into one segment per connection (each ends at "CONNECTION CLOSED" or at the end).</summary>
    public static IReadOnlyList<(string Text, bool Closed)> ServerSegments(string output)
    {
        int start = output.IndexOf("ACCEPT\n", StringComparison.Ordinal);
        start = start < 0 ? 0 : start + "ACCEPT\n".Length;
        var list = new List<(string, bool)>();
        while (start < output.Length)
        {
            int end = output.IndexOf("CONNECTION CLOSED\n", start, StringComparison.Ordinal);
            if (end < 0)
            {
                string rest = output[start..];
                if (!string.IsNullOrWhiteSpace(rest))
                    list.Add((rest, false));
                break;
            }
            list.Add((output[start..end], true));
            start = end + "CONNECTION CLOSED\n".Length;
        }
        return list;
    }

    /// <summary>Parses one s_server connection segment.</summary>
    public static TlsPeerResult ParseServerConnection(string segment, bool closed)
    {
        string? cipher = FirstGroup(ServerCipherLine(), segment);
        bool completed = cipher is not null;
        ProtocolVersion? version = null;
        var pem = SessionPem().Match(segment);
        if (pem.Success && TryDecodeSession(pem.Groups[1].Value, out ushort v, out ushort suite))
        {
            version = (ProtocolVersion)v;
            cipher ??= TlsNames.CipherName(suite);
        }
        string? sharedGroups = FirstGroup(SharedGroupsLine(), segment);
        var (alert, alertText) = ParseAlert(segment);
        string? clientSubject = segment.Contains("Client certificate\n", StringComparison.Ordinal) ? Subject(FirstGroup(SubjectLine(), segment)) : null;
        return new TlsPeerResult
        {
            Peer = "openssl s_server",
            HandshakeCompleted = completed,
            Version = version,
            Cipher = TlsNames.NormalizeCipher(cipher),
            Group = sharedGroups is not null && !sharedGroups.Contains(':') ? TlsNames.NormalizeGroup(sharedGroups) : null,
            Alpn = FirstGroup(ServerAlpnLine(), segment),
            Resumed = completed ? segment.Contains("Reused session-id", StringComparison.Ordinal) : null,
            HelloRetryRequest = CountHellos(segment, "<<<"),
            Verified = clientSubject is not null ? !segment.Contains("verify error:", StringComparison.Ordinal) : null,
            VerificationError = FirstGroup(VerifyErrorLine(), segment),
            Alert = alert,
            AlertText = alertText,
            PeerCertificateSubject = clientSubject,
            ServerName = FirstGroup(ServerNameLine(), segment),
            ReceivedData = completed ? ServerData(segment) : "",
            Error = FirstGroup(ErrorLine(), segment),
            Output = segment + (closed ? "CONNECTION CLOSED\n" : ""),
        };
    }

    /// <summary>Reads protocol version and cipher suite from a PEM "SSL SESSION PARAMETERS" block.</summary>
    public static bool TryDecodeSession(string base64, out ushort version, out ushort cipherSuite)
    {
        version = 0;
        cipherSuite = 0;
        try
        {
            // SSL_SESSION_ASN1 ::= SEQUENCE { version INTEGER, ssl_version INTEGER, cipher OCTET STRING (2), ... }
            var reader = new AsnReader(Convert.FromBase64String(base64), AsnEncodingRules.DER).ReadSequence();
            reader.ReadInteger();
            version = (ushort)(int)reader.ReadInteger();
            byte[] suite = reader.ReadOctetString();
            if (suite.Length != 2)
                return false;
            cipherSuite = (ushort)(suite[0] << 8 | suite[1]);
            return true;
        }
        catch (Exception e) when (e is AsnContentException or FormatException or OverflowException or InvalidCastException)
        {
            return false;
        }
    }

    private static string? ParseTempKey(string output, ProtocolVersion? version)
    {
        var m = TempKeyLine().Match(output);
        if (!m.Success)
            return null;
        string kind = m.Groups[1].Value, name = m.Groups[2].Value, bits = m.Groups[3].Value;
        if (kind == "DH")
            return version == ProtocolVersion.Tls13 ? "ffdhe" + bits : "dh" + bits;
        return TlsNames.NormalizeGroup(kind == "ECDH" ? name : kind);
    }

    private static bool? CountHellos(string output, string direction)
    {
        var hellos = HelloLine().Matches(output).Count(m => m.Groups[1].Value == direction);
        return hellos == 0 ? null : hellos >= 2;
    }

    private static (AlertDescription?, string?) ParseAlert(string output)
    {
        var traced = TracedAlertLine().Match(output);
        if (traced.Success)
            return (TlsNames.ParseAlert(traced.Groups[2].Value), traced.Value.Trim());
        var numbered = AlertNumber().Match(output);
        if (numbered.Success)
            return (TlsNames.ParseAlert(numbered.Groups[1].Value), numbered.Value.Trim());
        var text = AlertText().Match(output);
        if (text.Success)
            return (TlsNames.ParseAlert(text.Groups[1].Value), text.Value.Trim());
        return (null, null);
    }

    private static string ClientData(string output, int summaryIndex)
    {
        int start = output.IndexOf("\n---\n", output.IndexOf("Verify return code", summaryIndex, StringComparison.Ordinal) is var i and >= 0 ? i : summaryIndex, StringComparison.Ordinal);
        if (start < 0)
            return "";
        string rest = TicketBlock().Replace(output[(start + 5)..], "");
        return FilterNoise(rest);
    }

    private static string ServerData(string segment)
    {
        var m = ServerCipherLine().Match(segment);
        int start = segment.IndexOf('\n', m.Index) + 1;
        return FilterNoise(segment[start..]);
    }

    private static string FilterNoise(string text)
    {
        var sb = new StringBuilder();
        foreach (string line in text.Split('\n'))
        {
            if (NoiseLine().IsMatch(line))
                continue;
            sb.Append(line).Append('\n');
        }
        return sb.ToString().TrimEnd('\n') is { Length: > 0 } s ? s + "\n" : "";
    }

    /// <summary>"O = SharpTls Tests, CN = localhost" to "O=SharpTls Tests, CN=localhost".</summary>
    private static string? Subject(string? openssl) => openssl?.Replace(" = ", "=", StringComparison.Ordinal);

    private static string? FirstGroup(Regex regex, string text)
    {
        var m = regex.Match(text);
        return m.Success ? m.Groups[1].Value.Trim() : null;
    }

    [GeneratedRegex(@"^\s+Protocol\s+: (TLSv[\d.]+|SSLv3)\s*$", RegexOptions.Multiline)]
    private static partial Regex SessionProtocolLine();

    [GeneratedRegex(@"^(New|Reused), (TLSv[\d.]+|SSLv3|\(NONE\)), Cipher is (\S+)", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^Server Temp Key: (\w+), (?:([^,\n]+), )?(\d+) bits", RegexOptions.Multiline)]
    private static partial Regex TempKeyLine();

    [GeneratedRegex(@"^ALPN protocol: (\S+)", RegexOptions.Multiline)]
    private static partial Regex AlpnLine();

    [GeneratedRegex(@"^ALPN protocols selected: (\S+)", RegexOptions.Multiline)]
    private static partial Regex ServerAlpnLine();

    [GeneratedRegex(@"^Verification(?:: | )(OK|error: .*)$", RegexOptions.Multiline)]
    private static partial Regex VerificationLine();

    [GeneratedRegex(@"verify error:num=\d+:(.*)$", RegexOptions.Multiline)]
    private static partial Regex VerifyErrorLine();

    [GeneratedRegex(@"^subject=(.*)$", RegexOptions.Multiline)]
    private static partial Regex SubjectLine();

    [GeneratedRegex(@"^(\S*:error:.*|.*errno=\d+.*)$", RegexOptions.Multiline)]
    private static partial Regex ErrorLine();

    [GeneratedRegex(@"^(>>>|<<<) [^\n]*Handshake \[length [0-9a-f]+\], ClientHello", RegexOptions.Multiline)]
    private static partial Regex HelloLine();

    [GeneratedRegex(@"^(>>>|<<<) [^\n]*Handshake \[length [0-9a-f]+\], Finished", RegexOptions.Multiline)]
    private static partial Regex FinishedLine();

    [GeneratedRegex(@"^(>>>|<<<) [^\n]*Alert \[length [0-9a-f]+\], fatal (\w+)", RegexOptions.Multiline)]
    private static partial Regex TracedAlertLine();

    [GeneratedRegex(@"[^\n]*SSL alert number (\d+)")]
    private static partial Regex AlertNumber();

    [GeneratedRegex(@"(?<=[:\s])((?:sslv3|tlsv1|tlsv13) alert [a-z ]+)")]
    private static partial Regex AlertText();

    [GeneratedRegex(@"^CIPHER is (\S+)", RegexOptions.Multiline)]
    private static partial Regex ServerCipherLine();

    [GeneratedRegex(@"^Shared groups: (\S+)", RegexOptions.Multiline)]
    private static partial Regex SharedGroupsLine();

    [GeneratedRegex(@"^Hostname in TLS extension: ""([^""]*)""", RegexOptions.Multiline)]
    private static partial Regex ServerNameLine();

    [GeneratedRegex(@"-----BEGIN SSL SESSION PARAMETERS-----\n([A-Za-z0-9+/=\n]+)-----END SSL SESSION PARAMETERS-----")]
    private static partial Regex SessionPem();

    [GeneratedRegex(@"---\nPost-Handshake New Session Ticket arrived:\n.*?\n---\n", RegexOptions.Singleline)]
    private static partial Regex TicketBlock();

    [GeneratedRegex(@"^(read R BLOCK|---|DONE|closed|KEYUPDATE|RENEGOTIATING|shutting down SSL|Secure Renegotiation IS.*|Reused session-id|(<<<|>>>) .*|    .*|\s*)$")]
    private static partial Regex NoiseLine();
}
