using System.Globalization;
using System.Text.RegularExpressions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Options for <see cref="Curl"/>.</summary>
public sealed record CurlOptions
{
    /// <summary>Server port.</summary>
    public required int Port { get; init; }

    /// <summary>Host name in the URL (SNI, Host header, verified name); resolved to <see cref="Address"/> with --resolve.</summary>
    public string HostName { get; init; } = "localhost";

    /// <summary>Address the host name resolves to.</summary>
    public string Address { get; init; } = Ports.Loopback;

    /// <summary>URL path.</summary>
    public string Path { get; init; } = "/";

    /// <summary>How many times to request the URL in one curl run (2 or more shows session reuse).</summary>
    public int Requests { get; init; } = 1;

    /// <summary>--cacert; default the test root.</summary>
    public string? CaFile { get; init; }

    /// <summary>False: --insecure.</summary>
    public bool Verify { get; init; } = true;

    /// <summary>--http1.1 or --http2 (null: curl's default, which offers h2 and http/1.1).</summary>
    public string? Http { get; init; }

    /// <summary>Exactly this version (--tlsv1.x with --tls-max).</summary>
    public ProtocolVersion? Version { get; init; }

    /// <summary>--ciphers (TLS 1.2 and below, openssl names).</summary>
    public string? Ciphers { get; init; }

    /// <summary>--tls13-ciphers.</summary>
    public string? Tls13Ciphers { get; init; }

    /// <summary>--curves (openssl group names, ':'-separated).</summary>
    public string? Curves { get; init; }

    /// <summary>--cert/--key (client certificate, full chain).</summary>
    public TestCertificate? ClientCertificate { get; init; }

    /// <summary>NSS key log (through SSLKEYLOGFILE).</summary>
    public string? KeyLogFile { get; init; }

    /// <summary>Anything else, before the URL.</summary>
    public IReadOnlyList<string> ExtraArgs { get; init; } = [];

    /// <summary>The URL requested.</summary>
    public string Url => $"https://{HostName}:{Port}{Path}";
}

/// <summary>What curl saw: the TLS fields plus the HTTP response.</summary>
public sealed record CurlResult : TlsPeerResult
{
    /// <summary>HTTP status of the last response.</summary>
    public int? StatusCode { get; init; }

    /// <summary>"1.0", "1.1", "2".</summary>
    public string? HttpVersion { get; init; }

    /// <summary>Response body (stdout).</summary>
    public string Body { get; init; } = "";

    /// <summary>curl's exit code meaning ("SSL certificate problem: certificate has expired").</summary>
    public string? CurlError { get; init; }
}

/// <summary>curl -v against a local server, parsed.</summary>
public static partial class Curl
{
    /// <summary>Runs curl and parses its verbose output.</summary>
    public static async Task<CurlResult> GetAsync(CurlOptions options)
    {
        var a = new List<string> { "-v", "-sS", "--max-time", "10", "--resolve", $"{options.HostName}:{options.Port}:{options.Address}" };
        a.AddRange(options.Verify ? ["--cacert", options.CaFile ?? TestPki.Shared.RootCaPath] : ["--insecure"]);
        if (options.Http is "1.1")
            a.Add("--http1.1");
        else if (options.Http is "2")
            a.Add("--http2");
        if (options.Version is { } v)
        {
            string n = v switch
            {
                ProtocolVersion.Tls13 => "1.3",
                ProtocolVersion.Tls12 => "1.2",
                ProtocolVersion.Tls11 => "1.1",
                ProtocolVersion.Tls10 => "1.0",
                _ => throw new ArgumentOutOfRangeException(nameof(options), v, "curl cannot do this version"),
            };
            a.AddRange(["--tlsv" + n, "--tls-max", n]);
        }
        if (options.Ciphers is not null)
            a.AddRange(["--ciphers", options.Ciphers]);
        if (options.Tls13Ciphers is not null)
            a.AddRange(["--tls13-ciphers", options.Tls13Ciphers]);
        if (options.Curves is not null)
            a.AddRange(["--curves", options.Curves]);
        if (options.ClientCertificate is { } cert)
            a.AddRange(["--cert", cert.FullChainPath, "--key", cert.KeyPath]);
        a.AddRange(options.ExtraArgs);
        for (int i = 0; i < Math.Max(1, options.Requests); i++)
            a.Add(options.Url);

        await using var p = PeerProcess.Start("curl", a, new PeerProcessOptions
        {
            DisplayName = "curl",
            Environment = options.KeyLogFile is null ? null : new Dictionary<string, string> { ["SSLKEYLOGFILE"] = options.KeyLogFile },
        });
        int code = await p.WaitForExitAsync(TimeSpan.FromSeconds(15));
        return Parse(p.StandardError, p.StandardOutput, code);
    }

    /// <summary>Parses curl -v stderr (7.88 wording) and the body.</summary>
    public static CurlResult Parse(string verbose, string body, int exitCode)
    {
        var conn = Last(ConnectionLine(), verbose);
        bool completed = conn is not null;
        string? alpn = Last(AlpnAccepted(), verbose);
        string? curlError = Last(CurlErrorLine(), verbose);
        string? status = Last(StatusLine(), verbose, 2);
        var alert = AlertLine().Match(verbose);
        return new CurlResult
        {
            Peer = "curl",
            HandshakeCompleted = completed,
            Version = completed ? TlsNames.ParseVersion(conn) : null,
            Cipher = completed ? TlsNames.NormalizeCipher(Last(ConnectionLine(), verbose, 2)) : null,
            Alpn = alpn,
            Resumed = completed ? verbose.Contains("SSL re-using session ID", StringComparison.Ordinal) : null,
            Verified = verbose.Contains("SSL certificate verify ok.", StringComparison.Ordinal) ? true
                : verbose.Contains("SSL certificate problem", StringComparison.Ordinal) || verbose.Contains("SSL: no alternative certificate subject name matches", StringComparison.Ordinal) ? false : null,
            VerificationError = Last(CertificateProblem(), verbose),
            Alert = alert.Success ? TlsNames.ParseAlert(alert.Groups[1].Value) : null,
            AlertText = alert.Success ? alert.Value.Trim() : null,
            PeerCertificateSubject = Last(SubjectLine(), verbose),
            ReceivedData = body,
            Error = curlError,
            CurlError = curlError,
            ExitCode = exitCode,
            StatusCode = status is null ? null : int.Parse(status, CultureInfo.InvariantCulture),
            HttpVersion = Last(StatusLine(), verbose),
            Body = body,
            Output = verbose,
        };
    }

    private static string? Last(Regex regex, string text, int group = 1)
    {
        var m = regex.Matches(text);
        return m.Count == 0 ? null : m[^1].Groups[group].Value.Trim();
    }

    [GeneratedRegex(@"^\* SSL connection using (\S+) / (\S+)", RegexOptions.Multiline)]
    private static partial Regex ConnectionLine();

    [GeneratedRegex(@"^\* ALPN[:,] server accepted(?: to use)? (\S+)", RegexOptions.Multiline)]
    private static partial Regex AlpnAccepted();

    [GeneratedRegex(@"^curl: \(\d+\) (.*)$", RegexOptions.Multiline)]
    private static partial Regex CurlErrorLine();

    [GeneratedRegex(@"^< HTTP/([\d.]+) (\d{3})", RegexOptions.Multiline)]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"(?:SSL certificate problem: |SSL: (?=no alternative certificate subject name matches))(.*)$", RegexOptions.Multiline)]
    private static partial Regex CertificateProblem();

    [GeneratedRegex(@"^\*\s+subject: (.*)$", RegexOptions.Multiline)]
    private static partial Regex SubjectLine();

    [GeneratedRegex(@"(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)")]
    private static partial Regex AlertLine();
}
