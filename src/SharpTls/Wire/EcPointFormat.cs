namespace SharpTls.Wire;

/// <summary>EC point formats (RFC 8422 §5.1.2).</summary>
internal enum EcPointFormat : byte
{
    Uncompressed = 0,
    AnsiX962CompressedPrime = 1,
    AnsiX962CompressedChar2 = 2,
}

/// <summary>Names of EC point formats.</summary>
internal static class EcPointFormats
{
    public static string Name(byte v) => RegistryNames.Of(v, v switch
    {
        0 => "uncompressed",
        1 => "ansiX962_compressed_prime",
        2 => "ansiX962_compressed_char2",
        _ => null,
    });

    public static string Name(EcPointFormat f) => Name((byte)f);
}
