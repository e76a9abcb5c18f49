namespace SharpTls.Hosting.Tests;

/// <summary>HTTP/2 frames made by hand (RFC 9113 §3.4, §4.1, §6.5), for tests that send what real clients would not.</summary>
internal static class H2Frames
{
    public static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    public static byte[] Frame(byte type, byte flags, int stream, int payloadLength)
    {
        var f = new byte[9 + payloadLength];
        f[0] = (byte)(payloadLength >> 16); f[1] = (byte)(payloadLength >> 8); f[2] = (byte)payloadLength;
        f[3] = type; f[4] = flags;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(f.AsSpan(5), stream);
        for (int i = 9; i < f.Length; i++) f[i] = 0x04; // payload bytes that look like frame types: the guard must skip them
        return f;
    }

    public static byte[] Settings(int parameters, bool ack = false) => Frame(0x4, ack ? (byte)1 : (byte)0, 0, parameters * 6);
}
