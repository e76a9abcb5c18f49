using System.Text;

namespace SharpTls.Hosting.Bindings;

/// <summary>
/// The server's protocol switches, for every binding at once, as Schannel's machine-wide registry values
/// <c>HKLM\SYSTEM\CurrentControlSet\Control\SecurityProviders\SCHANNEL\Protocols\&lt;name&gt;\Server\Enabled</c> are on
/// Windows: a version switched off here is off for every binding; a binding's <c>disablelegacytls</c>,
/// <c>disabletls12</c> and <c>disabletls13</c> then take versions away from it (HTTP.sys has no per-binding switch
/// that turns a version on). The file is <c>protocols.conf</c> beside the bindings file, one registry value a line
/// (<c>TLS 1.0\Server\Enabled=1</c>), written by <c>sharptls http update protocols</c> atomically and read strictly;
/// a running host sees a change within a second. Without the file: TLS 1.2 and TLS 1.3 on, SSL 3.0 to TLS 1.1 off.
/// </summary>
public sealed class ProtocolSwitches
{
    /// <summary>The file name, beside the bindings file.</summary>
    public const string FileName = "protocols.conf";

    /// <summary>The largest file read.</summary>
    public const int MaxFileBytes = 64 * 1024;

    /// <summary>The versions on when the file does not exist (or does not name them): TLS 1.2 and TLS 1.3.</summary>
    public const TlsVersions Default = TlsVersions.Tls12 | TlsVersions.Tls13;

    /// <summary>The versions SSL 3.0 to TLS 1.1, which <c>disablelegacytls</c> takes away.</summary>
    public const TlsVersions Legacy = TlsVersions.Ssl3 | TlsVersions.Tls10 | TlsVersions.Tls11;

    // Each switch: its flag, Schannel's key name, the name `http update protocols` (and `--protocols`) takes.
    private static readonly (TlsVersions Flag, string Name, string Parameter)[] Switches =
    [
        (TlsVersions.Ssl3, "SSL 3.0", "ssl3"),
        (TlsVersions.Tls10, "TLS 1.0", "tls1.0"),
        (TlsVersions.Tls11, "TLS 1.1", "tls1.1"),
        (TlsVersions.Tls12, "TLS 1.2", "tls1.2"),
        (TlsVersions.Tls13, "TLS 1.3", "tls1.3"),
    ];

    private const string Header =
        "# SharpTls server protocol switches for every binding, as Schannel's registry values\n" +
        "# SCHANNEL\\Protocols\\<name>\\Server\\Enabled (1 on, 0 off). Written by `sharptls http update protocols`;\n" +
        "# a running host sees changes within a second. A binding's disablelegacytls/disabletls12/disabletls13 turn versions off for it.\n";

    /// <summary>Opens the switches at <paramref name="path"/>, or at <c>&lt;data folder&gt;/protocols.conf</c>.</summary>
    public ProtocolSwitches(string? path = null)
    {
        Path = System.IO.Path.GetFullPath(path ?? System.IO.Path.Combine(SharpTlsHome.DataDirectory, FileName));
    }

    /// <summary>The switches beside a bindings file (where <see cref="BindingHost"/> and <c>sharptls http</c> look).</summary>
    public static ProtocolSwitches Beside(BindingStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return new ProtocolSwitches(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(store.Path)!, FileName));
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The versions switched on; <see cref="Default"/> when the file does not exist.</summary>
    /// <exception cref="BindingFormatException">The file is not valid; the message names the file and line.</exception>
    public TlsVersions Load()
    {
        byte[]? bytes;
        try { bytes = AtomicFile.ReadAll(Path, MaxFileBytes, "a protocol switches file"); }
        catch (FormatException e) { throw new BindingFormatException(e.Message, Path); }
        return bytes is null ? Default : Parse(bytes, Path);
    }

    /// <summary>Parses the file: <c>NAME\Server\Enabled=0|1</c> lines, <c>#</c> comments; a version it does not name keeps its default.</summary>
    /// <exception cref="BindingFormatException">The first error, with its line.</exception>
    public static TlsVersions Parse(ReadOnlySpan<byte> bytes, string file)
    {
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException e) { throw new BindingFormatException($"{file}: not UTF-8 text (byte {e.Index})", file); }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var versions = Default;
        var seen = TlsVersions.None;
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            int eq = line.IndexOf('=', StringComparison.Ordinal);
            const string suffix = "\\Server\\Enabled";
            string name = eq < 0 ? line : line[..eq].Trim();
            var entry = name.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                ? Switches.FirstOrDefault(s => string.Equals(s.Name, name[..^suffix.Length], StringComparison.OrdinalIgnoreCase))
                : default;
            if (entry.Flag == TlsVersions.None)
                throw new BindingFormatException($"{file} line {number}: expected NAME\\Server\\Enabled=0 or 1, NAME one of {string.Join(", ", Switches.Select(s => s.Name))}", file, number);
            if ((seen & entry.Flag) != 0)
                throw new BindingFormatException($"{file} line {number}: {entry.Name} is given twice", file, number);
            seen |= entry.Flag;
            versions = line[(eq + 1)..].Trim() switch
            {
                "1" => versions | entry.Flag,
                "0" => versions & ~entry.Flag,
                var v => throw new BindingFormatException($"{file} line {number}: {name}={v}: expected 1 (on) or 0 (off)", file, number),
            };
        }
        if (versions == TlsVersions.None)
            throw new BindingFormatException($"{file}: every protocol version is switched off", file);
        return versions;
    }

    /// <summary>The text of the file for <paramref name="versions"/> (every switch written out).</summary>
    public static string Format(TlsVersions versions)
    {
        var sb = new StringBuilder(Header);
        foreach (var s in Switches) sb.Append(s.Name).Append("\\Server\\Enabled=").Append(versions.HasFlag(s.Flag) ? '1' : '0').Append('\n');
        return sb.ToString();
    }

    /// <summary>
    /// <c>http update protocols</c>: <c>ssl3|tls1.0|tls1.1|tls1.2|tls1.3=enable|disable</c>, the others unchanged;
    /// read, change and write under the lock. Returns the versions now on.
    /// </summary>
    /// <exception cref="FormatException">An unknown, repeated or invalid parameter, or none left on.</exception>
    /// <exception cref="BindingFormatException">The file is not valid (it is left untouched).</exception>
    public TlsVersions Update(IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        if (arguments.Count == 0) throw new FormatException($"update protocols takes one or more of {Parameters}=enable|disable");
        using var _ = AtomicFile.Lock(Path);
        var versions = Load();
        var given = TlsVersions.None;
        foreach (string argument in arguments)
        {
            int eq = argument.IndexOf('=', StringComparison.Ordinal);
            string name = eq < 0 ? argument : argument[..eq];
            var entry = Switches.FirstOrDefault(s => string.Equals(s.Parameter, name, StringComparison.OrdinalIgnoreCase));
            if (entry.Flag == TlsVersions.None) throw new FormatException($"'{name}' is not a protocol switch (known: {Parameters})");
            if ((given & entry.Flag) != 0) throw new FormatException($"'{name}' is given twice");
            given |= entry.Flag;
            versions = (eq < 0 ? "" : argument[(eq + 1)..].ToLowerInvariant()) switch
            {
                "enable" => versions | entry.Flag,
                "disable" => versions & ~entry.Flag,
                _ => throw new FormatException($"{argument}: expected {name}=enable or {name}=disable"),
            };
        }
        if (versions == TlsVersions.None) throw new FormatException("that would switch every protocol version off");
        AtomicFile.Write(Path, Format(versions));
        return versions;
    }

    private static string Parameters => string.Join(", ", Switches.Select(s => s.Parameter));

    /// <summary>Schannel's name of a single version flag ("TLS 1.0").</summary>
    public static string NameOf(TlsVersions flag) => Switches.First(s => s.Flag == flag).Name;

    /// <summary>The parameter of a single version flag for <c>http update protocols</c> ("tls1.0").</summary>
    public static string ParameterOf(TlsVersions flag) => Switches.First(s => s.Flag == flag).Parameter;

    /// <summary>"TLS 1.2, TLS 1.3" ("none" when empty), lowest first.</summary>
    public static string Describe(TlsVersions versions)
        => Switches.Where(s => versions.HasFlag(s.Flag)).Select(s => s.Name).DefaultIfEmpty("none").Aggregate((a, b) => $"{a}, {b}");

    /// <summary>The versions, lowest first, by Schannel's names.</summary>
    public static IReadOnlyList<string> Names(TlsVersions versions) => [.. Switches.Where(s => versions.HasFlag(s.Flag)).Select(s => s.Name)];

    /// <summary>Each switch with whether it is on, lowest version first.</summary>
    public static IEnumerable<(TlsVersions Flag, string Name, bool Enabled)> Each(TlsVersions versions)
        => Switches.Select(s => (s.Flag, s.Name, versions.HasFlag(s.Flag)));

    /// <summary>
    /// The versions <paramref name="binding"/> may negotiate: the server's switches less what its <c>disablelegacytls</c>,
    /// <c>disabletls12</c> and <c>disabletls13</c> take away.
    /// </summary>
    public static TlsVersions For(SslBinding binding, TlsVersions server)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var versions = server;
        if (binding.DisableLegacyTls) versions &= ~Legacy;
        if (binding.DisableTls12) versions &= ~TlsVersions.Tls12;
        if (binding.DisableTls13) versions &= ~TlsVersions.Tls13;
        return versions;
    }

    /// <summary>
    /// What would switch <paramref name="flag"/> on for <paramref name="binding"/>, as the commands to run: the binding's own
    /// switch (<c>http update sslcert KEY disablelegacytls=disable</c>) and/or the server's (<c>http update protocols tls1.0=enable</c>).
    /// The host names it in the protocol_version refusal and its event 36870.
    /// </summary>
    public static string Hint(SslBinding binding, TlsVersions server, TlsVersions flag)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var steps = new List<string>();
        string? own = flag switch
        {
            _ when (flag & Legacy) != 0 && binding.DisableLegacyTls => "disablelegacytls",
            TlsVersions.Tls12 when binding.DisableTls12 => "disabletls12",
            TlsVersions.Tls13 when binding.DisableTls13 => "disabletls13",
            _ => null,
        };
        if (own is not null) steps.Add($"'sharptls http update sslcert {binding.Key} {own}=disable' (the binding's {own})");
        if (!server.HasFlag(flag))
            steps.Add($"'sharptls http update protocols {ParameterOf(flag)}=enable' (the server's switch; Schannel: Protocols\\{NameOf(flag)}\\Server\\Enabled=1)");
        return steps.Count == 0 ? $"{NameOf(flag)} on this binding" : string.Join(" and ", steps);
    }
}
