using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Primitives;
using SharpTls.Hosting.Diagnostics;
using Yarp.ReverseProxy.Forwarder;

namespace SharpTls.Hosting.Sites;

/// <summary>
/// The live site table: read from configuration (<see cref="SitesOptions.Section"/>), rebuilt when the
/// configuration changes (a reloadable appsettings.json or <c>--config</c> file) and swapped atomically;
/// a configuration that does not parse is reported (event 36898) and the previous table stays.
/// </summary>
public sealed class SiteTableSource : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly ILogger _logger;
    private readonly IHttpForwarder _forwarder;
    private readonly HttpMessageInvoker _proxyClient = new(new SocketsHttpHandler
    {
        UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None, UseCookies = false,
        ActivityHeadersPropagator = null, ConnectTimeout = TimeSpan.FromSeconds(15),
    });
    private IApplicationBuilder? _root;
    private IDisposable? _watch;
    private SiteTable _current = SiteTable.Empty;
    private string? _lastLoaded;
    private readonly ListenEndpoints? _endpoints;

    /// <summary>Created by DI (<see cref="SharpTlsSitesExtensions.AddSharpTlsSites"/>).</summary>
    /// <param name="configuration">The configuration holding <see cref="SitesOptions.Section"/>.</param>
    /// <param name="loggerFactory">For the site events.</param>
    /// <param name="forwarder">YARP's forwarder, for proxy sites.</param>
    /// <param name="apps">The built-in apps.</param>
    /// <param name="endpoints">When registered, the live set of listening endpoints: each site change updates it, so a site on a new port or address is listened on without a restart.</param>
    public SiteTableSource(IConfiguration configuration, ILoggerFactory loggerFactory, IHttpForwarder forwarder, SiteApps apps, ListenEndpoints? endpoints = null)
    {
        _configuration = configuration;
        _logger = loggerFactory.CreateLogger("SharpTls.Hosting.Sites");
        _forwarder = forwarder;
        _endpoints = endpoints;
        Apps = apps;
    }

    /// <summary>Built-in apps a site can name with <c>App</c>.</summary>
    public SiteApps Apps { get; }

    /// <summary>Relative PhysicalPaths are resolved from here (the configuration file's folder).</summary>
    public string BasePath { get; set; } = Directory.GetCurrentDirectory();

    /// <summary>The table in force (a volatile read, never a lock).</summary>
    public SiteTable Current => Volatile.Read(ref _current);

    /// <summary>Raised after a new table is swapped in.</summary>
    public event Action<SiteTable>? Changed;

    /// <summary>The sites as the configuration lists them now.</summary>
    public SitesOptions Read()
    {
        var options = new SitesOptions();
        _configuration.GetSection(SitesOptions.Section).Bind(options.Sites);
        return options;
    }

    internal void Start(IApplicationBuilder root)
    {
        _root = root;
        ReportUnreadableFiles();
        Rebuild(throwOnError: true);
        _watch = ChangeToken.OnChange(_configuration.GetReloadToken, () => Rebuild(throwOnError: false));
    }

    /// <summary>
    /// A reloadable JSON file that no longer parses (a half-saved or mistyped edit) is reported as 36898: the file
    /// provider throws on its watcher thread and raises no change, so the table in force stays, and without this the
    /// administrator would see neither the edit applied nor why. The next good save reloads as before.
    /// </summary>
    private void ReportUnreadableFiles()
    {
        if (_configuration is not IConfigurationRoot root) return;
        foreach (var file in root.Providers.OfType<FileConfigurationProvider>())
        {
            var previous = file.Source.OnLoadException;
            file.Source.OnLoadException = context =>
            {
                previous?.Invoke(context);
                if (context.Ignore || _root is null) return;
                string path = file.Source.FileProvider?.GetFileInfo(file.Source.Path ?? "").PhysicalPath ?? file.Source.Path ?? "the file";
                var why = context.Exception.InnerException ?? context.Exception;
                string detail = why.GetBaseException() is { } root && root != why ? $"{why.Message} {root.Message}" : why.Message;
                HostLog.SitesInvalid(_logger, $"{path} could not be read: {detail}");
            };
        }
    }

    /// <summary>Rebuilds the table from the configuration now.</summary>
    public void Rebuild() => Rebuild(throwOnError: false);

    private void Rebuild(bool throwOnError)
    {
        if (_root is null) throw new InvalidOperationException("the sites are not mapped yet (MapSharpTlsSites)");
        try
        {
            var options = Read();
            var table = SiteTable.Build(options, BasePath, _root, Apps.All, _forwarder, _proxyClient);
            Volatile.Write(ref _current, table);
            // An editor's save often raises two change events: the second load of the same sites says nothing new.
            string loaded = string.Join("; ", table.Sites);
            if (loaded != _lastLoaded) HostLog.SitesLoaded(_logger, loaded);
            _lastLoaded = loaded;
            _endpoints?.SetSites(SiteTable.Endpoints(options));
            Changed?.Invoke(table);
        }
        catch (Exception e) when (e is FormatException or InvalidOperationException)
        {
            HostLog.SitesInvalid(_logger, e.Message);
            if (throwOnError) throw;
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _watch?.Dispose();
        _proxyClient.Dispose();
    }
}

/// <summary>Built-in apps by name (<see cref="SiteOptions.App"/>): the demo page registers itself as <c>demo</c>.</summary>
public sealed class SiteApps
{
    private readonly Dictionary<string, RequestDelegate> _apps = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Registers an app.</summary>
    public SiteApps Add(string name, RequestDelegate app)
    {
        _apps[name] = app;
        return this;
    }

    internal IReadOnlyDictionary<string, RequestDelegate> All => _apps;
}

/// <summary>The feature a request carries once routed: the site that serves it.</summary>
public interface ISiteFeature
{
    /// <summary>The site.</summary>
    Site Site { get; }
}

internal sealed record SiteFeature(Site Site) : ISiteFeature;

/// <summary>Sites on Kestrel: registration, listening, routing.</summary>
public static class SharpTlsSitesExtensions
{
    /// <summary>Registers the site table (and YARP's forwarder for proxy sites).</summary>
    public static IServiceCollection AddSharpTlsSites(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<SiteApps>();
        services.AddSingleton<SiteTableSource>();
        return services;
    }

    /// <summary>
    /// Listens on every endpoint the sites' bindings name: https ones through SharpTls with
    /// <paramref name="tls"/> (HTTP/2 and HTTP/1.1 by ALPN), http ones in plain HTTP/1.1.
    /// </summary>
    public static void ListenForSites(this KestrelServerOptions kestrel, SitesOptions sites, SharpTlsConnectionOptions tls)
    {
        foreach (var (scheme, address, port) in SiteTable.Endpoints(sites))
        {
            Action<ListenOptions> configure = scheme == "https"
                ? l => l.UseSharpTls(tls) // Kestrel's default protocols, HTTP/1.1 and HTTP/2, chosen by ALPN (set explicitly, Kestrel warns that it sees no TLS)
                : l => l.Protocols = HttpProtocols.Http1;
            if (address is null) kestrel.ListenAnyIP(port, configure);
            else kestrel.Listen(address, port, configure);
        }
    }

    /// <summary>
    /// Routes every request to its site by scheme, local IP+port and Host, as HTTP.sys does; a request whose
    /// Host belongs to another site than the one its SNI name selects gets 421 Misdirected Request, one that
    /// matches no site 404.
    /// </summary>
    public static IApplicationBuilder UseSharpTlsSites(this IApplicationBuilder app)
    {
        var source = app.ApplicationServices.GetRequiredService<SiteTableSource>();
        var logger = app.ApplicationServices.GetRequiredService<ILoggerFactory>().CreateLogger("SharpTls.Hosting.Sites");
        source.Start(app);
        app.Run(ctx => RouteAsync(ctx, source.Current, logger));
        return app;
    }

    internal static Task RouteAsync(HttpContext ctx, SiteTable table, ILogger logger)
    {
        var conn = ctx.Connection;
        var local = new IPEndPoint(SiteBinding.Normalize(conn.LocalIpAddress ?? IPAddress.None), conn.LocalPort);
        string scheme = ctx.Request.IsHttps ? "https" : "http";
        string host = ctx.Request.Host.Host.TrimEnd('.').ToLowerInvariant();
        var site = table.Match(scheme, local, host);
        var remote = conn.RemoteIpAddress is { } ra ? new IPEndPoint(ra, conn.RemotePort) : null;
        if (scheme == "https" && ctx.Features.Get<ISharpTlsFeature>()?.Info.ServerName is { Length: > 0 } sni)
        {
            string name = sni.TrimEnd('.').ToLowerInvariant();
            var sniSite = table.Match(scheme, local, name);
            if (sniSite is not null && site is not null && !ReferenceEquals(sniSite, site))
            {
                HostLog.MisdirectedRequest(logger, host, site.Name, sni, sniSite.Name, local, remote);
                ctx.Response.StatusCode = StatusCodes.Status421MisdirectedRequest;
                ctx.Response.ContentType = "text/plain; charset=utf-8";
                return ctx.Response.WriteAsync($"421 Misdirected Request: this connection was made for {sni} (site {sniSite.Name}); Host {host} is site {site.Name}. Open a new connection for {host}.\n");
            }
        }
        if (site is null)
        {
            HostLog.NoSite(logger, scheme, local, host, remote);
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            return ctx.Response.WriteAsync($"404: no site is bound to {scheme} {local} for Host {host}\n");
        }
        ctx.Features.Set<ISiteFeature>(new SiteFeature(site));
        return site.Handler(ctx);
    }
}
