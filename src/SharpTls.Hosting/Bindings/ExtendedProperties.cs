using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SharpTls.Hosting.Bindings;

/// <summary>
/// HTTP.sys' per-binding HTTP/2 parameters, which <c>netsh http show sslcert</c> prints as "Extended Properties" blocks and
/// which Windows sets only through the API (<c>HTTP_SERVICE_CONFIG_SSL_PARAM_EX</c>; netsh has no parameter for them). SharpTls
/// keeps them in the binding (<c>http2receivewindow</c>, <c>http2maxsettingsperframe</c>, <c>http2maxsettingsperminute</c>).
/// PropertyId 0 (<c>ExParamTypeHttp2Window</c>): the receive window. Kestrel has one HTTP/2 connection window per server and
/// reads it when each connection starts, so <c>sharptls serve</c> applies the largest window its bindings name when it starts
/// (<see cref="ReceiveWindowFor"/>), and says so in event 36909 when bindings differ or the file changes while it runs.
/// PropertyId 1 (<c>ExParamTypeHttp2SettingsLimits</c>): Kestrel has no counterpart; the middleware enforces it per binding
/// on the decrypted HTTP/2 stream (<see cref="Http2SettingsLimits"/>), as HTTP.sys does: the connection is closed.
/// docs/bindings.md says where each fact comes from.
/// </summary>
public static class ExtendedProperties
{
    /// <summary>The receive window netsh shows for a binding that sets none (1 MiB; also Kestrel's default connection window).</summary>
    public const int DefaultReceiveWindow = 1048576;

    /// <summary>The smallest window: HTTP/2's initial window (RFC 9113 §6.9.2), which Kestrel also requires.</summary>
    public const int MinReceiveWindow = 65535;

    /// <summary>The largest window HTTP/2 allows (2^31 - 1, RFC 9113 §6.9.1).</summary>
    public const int MaxReceiveWindow = int.MaxValue;

    /// <summary>What netsh shows as "Max Settings Per Frame" when it is not set: the most parameters a frame can carry (2^24-1 bytes / 6).</summary>
    public const int DefaultMaxSettingsPerFrame = 2796202;

    /// <summary>What netsh shows as "Max Settings Per Minute" when it is not set (no limit).</summary>
    public const long DefaultMaxSettingsPerMinute = uint.MaxValue;

    /// <summary>The smallest value Windows accepts for either SETTINGS limit (KB4491420).</summary>
    public const int MinSettingsLimit = 7;

    /// <summary>The receive window of <paramref name="binding"/> (its own or the default).</summary>
    public static int ReceiveWindowOf(SslBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        return binding.Http2ReceiveWindow ?? DefaultReceiveWindow;
    }

    /// <summary>
    /// The one window Kestrel can apply for all of <paramref name="bindings"/>: the largest that a binding serving HTTP/2
    /// names (a window is a permission to send, so a larger one never stalls a client that expects a smaller one; it only
    /// lets it buffer more), or the default when none names one.
    /// </summary>
    public static int ReceiveWindowFor(IEnumerable<SslBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        int window = 0;
        foreach (var b in bindings)
            if (!b.DisableHttp2) window = Math.Max(window, ReceiveWindowOf(b));
        return window == 0 ? DefaultReceiveWindow : window;
    }

    /// <summary>The bindings serving HTTP/2 whose window is not <paramref name="applied"/> (event 36909 names them).</summary>
    public static IReadOnlyList<SslBinding> NotApplied(IEnumerable<SslBinding> bindings, int applied)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        return [.. bindings.Where(b => !b.DisableHttp2 && ReceiveWindowOf(b) != applied)];
    }

    /// <summary>The SETTINGS limits of <paramref name="binding"/>, or null when it sets none (nothing to enforce).</summary>
    public static Http2SettingsLimits? SettingsLimitsOf(SslBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (binding.Http2MaxSettingsPerFrame is null && binding.Http2MaxSettingsPerMinute is null) return null;
        return new Http2SettingsLimits(binding.Http2MaxSettingsPerFrame ?? DefaultMaxSettingsPerFrame, binding.Http2MaxSettingsPerMinute ?? DefaultMaxSettingsPerMinute);
    }

    /// <summary>Applies the receive window to a Kestrel server (every endpoint, so every binding).</summary>
    public static void Apply(KestrelServerOptions kestrel, int receiveWindow)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.Limits.Http2.InitialConnectionWindowSize = receiveWindow;
    }
}

/// <summary>
/// HTTP.sys' HTTP/2 SETTINGS limits (extended property 1; KB4491420): a client SETTINGS frame with more parameters than
/// <paramref name="MaxSettingsPerFrame"/>, or more parameters than <paramref name="MaxSettingsPerMinute"/> in the SETTINGS
/// frames of one minute, closes the connection.
/// </summary>
/// <param name="MaxSettingsPerFrame">Parameters allowed in one SETTINGS frame.</param>
/// <param name="MaxSettingsPerMinute">Parameters allowed in the SETTINGS frames of one minute (counted from the first of them).</param>
public sealed record Http2SettingsLimits(int MaxSettingsPerFrame, long MaxSettingsPerMinute);
