namespace SharpTls.Wire;

/// <summary>GREASE values (RFC 8701): 0x?A?A with both bytes equal, for cipher suites, groups, extensions, versions, and 0x0B..0xFA step 0x1F for single bytes.</summary>
internal static class Grease
{
    /// <summary>True for a 16-bit GREASE value (0x0A0A, 0x1A1A, ... 0xFAFA).</summary>
    public static bool IsGrease(ushort v) => (v & 0x0F0F) == 0x0A0A && (v >> 8) == (v & 0xFF);

    /// <summary>True for an 8-bit GREASE value (psk_key_exchange_modes, ALPN-byte style: 0x0B, 0x2A, ...).</summary>
    public static bool IsGreaseByte(byte v) => v % 0x1F == 0x0B && v <= 0xFA;
}
