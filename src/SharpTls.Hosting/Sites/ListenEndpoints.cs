using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Diagnostics;

namespace SharpTls.Hosting.Sites;

/// <summary>One endpoint the host listens on: its scheme (https through SharpTls, or plain http), address (null: any) and port.</summary>
/// <param name="Scheme"><c>https</c> or <c>http</c>.</param>
/// <param name="Address">The local address, or null for every address.</param>
/// <param name="Port">The port.</param>
public sealed record ListenEndpoint(string Scheme, IPAddress? Address, int Port)
{
    /// <summary>The endpoint as a URL with <c>*</c> for any address (<c>https://127.0.0.1:8443/</c>, <c>https://*:443/</c>).</summary>
    public override string ToString()
        => $"{Scheme}://{(Address is null ? "*" : Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{Port.ToString(CultureInfo.InvariantCulture)}/";
}

/// <summary>
/// The endpoints Kestrel listens on, kept up to date while the host runs: the endpoints of the sites (IIS site
/// bindings) and of the SSL bindings (an <c>ipport</c> binding's address and port; a <c>hostnameport</c> or <c>ccs</c>
/// binding's port on every address, as HTTP.sys listens on its IP listen list, unless the port is listened on already).
/// When the sites or the binding table change, the new set is handed to Kestrel through its own reloadable endpoint
/// configuration (<see cref="KestrelServerOptions.Configure(IConfiguration, bool)"/>): Kestrel binds the endpoints that
/// are new and stops the ones that are gone (their open connections are closed gracefully, as Kestrel does for an
/// endpoint removed from its configuration); the endpoints that stay are not touched.
/// </summary>
public sealed class ListenEndpoints
{
    private readonly EndpointConfigurationProvider _provider = new();
    private readonly IConfigurationRoot _configuration;
    private readonly Lock _lock = new();
    private IReadOnlyList<ListenEndpoint> _sites = [];
    private IReadOnlyList<SslBinding> _bindings = [];
    private Dictionary<(IPAddress? Address, int Port), string> _schemes = [];
    private IReadOnlyList<ListenEndpoint> _current = [];

    /// <summary>Creates the set, empty until <see cref="SetSites"/> and <see cref="SetBindings"/> give it endpoints.</summary>
    public ListenEndpoints() => _configuration = new ConfigurationBuilder().Add(new EndpointConfigurationSource(_provider)).Build();

    /// <summary>Where changes are reported (36904 endpoints changed, 36905 binding on a plain-HTTP port); null: nowhere.</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The endpoints listened on now (or, before Kestrel starts, the ones it will listen on).</summary>
    public IReadOnlyList<ListenEndpoint> Current => Volatile.Read(ref _current);

    /// <summary>
    /// Wires the set into Kestrel: every endpoint is served from a reloadable configuration, https ones with
    /// <paramref name="tls"/> (HTTP/2 and HTTP/1.1 by ALPN), http ones in plain HTTP/1.1. Call once, from
    /// <c>ConfigureKestrel</c>. Endpoints Kestrel is given in code (<c>Listen</c>) are left as they are.
    /// </summary>
    public void Configure(KestrelServerOptions kestrel, SharpTlsConnectionOptions tls)
    {
        ArgumentNullException.ThrowIfNull(kestrel);
        ArgumentNullException.ThrowIfNull(tls);
        kestrel.ConfigureEndpointDefaults(l =>
        {
            // Called for each endpoint Kestrel builds, code or configuration; ours are found by address and port.
            if (l.IPEndPoint is not { } ip) return;
            IPAddress? address = ip.Address.Equals(IPAddress.IPv6Any) || ip.Address.Equals(IPAddress.Any) ? null : ip.Address;
            string? scheme;
            lock (_lock) _schemes.TryGetValue((address, ip.Port), out scheme);
            if (scheme == "https") l.UseSharpTls(tls); // Kestrel's default protocols, HTTP/1.1 and HTTP/2, chosen by ALPN
            else if (scheme == "http") l.Protocols = HttpProtocols.Http1;
        });
        kestrel.Configure(_configuration, reloadOnChange: true);
    }

    /// <summary>Sets the sites' endpoints (at start and after each change of the site configuration).</summary>
    public void SetSites(IReadOnlyList<(string Scheme, IPAddress? Address, int Port)> endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        lock (_lock)
        {
            _sites = [.. endpoints.Select(e => new ListenEndpoint(e.Scheme, e.Address, e.Port))];
            Recompute();
        }
    }

    /// <summary>Sets the SSL bindings whose endpoints are listened on (at start and after each binding-table swap).</summary>
    public void SetBindings(IReadOnlyList<SslBinding> bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        lock (_lock)
        {
            _bindings = bindings;
            Recompute();
        }
    }

    /// <summary>
    /// The endpoints for <paramref name="sites"/> and <paramref name="bindings"/>: every site endpoint; an <c>ipport</c>
    /// binding's endpoint unless its port is served on every address already; a <c>hostnameport</c> or <c>ccs</c>
    /// binding's port on every address unless something listens on that port already. A port has at most one
    /// any-address endpoint and then no specific one (one socket serves them all). A binding on a port a site serves
    /// in plain HTTP is not listened on for TLS (it is in <paramref name="conflicts"/>).
    /// </summary>
    internal static IReadOnlyList<ListenEndpoint> Compute(IReadOnlyList<ListenEndpoint> sites, IReadOnlyList<SslBinding> bindings, List<SslBinding> conflicts)
    {
        var all = new List<ListenEndpoint>(sites);
        var plainPorts = sites.Where(e => e.Scheme == "http").Select(e => e.Port).ToHashSet();
        foreach (var b in bindings.Where(b => b.Key.Kind == BindingKind.IpPort))
        {
            if (plainPorts.Contains(b.Key.Port)) { conflicts.Add(b); continue; }
            all.Add(new ListenEndpoint("https", b.Key.IsAnyAddress ? null : b.Key.Address, b.Key.Port));
        }
        var ports = all.Select(e => e.Port).ToHashSet();
        foreach (var b in bindings.Where(b => b.Key.Kind != BindingKind.IpPort))
        {
            if (plainPorts.Contains(b.Key.Port)) { conflicts.Add(b); continue; }
            if (ports.Add(b.Key.Port)) all.Add(new ListenEndpoint("https", null, b.Key.Port));
        }
        return [.. all.Distinct().GroupBy(e => e.Port)
            .SelectMany(g => g.Any(e => e.Address is null) ? g.Where(e => e.Address is null).Take(1) : g)
            .OrderBy(e => e.Port).ThenBy(e => e.Address?.ToString(), StringComparer.Ordinal)];
    }

    private void Recompute()
    {
        var conflicts = new List<SslBinding>();
        var next = Compute(_sites, _bindings, conflicts);
        foreach (var c in conflicts)
            if (Logger is { } log) HostLog.BindingOnPlainHttpPort(log, c.Key.ToString(), c.Key.Port);
        var before = _current;
        if (before.SequenceEqual(next)) return;
        _schemes = next.ToDictionary(e => (e.Address, e.Port), e => e.Scheme);
        Volatile.Write(ref _current, next);
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var e in next)
        {
            // Kestrel compares endpoints by their configuration: a name and URL that stay the same keep their socket.
            string name = $"{e.Scheme}_{(e.Address is null ? "any" : e.Address.ToString().Replace(':', '_'))}_{e.Port.ToString(CultureInfo.InvariantCulture)}";
            string host = e.Address is null ? "*" : e.Address.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{e.Address}]" : e.Address.ToString();
            // The URL is http:// for both: TLS is SharpTls' middleware (added in Configure), not Kestrel's own.
            data[$"Endpoints:{name}:Url"] = $"http://{host}:{e.Port.ToString(CultureInfo.InvariantCulture)}";
        }
        _provider.Replace(data);
        if (Logger is { } logger && before.Count > 0)
            HostLog.EndpointsChanged(logger, string.Join(", ", next.Except(before)), string.Join(", ", before.Except(next)), string.Join(", ", next));
    }

    private sealed class EndpointConfigurationSource(EndpointConfigurationProvider provider) : IConfigurationSource
    {
        public IConfigurationProvider Build(IConfigurationBuilder builder) => provider;
    }

    private sealed class EndpointConfigurationProvider : ConfigurationProvider
    {
        public void Replace(Dictionary<string, string?> data)
        {
            Data = data;
            OnReload();
        }
    }
}
