using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Kestrel;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>The SETTINGS limits guard over an HTTP/2 client stream built frame by frame (RFC 9113 §4.1, §6.5).</summary>
public sealed class Http2SettingsGuardTests
{
    private static readonly byte[] Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"u8.ToArray();

    internal static byte[] Frame(byte type, byte flags, int stream, int payloadLength)
    {
        var f = new byte[9 + payloadLength];
        f[0] = (byte)(payloadLength >> 16); f[1] = (byte)(payloadLength >> 8); f[2] = (byte)payloadLength;
        f[3] = type; f[4] = flags;
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(f.AsSpan(5), stream);
        for (int i = 9; i < f.Length; i++) f[i] = 0x04; // payload bytes that look like frame types: the guard must skip them
        return f;
    }

    internal static byte[] Settings(int parameters, bool ack = false) => Frame(0x4, ack ? (byte)1 : (byte)0, 0, parameters * 6);

    private static byte[] Stream(params byte[][] frames) => [.. Preface, .. frames.SelectMany(f => f)];

    [Fact]
    public void A_frame_over_the_per_frame_limit_is_refused_and_one_at_it_passes()
    {
        var clock = new TestClock(DateTimeOffset.UnixEpoch);
        var ok = new Http2SettingsGuard(new Http2SettingsLimits(7, 1000), clock);
        Assert.True(ok.Observe(Stream(Settings(7), Frame(0x1, 0x4, 1, 40), Settings(0, ack: true))));
        Assert.Null(ok.Violation);

        var over = new Http2SettingsGuard(new Http2SettingsLimits(7, 1000), clock);
        Assert.False(over.Observe(Stream(Settings(8))));
        Assert.Contains("8 parameters (http2maxsettingsperframe=7)", over.Violation, StringComparison.Ordinal);
        Assert.False(over.Observe(Settings(1))); // stays refused
    }

    [Fact]
    public void Parameters_add_up_within_a_minute_and_start_again_after_it()
    {
        var clock = new TestClock(DateTimeOffset.UnixEpoch);
        var guard = new Http2SettingsGuard(new Http2SettingsLimits(100, 10), clock);
        Assert.True(guard.Observe(Stream(Settings(4), Frame(0x0, 0, 1, 1000), Settings(4), Settings(0, ack: true))));
        clock.Now += TimeSpan.FromSeconds(61);
        Assert.True(guard.Observe(Settings(6))); // a new minute: 6
        clock.Now += TimeSpan.FromSeconds(30);
        Assert.False(guard.Observe(Settings(5))); // 11 within the minute
        Assert.Contains("11 SETTINGS parameters within a minute (http2maxsettingsperminute=10)", guard.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_split_anywhere_across_reads_are_followed_the_same()
    {
        byte[] stream = Stream(Frame(0x1, 0x4, 1, 300), Settings(3), Frame(0x0, 0x1, 1, 17000), Settings(9));
        for (int cut = 1; cut < 40; cut++)
        {
            var guard = new Http2SettingsGuard(new Http2SettingsLimits(8, 1000), new TestClock(DateTimeOffset.UnixEpoch));
            bool passed = true;
            for (int i = 0; i < stream.Length && passed; i += cut)
                passed = guard.Observe(stream.AsSpan(i, Math.Min(cut, stream.Length - i)));
            Assert.False(passed, $"reads of {cut} bytes");
            Assert.Contains("9 parameters", guard.Violation, StringComparison.Ordinal);
        }
    }
}
