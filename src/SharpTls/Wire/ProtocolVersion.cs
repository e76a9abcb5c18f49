namespace SharpTls.Wire;

/// <summary>Protocol versions as they appear on the wire (major.minor in one uint16).</summary>
public enum ProtocolVersion : ushort
{
    Ssl2 = 0x0002,
    Ssl3 = 0x0300,
    Tls10 = 0x0301,
    Tls11 = 0x0302,
    Tls12 = 0x0303,
    Tls13 = 0x0304,
}

/// <summary>Names of versions, in the style of Wireshark ("TLS 1.0 (0x0301)").</summary>
public static class ProtocolVersions
{
    public static string Name(ushort v) => v switch
    {
        0x0002 => "SSL 2.0",
        0x0300 => "SSL 3.0",
        0x0301 => "TLS 1.0",
        0x0302 => "TLS 1.1",
        0x0303 => "TLS 1.2",
        0x0304 => "TLS 1.3",
        _ when Grease.IsGrease(v) => "Reserved (GREASE)",
        _ when (v >> 8) == 0x7F => $"TLS 1.3 (draft {v & 0xFF})",
        _ => "Unknown",
    };

    public static string Name(ProtocolVersion v) => Name((ushort)v);

    /// <summary>"TLS 1.0 (0x0301)".</summary>
    public static string Describe(ushort v) => $"{Name(v)} (0x{v:x4})";
}
