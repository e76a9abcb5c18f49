using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace SharpTls.Hosting.Bindings;

/// <summary>
/// netsh's "Extended Properties" of a binding (<c>http show sslcert</c> on Windows Server 2022): HTTP.sys' HTTP/2
/// parameters, PropertyId 0 (<c>HttpSslParamTypeHttp2Window</c>, "Receive Window") and PropertyId 1
/// (<c>HttpSslParamTypeHttp2SettingsLimits</c>, "Max Settings Per Frame" / "Per Minute"). Kestrel keeps its HTTP/2 limits
/// per server, not per binding (the binding is chosen inside the TLS handshake, after the endpoint), so SharpTls has
/// one value for every binding: the receive window is Kestrel's connection window
/// (<see cref="Http2Limits.InitialConnectionWindowSize"/>), which <c>sharptls serve</c> applies and <c>show</c> prints for
/// each binding. Kestrel has no limit on SETTINGS frames, so PropertyId 1 has no counterpart and is not printed.
/// </summary>
public static class ExtendedProperties
{
    /// <summary>PropertyId 0, "Receive Window": the HTTP/2 connection receive window in bytes (Kestrel's default, 1 MiB).</summary>
    public static int ReceiveWindow { get; } = new KestrelServerLimits().Http2.InitialConnectionWindowSize;

    /// <summary>Applies the properties to a Kestrel server (every endpoint, so every binding).</summary>
    public static void Apply(KestrelServerOptions kestrel)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        kestrel.Limits.Http2.InitialConnectionWindowSize = ReceiveWindow;
    }
}
