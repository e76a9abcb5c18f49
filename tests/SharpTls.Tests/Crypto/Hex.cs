namespace SharpTls.Tests.Crypto;

/// <summary>Hex as RFCs print it: whitespace anywhere is ignored.</summary>
internal static class Hex
{
    public static byte[] Parse(string text)
        => Convert.FromHexString(string.Concat(text.Where(c => !char.IsWhiteSpace(c))));

    public static string Of(ReadOnlySpan<byte> bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    /// <summary>Asserts bytes equal an RFC-style hex string.</summary>
    public static void Equal(string expected, ReadOnlySpan<byte> actual)
        => Assert.Equal(Of(Parse(expected)), Of(actual));
}
