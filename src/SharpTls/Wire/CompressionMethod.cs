namespace SharpTls.Wire;

/// <summary>Compression methods (RFC 5246 §7.4.1.2, RFC 3749, RFC 3943). Only null is ever used.</summary>
internal enum CompressionMethod : byte
{
    Null = 0,
    Deflate = 1,
    Lzs = 64,
}

/// <summary>Names of compression methods.</summary>
internal static class CompressionMethods
{
    public static string Name(byte v) => RegistryNames.Of(v, v switch
    {
        0 => "null",
        1 => "DEFLATE",
        64 => "LZS",
        _ => null,
    });

    public static string Name(CompressionMethod m) => Name((byte)m);
}
