using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>
/// What one peer saw of one connection, parsed from its output into fields (null = the peer did not say).
/// Names are normalised across peers: <see cref="Cipher"/> is the IANA name, <see cref="Group"/> the
/// IANA group name in lower case ("x25519", "secp256r1"), <see cref="Version"/> the wire version.
/// </summary>
public record TlsPeerResult
{
    /// <summary>Which peer ("openssl s_client", "gnutls-cli", "curl", "python ssl", "SslStream").</summary>
    public required string Peer { get; init; }

    /// <summary>True if the peer completed the handshake.</summary>
    public bool HandshakeCompleted { get; init; }

    /// <summary>Negotiated version.</summary>
    public ProtocolVersion? Version { get; init; }

    /// <summary>Negotiated cipher suite, IANA name ("TLS_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").</summary>
    public string? Cipher { get; init; }

    /// <summary>Key exchange group, IANA name in lower case ("x25519", "secp256r1", "ffdhe2048").</summary>
    public string? Group { get; init; }

    /// <summary>Negotiated ALPN protocol, null if none.</summary>
    public string? Alpn { get; init; }

    /// <summary>True if the session was resumed.</summary>
    public bool? Resumed { get; init; }

    /// <summary>True if a HelloRetryRequest happened (needs message tracing: openssl Trace).</summary>
    public bool? HelloRetryRequest { get; init; }

    /// <summary>Certificate verification outcome on this side.</summary>
    public bool? Verified { get; init; }

    /// <summary>Why verification failed, in the peer's words ("certificate has expired").</summary>
    public string? VerificationError { get; init; }

    /// <summary>The fatal alert seen (sent or received), if any.</summary>
    public AlertDescription? Alert { get; init; }

    /// <summary>The alert line as the peer printed it.</summary>
    public string? AlertText { get; init; }

    /// <summary>Subject of the certificate the other side presented.</summary>
    public string? PeerCertificateSubject { get; init; }

    /// <summary>Server side: the SNI name the client sent.</summary>
    public string? ServerName { get; init; }

    /// <summary>Application data received from the other side (as far as the peer shows it).</summary>
    public string ReceivedData { get; init; } = "";

    /// <summary>First error line the peer printed, if any.</summary>
    public string? Error { get; init; }

    /// <summary>Exit code of a peer process (null for in-process peers or while running).</summary>
    public int? ExitCode { get; init; }

    /// <summary>The peer's full output, for failure messages.</summary>
    public string Output { get; init; } = "";

    /// <summary>One line summary plus the full output: use as the assertion message.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(Peer).Append(": ").Append(HandshakeCompleted ? "handshake completed" : "handshake NOT completed");
        void Field(string name, object? value)
        {
            if (value is not null)
                sb.Append(", ").Append(name).Append('=').Append(value);
        }
        Field("version", Version is { } v ? ProtocolVersions.Name(v) : null);
        Field("cipher", Cipher);
        Field("group", Group);
        Field("alpn", Alpn);
        Field("resumed", Resumed);
        Field("hrr", HelloRetryRequest);
        Field("verified", Verified);
        Field("verifyError", VerificationError);
        Field("alert", Alert);
        Field("error", Error);
        Field("exit", ExitCode);
        sb.AppendLine().AppendLine("---- output ----").Append(Output);
        return sb.ToString();
    }
}

/// <summary>Normalises the names peers print into one vocabulary.</summary>
public static partial class TlsNames
{
    private static readonly Lazy<IReadOnlyList<(ushort Code, string Iana, string OpenSsl)>> OpenSslCiphers = new(LoadOpenSslCiphers);

    /// <summary>"TLSv1.3", "TLS1.3", "TLS 1.3", "Tls13", "SSLv3" ... to the wire version.</summary>
    public static ProtocolVersion? ParseVersion(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        string t = text.Trim().ToUpperInvariant().Replace(" ", "").Replace("V", "").Replace("_", "").Replace(".", "");
        return t switch
        {
            "TLS13" => ProtocolVersion.Tls13,
            "TLS12" => ProtocolVersion.Tls12,
            "TLS11" => ProtocolVersion.Tls11,
            "TLS1" or "TLS10" => ProtocolVersion.Tls10,
            "SSL3" or "SSL30" => ProtocolVersion.Ssl3,
            "SSL2" or "SSL20" => ProtocolVersion.Ssl2,
            _ => null,
        };
    }

    /// <summary>The openssl spelling of a version ("TLSv1.3"), for -min_protocol and friends.</summary>
    public static string OpenSslName(ProtocolVersion v) => v switch
    {
        ProtocolVersion.Tls13 => "TLSv1.3",
        ProtocolVersion.Tls12 => "TLSv1.2",
        ProtocolVersion.Tls11 => "TLSv1.1",
        ProtocolVersion.Tls10 => "TLSv1",
        ProtocolVersion.Ssl3 => "SSLv3",
        _ => throw new ArgumentOutOfRangeException(nameof(v), v, null),
    };

    /// <summary>Group names from openssl ("X25519", "prime256v1", "P-256"), gnutls ("SECP256R1") ... to IANA lower case.</summary>
    public static string? NormalizeGroup(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
            return null;
        string n = name.Trim().ToLowerInvariant();
        return n switch
        {
            "prime256v1" or "p-256" or "secp256r1" or "nistp256" => "secp256r1",
            "p-384" or "secp384r1" or "nistp384" => "secp384r1",
            "p-521" or "secp521r1" or "nistp521" => "secp521r1",
            "x25519" or "ecdh_x25519" or "curve25519" => "x25519",
            "x448" or "ecdh_x448" or "curve448" => "x448",
            _ => n,
        };
    }

    /// <summary>An openssl cipher name ("ECDHE-RSA-AES128-GCM-SHA256") or IANA name to the IANA name.</summary>
    public static string? NormalizeCipher(string? name)
    {
        if (string.IsNullOrWhiteSpace(name) || name is "(NONE)" or "0000")
            return null;
        name = name.Trim();
        if (name.StartsWith("TLS_", StringComparison.Ordinal) || name.StartsWith("SSL_", StringComparison.Ordinal))
            return name;
        foreach (var c in OpenSslCiphers.Value)
            if (c.OpenSsl == name)
                return c.Iana;
        return name;
    }

    /// <summary>The IANA name of a cipher suite code point, as far as openssl knows it ("0x1301" if not).</summary>
    public static string CipherName(ushort code)
    {
        foreach (var c in OpenSslCiphers.Value)
            if (c.Code == code)
                return c.Iana;
        return $"0x{code:x4}";
    }

    /// <summary>An alert from a number or from text such as "sslv3 alert handshake failure", "unknown_ca", "Handshake failed".</summary>
    public static AlertDescription? ParseAlert(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
            return null;
        if (int.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int number))
            return Enum.IsDefined(typeof(AlertDescription), (byte)number) ? (AlertDescription)number : null;
        string squashed = AlertPrefix().Replace(text.Trim().ToLowerInvariant(), "").Replace(" ", "").Replace("_", "");
        if (squashed == "handshakefailed")
            squashed = "handshakefailure";
        foreach (AlertDescription a in Enum.GetValues<AlertDescription>())
            if (a.ToString().Equals(squashed, StringComparison.OrdinalIgnoreCase))
                return a;
        return null;
    }

    [GeneratedRegex("^(sslv3|tlsv1|tlsv13|ssl)?\\s*alert\\s*", RegexOptions.CultureInvariant)]
    private static partial Regex AlertPrefix();

    private static IReadOnlyList<(ushort, string, string)> LoadOpenSslCiphers()
    {
        using var p = PeerProcess.Start("openssl", ["ciphers", "-V", "-stdname", "ALL:COMPLEMENTOFALL:@SECLEVEL=0"],
            new PeerProcessOptions { DisplayName = "openssl ciphers", Unbuffered = false });
        if (p.WaitForExitAsync().GetAwaiter().GetResult() != 0)
            throw p.Failure("could not list cipher suites");
        var list = new List<(ushort, string, string)>();
        // "0x13,0x02 - TLS_AES_256_GCM_SHA384 - TLS_AES_256_GCM_SHA384 TLSv1.3 Kx=any ..."
        foreach (Match m in CipherLine().Matches(p.StandardOutput))
            list.Add(((ushort)(Convert.ToByte(m.Groups[1].Value, 16) << 8 | Convert.ToByte(m.Groups[2].Value, 16)), m.Groups[3].Value, m.Groups[4].Value));
        return list;
    }

    [GeneratedRegex(@"0x([0-9A-Fa-f]{2}),0x([0-9A-Fa-f]{2}) - (\S+)\s+- (\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex CipherLine();
}
