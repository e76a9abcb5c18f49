using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Kestrel;

/// <summary>
/// Enforces a binding's HTTP/2 SETTINGS limits (<see cref="Http2SettingsLimits"/>, HTTP.sys' extended property 1) on the
/// decrypted bytes a client sends, before Kestrel sees them. It reads only what it needs of the framing (RFC 9113 §3.4 and
/// §4.1): it skips the 24-byte client preface, then follows the 9-byte frame headers by their length field, skipping every
/// payload, and counts the parameters of each SETTINGS frame that is not an acknowledgement (6 bytes each, §6.5.1). Kestrel
/// still validates everything itself (preface, frame sizes, SETTINGS values); a stream it would reject is one this guard
/// stops following at worst, never one it lets through unread. A few fields per connection; nothing is buffered or rented.
/// Installed only on h2 connections of bindings that set a limit.
/// </summary>
internal sealed class Http2SettingsGuard(Http2SettingsLimits limits, TimeProvider time)
{
    private const int PrefaceLength = 24;  // "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"
    private const int HeaderLength = 9;
    private const byte SettingsType = 0x4;
    private const byte AckFlag = 0x1;
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private int _prefaceLeft = PrefaceLength;
    private int _headerFill;
    private int _frameLength;
    private byte _frameType;
    private long _payloadLeft;
    private DateTimeOffset _minuteStart;
    private long _minuteCount;

    /// <summary>Why the connection was closed, once a limit was exceeded (the middleware logs it as event 36908).</summary>
    public string? Violation { get; private set; }

    /// <summary>Follows <paramref name="data"/>, the next bytes of the client's stream; false once a limit is exceeded.</summary>
    public bool Observe(ReadOnlySpan<byte> data)
    {
        if (Violation is not null) return false;
        int i = 0;
        if (_prefaceLeft > 0)
        {
            int skip = Math.Min(_prefaceLeft, data.Length);
            _prefaceLeft -= skip;
            i = skip;
        }
        while (i < data.Length)
        {
            if (_payloadLeft > 0)
            {
                int skip = (int)Math.Min(_payloadLeft, data.Length - i);
                _payloadLeft -= skip;
                i += skip;
                continue;
            }
            byte b = data[i++];
            switch (_headerFill++)
            {
                case 0: _frameLength = b; break;
                case 1 or 2: _frameLength = (_frameLength << 8) | b; break;
                case 3: _frameType = b; break;
                case 4:
                    if (_frameType == SettingsType && (b & AckFlag) == 0 && !Count(_frameLength / 6)) return false;
                    break;
            }
            if (_headerFill == HeaderLength)
            {
                _headerFill = 0;
                _payloadLeft = _frameLength;
            }
        }
        return true;
    }

    private bool Count(int parameters)
    {
        if (parameters > limits.MaxSettingsPerFrame)
        {
            Violation = $"a SETTINGS frame with {parameters} parameters (http2maxsettingsperframe={limits.MaxSettingsPerFrame})";
            return false;
        }
        var now = time.GetUtcNow();
        if (_minuteCount == 0 || now - _minuteStart >= Minute)
        {
            _minuteStart = now;
            _minuteCount = 0;
        }
        _minuteCount += parameters;
        if (_minuteCount > limits.MaxSettingsPerMinute)
        {
            Violation = $"{_minuteCount} SETTINGS parameters within a minute (http2maxsettingsperminute={limits.MaxSettingsPerMinute})";
            return false;
        }
        return true;
    }
}
