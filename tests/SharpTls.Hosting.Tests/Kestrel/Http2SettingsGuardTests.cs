using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Kestrel;
using SharpTls.Hosting.Tests.Bindings;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>The SETTINGS limits guard over an HTTP/2 client stream built frame by frame (RFC 9113 §4.1, §6.5).</summary>
public sealed class Http2SettingsGuardTests
{
    private static byte[] Stream(params byte[][] frames) => [.. H2Frames.Preface, .. frames.SelectMany(f => f)];

    [Fact]
    public void A_frame_over_the_per_frame_limit_is_refused_and_one_at_it_passes()
    {
        var clock = new TestClock(DateTimeOffset.UnixEpoch);
        var ok = new Http2SettingsGuard(new Http2SettingsLimits(7, 1000), clock);
        Assert.True(ok.Observe(Stream(H2Frames.Settings(7), H2Frames.Frame(0x1, 0x4, 1, 40), H2Frames.Settings(0, ack: true))));
        Assert.Null(ok.Violation);

        var over = new Http2SettingsGuard(new Http2SettingsLimits(7, 1000), clock);
        Assert.False(over.Observe(Stream(H2Frames.Settings(8))));
        Assert.Contains("8 parameters (http2maxsettingsperframe=7)", over.Violation, StringComparison.Ordinal);
        Assert.False(over.Observe(H2Frames.Settings(1))); // stays refused
    }

    [Fact]
    public void Parameters_add_up_within_a_minute_and_start_again_after_it()
    {
        var clock = new TestClock(DateTimeOffset.UnixEpoch);
        var guard = new Http2SettingsGuard(new Http2SettingsLimits(100, 10), clock);
        Assert.True(guard.Observe(Stream(H2Frames.Settings(4), H2Frames.Frame(0x0, 0, 1, 1000), H2Frames.Settings(4), H2Frames.Settings(0, ack: true))));
        clock.Now += TimeSpan.FromSeconds(61);
        Assert.True(guard.Observe(H2Frames.Settings(6))); // a new minute: 6
        clock.Now += TimeSpan.FromSeconds(30);
        Assert.False(guard.Observe(H2Frames.Settings(5))); // 11 within the minute
        Assert.Contains("11 SETTINGS parameters within a minute (http2maxsettingsperminute=10)", guard.Violation, StringComparison.Ordinal);
    }

    [Fact]
    public void Frames_split_anywhere_across_reads_are_followed_the_same()
    {
        byte[] stream = Stream(H2Frames.Frame(0x1, 0x4, 1, 300), H2Frames.Settings(3), H2Frames.Frame(0x0, 0x1, 1, 17000), H2Frames.Settings(9));
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
