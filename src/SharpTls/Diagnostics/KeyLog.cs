using System.Text;

namespace SharpTls.Diagnostics;

/// <summary>
/// Receives secrets in the NSS key log format (the SSLKEYLOGFILE format Wireshark reads):
/// one line per secret, <c>LABEL &lt;client_random hex&gt; &lt;secret hex&gt;</c>.
/// </summary>
public interface IKeyLog
{
    /// <summary>Records one secret. Labels: CLIENT_RANDOM (TLS 1.2 master secret),
    /// CLIENT_HANDSHAKE_TRAFFIC_SECRET, SERVER_HANDSHAKE_TRAFFIC_SECRET, CLIENT_TRAFFIC_SECRET_0,
    /// SERVER_TRAFFIC_SECRET_0, EXPORTER_SECRET, CLIENT_EARLY_TRAFFIC_SECRET.</summary>
    void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret);
}

/// <summary>Key log labels of the NSS format.</summary>
internal static class KeyLogLabels
{
    public const string ClientRandom = "CLIENT_RANDOM";
    public const string ClientEarlyTrafficSecret = "CLIENT_EARLY_TRAFFIC_SECRET";
    public const string ClientHandshakeTrafficSecret = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    public const string ServerHandshakeTrafficSecret = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    public const string ClientTrafficSecret0 = "CLIENT_TRAFFIC_SECRET_0";
    public const string ServerTrafficSecret0 = "SERVER_TRAFFIC_SECRET_0";
    public const string ExporterSecret = "EXPORTER_SECRET";
}

/// <summary>
/// Appends key log lines to a file, safe for many connections at once. Meant for debugging
/// with Wireshark only: whoever reads the file can decrypt the traffic.
/// </summary>
public sealed class KeyLogFile : IKeyLog
{
    private static readonly Dictionary<string, KeyLogFile> Open = new(StringComparer.Ordinal);
    private readonly string _path;
    private readonly Lock _lock = new();

    private KeyLogFile(string path) => _path = path;

    /// <summary>The file's full path.</summary>
    public string Path => _path;

    /// <summary>The file's full path, as the key-logging warning (36998) names it.</summary>
    public override string ToString() => _path;

    /// <summary>The key log for a path; one instance per path so lines never interleave.</summary>
    public static KeyLogFile For(string path)
    {
        string full = System.IO.Path.GetFullPath(path);
        lock (Open)
        {
            if (!Open.TryGetValue(full, out var log))
                Open[full] = log = new KeyLogFile(full);
            return log;
        }
    }

    /// <summary>The key log named by the SSLKEYLOGFILE environment variable, or null.</summary>
    public static KeyLogFile? FromEnvironment()
    {
        string? path = Environment.GetEnvironmentVariable("SSLKEYLOGFILE");
        return string.IsNullOrWhiteSpace(path) ? null : For(path);
    }

    /// <inheritdoc />
    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        string line = Format(label, clientRandom, secret);
        lock (_lock)
            File.AppendAllText(_path, line, Encoding.ASCII);
    }

    /// <summary>One key log line, newline included.</summary>
    public static string Format(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
        => $"{label} {Convert.ToHexStringLower(clientRandom)} {Convert.ToHexStringLower(secret)}\n";
}

/// <summary>Keeps key log lines in memory (tests, and the `connect` probe's report).</summary>
internal sealed class KeyLogCollector : IKeyLog
{
    private readonly List<string> _lines = [];

    /// <summary>The lines written so far.</summary>
    public IReadOnlyList<string> Lines { get { lock (_lines) return _lines.ToArray(); } }

    /// <inheritdoc />
    public void Write(string label, ReadOnlySpan<byte> clientRandom, ReadOnlySpan<byte> secret)
    {
        string line = KeyLogFile.Format(label, clientRandom, secret).TrimEnd('\n');
        lock (_lines) _lines.Add(line);
    }
}
