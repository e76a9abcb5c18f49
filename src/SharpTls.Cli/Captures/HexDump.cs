using System.Globalization;

namespace SharpTls.Cli.Captures;

/// <summary>
/// Reads hex dumps as bytes: a bare hex string; space, colon or comma separated bytes ("16 03 01",
/// "16:03:01", "0x16, 0x03"); and the line formats of xxd, hexdump -C, od -A x -t x1 and Wireshark's
/// "Copy as Hex Dump", whose offset column and ASCII column are skipped.
/// </summary>
public static class HexDump
{
    /// <summary>True when the bytes look like text (printable ASCII and whitespace only).</summary>
    public static bool LooksLikeText(ReadOnlySpan<byte> head)
    {
        if (head.IsEmpty)
            return false;
        foreach (byte b in head)
        {
            if (b is not (>= 0x20 and < 0x7F) and not (byte)'\n' and not (byte)'\r' and not (byte)'\t')
                return false;
        }
        return true;
    }

    /// <summary>Parses a hex dump.</summary>
    /// <exception cref="FormatException">A line holds something that is neither hex nor an ASCII column.</exception>
    public static byte[] Parse(string text)
    {
        var output = new List<byte>();
        int lineNo = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNo++;
            string line = rawLine.TrimEnd('\r');
            int bar = line.IndexOf('|');
            if (bar >= 0)
                line = line[..bar]; // hexdump -C: |ascii|
            line = line.Replace(",", " ").Replace("0x", " ").Replace("0X", " ");
            var tokens = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries).ToList();
            if (tokens.Count == 0 || tokens[0].StartsWith('#'))
                continue;

            // An offset column ("00000010:" of xxd, "0010" of Wireshark, "00000010" of hexdump and od)
            // is a number equal to the count of bytes read so far; od ends with a line of just the offset.
            string first = tokens[0].TrimEnd(':');
            bool hadOffset = false;
            if (first.Length >= 4 && IsHex(first) && long.TryParse(first, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out long offset)
                && offset == output.Count && (tokens.Count > 1 || output.Count > 0))
            {
                tokens.RemoveAt(0);
                hadOffset = true;
                if (tokens.Count == 0)
                    continue;
            }

            bool allHex = tokens.All(t => IsHex(t.Replace(":", "")) && t.Replace(":", "").Length % 2 == 0);
            int taken = 0;
            foreach (var token in tokens)
            {
                string t = token.Replace(":", "");
                if (!IsHex(t) || t.Length % 2 != 0)
                {
                    if (taken == 0)
                        throw new FormatException($"line {lineNo}: '{token}' is not hex");
                    break; // the ASCII column
                }
                if ((hadOffset || !allHex) && taken >= 16)
                    break; // 16 bytes a line, then an ASCII column that happens to look like hex
                for (int i = 0; i < t.Length; i += 2)
                    output.Add(byte.Parse(t.AsSpan(i, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                taken += t.Length / 2;
            }
        }
        return [.. output];
    }

    private static bool IsHex(string s) => s.Length > 0 && s.All(Uri.IsHexDigit);

    /// <summary>Formats bytes as lowercase hex without separators (Wireshark's field style).</summary>
    public static string ToHex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
