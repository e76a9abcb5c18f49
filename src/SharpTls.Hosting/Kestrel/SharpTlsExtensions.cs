using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SharpTls.Hosting.Diagnostics;
using SharpTls.Hosting.Kestrel;

namespace SharpTls.Hosting;

/// <summary>
/// <c>ListenOptions.UseSharpTls(...)</c>: TLS by SharpTls on a Kestrel endpoint, in the shape of
/// Kestrel's own <c>UseHttps(...)</c>.
/// </summary>
public static class ListenOptionsSharpTlsExtensions
{
    /// <summary>Serves the endpoint with the options registered by <see cref="SharpTlsServiceCollectionExtensions.AddSharpTls"/>.</summary>
    public static ListenOptions UseSharpTls(this ListenOptions listenOptions)
        => listenOptions.UseSharpTls(listenOptions.ApplicationServices.GetRequiredService<IOptions<SharpTlsConnectionOptions>>().Value);

    /// <summary>Serves the endpoint with one certificate (a quick start; bindings come through the selection hook).</summary>
    public static ListenOptions UseSharpTls(this ListenOptions listenOptions, ServerCertificate certificate)
        => listenOptions.UseSharpTls(o => o.ServerOptions.Certificates.Add(certificate));

    /// <summary>Serves the endpoint with options configured here.</summary>
    public static ListenOptions UseSharpTls(this ListenOptions listenOptions, Action<SharpTlsConnectionOptions> configure)
    {
        var options = new SharpTlsConnectionOptions();
        configure(options);
        return listenOptions.UseSharpTls(options);
    }

    /// <summary>
    /// Serves the endpoint with <paramref name="options"/>. Share one options instance among endpoints to
    /// share the server's services (ticket keys, so resumption works across them). ALPN follows the
    /// endpoint's <see cref="ListenOptions.Protocols"/> unless the options name protocols themselves.
    /// </summary>
    public static ListenOptions UseSharpTls(this ListenOptions listenOptions, SharpTlsConnectionOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.ServerOptions.ApplicationProtocols.Count == 0)
            options.ServerOptions.ApplicationProtocols = Alpn(listenOptions.Protocols);
        var services = listenOptions.ApplicationServices;
        var loggerFactory = services.GetService<ILoggerFactory>();
        var metrics = services.GetService<SharpTlsMetrics>() ?? SharedMetrics.Instance;
        listenOptions.Use(next => new SharpTlsConnectionMiddleware(next, options, loggerFactory, metrics).OnConnectionAsync);
        return listenOptions;
    }

    /// <summary>ALPN names for Kestrel's protocols, HTTP/2 first (as Kestrel's UseHttps orders them).</summary>
    public static List<string> Alpn(HttpProtocols protocols)
    {
        var list = new List<string>();
        if (protocols.HasFlag(HttpProtocols.Http2)) list.Add("h2");
        if (protocols.HasFlag(HttpProtocols.Http1)) list.Add("http/1.1");
        return list;
    }

    /// <summary>The meter used when the application registered none (no <see cref="SharpTlsServiceCollectionExtensions.AddSharpTls"/>).</summary>
    private static class SharedMetrics
    {
        public static readonly SharpTlsMetrics Instance = new();
    }
}

/// <summary>Registration of SharpTls' services in a host.</summary>
public static class SharpTlsServiceCollectionExtensions
{
    /// <summary>
    /// Registers the <see cref="SharpTlsMetrics"/> (the <c>SharpTls</c> meter) and the default
    /// <see cref="SharpTlsConnectionOptions"/> used by <c>listenOptions.UseSharpTls()</c>.
    /// </summary>
    public static IServiceCollection AddSharpTls(this IServiceCollection services, Action<SharpTlsConnectionOptions>? configure = null)
    {
        services.AddMetrics();
        services.TryAddSingleton(sp => new SharpTlsMetrics(sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        var builder = services.AddOptions<SharpTlsConnectionOptions>();
        if (configure is not null) builder.Configure(configure);
        return services;
    }
}

/// <summary>SharpTls on a web host builder.</summary>
public static class SharpTlsWebHostBuilderExtensions
{
    /// <summary>
    /// Registers SharpTls (<see cref="SharpTlsServiceCollectionExtensions.AddSharpTls"/>) and serves every
    /// HTTPS endpoint Kestrel is configured with (<c>ConfigureHttpsDefaults</c> is not used: each endpoint
    /// passed to <paramref name="endpoints"/> gets <c>UseSharpTls()</c>).
    /// </summary>
    public static IWebHostBuilder UseSharpTls(this IWebHostBuilder builder, Action<SharpTlsConnectionOptions> configure, Action<KestrelServerOptions>? endpoints = null)
    {
        builder.ConfigureServices(services => services.AddSharpTls(configure));
        if (endpoints is not null) builder.ConfigureKestrel(endpoints);
        return builder;
    }
}
