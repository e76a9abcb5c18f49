namespace SharpTls.Wire;

/// <summary>
/// The shared fallback of every registry's <c>Name</c>: a known name as is, a GREASE value as
/// "Reserved (GREASE)" and anything else as "Unknown (0x....)", the way Wireshark prints them.
/// </summary>
internal static class RegistryNames
{
    /// <summary>Name for a 16-bit registry value: <paramref name="known"/> or the fallback.</summary>
    public static string Of(ushort value, string? known)
        => known ?? (Grease.IsGrease(value) ? "Reserved (GREASE)" : $"Unknown (0x{value:x4})");

    /// <summary>Name for an 8-bit registry value: <paramref name="known"/> or "Unknown (0x..)".</summary>
    public static string Of(byte value, string? known) => known ?? $"Unknown (0x{value:x2})";
}
