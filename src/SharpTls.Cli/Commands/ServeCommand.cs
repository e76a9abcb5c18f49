using System.CommandLine;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using SharpTls.Hosting;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Hosting.Demo;
using SharpTls.Hosting.Diagnostics;
using SharpTls.Hosting.Kestrel;
using SharpTls.Hosting.Sites;

namespace SharpTls.Cli.Commands;

/// <summary>
/// <c>sharptls serve</c>: the HTTPS host on Kestrel. With no configuration it runs the embedded default
/// (a demo CA, certificates and bindings for localhost, www.contoso.test and shop.contoso.test, made once
/// in the data folder, and a page per site showing its handshake); with <c>--config FILE</c> or an
/// <c>appsettings.json</c> listing <c>SharpTls:Sites</c> it serves those sites, with the SSL bindings of
/// <c>sharptls http add sslcert</c>. Sites and bindings change without a restart.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "HTTPS port of the embedded default", DefaultValueFactory = _ => 8443 };
        var config = new Option<FileInfo?>("--config") { Description = "a JSON file listing sites (SharpTls:Sites), instead of ./appsettings.json or the embedded default" };
        var metrics = new Option<bool>("--metrics") { Description = "expose the SharpTls meter in Prometheus format (at http://--metrics-address/metrics)" };
        var metricsAddress = new Option<string>("--metrics-address") { Description = "IP:port of the Prometheus endpoint", DefaultValueFactory = _ => "127.0.0.1:9464" };
        var timeout = new Option<double>("--handshake-timeout") { Description = "seconds a TLS handshake may take", DefaultValueFactory = _ => 10 };
        var cmd = new Command("serve", "run the HTTPS host: the embedded demo with no configuration, or the sites of --config / appsettings.json")
        {
            port, config, metrics, metricsAddress, timeout,
        };
        cmd.SetAction(async (parse, ct) =>
        {
            IPEndPoint? metricsEndPoint = null;
            if (parse.GetValue(metrics) && !IPEndPoint.TryParse(parse.GetValue(metricsAddress)!, out metricsEndPoint))
            {
                Console.Error.WriteLine($"sharptls serve: --metrics-address {parse.GetValue(metricsAddress)} is not IP:port");
                return 2;
            }
            try
            {
                return await RunAsync(parse.GetValue(port), parse.GetValue(config), metricsEndPoint, TimeSpan.FromSeconds(parse.GetValue(timeout)), ct);
            }
            catch (Exception e) when (e is FormatException or BindingFormatException or IOException or CertificateUnusableException)
            {
                Console.Error.WriteLine($"sharptls serve: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    private static async Task<int> RunAsync(int port, FileInfo? config, IPEndPoint? metrics, TimeSpan handshakeTimeout, CancellationToken ct)
    {
        string cwd = Directory.GetCurrentDirectory();
        string? configPath = config?.FullName ?? (File.Exists(Path.Combine(cwd, "appsettings.json")) ? Path.Combine(cwd, "appsettings.json") : null);
        if (config is not null && !config.Exists) throw new IOException($"--config {config.FullName}: no such file");

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = cwd, Args = [] });
        builder.Configuration.Sources.Clear();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.AddFilter("Microsoft", LogLevel.Warning).AddFilter("SharpTls", LogLevel.Information);
        DemoConfiguration? demo = null;
        if (configPath is not null)
            builder.Configuration.AddJsonFile(configPath, optional: false, reloadOnChange: true);
        if (configPath is null || !builder.Configuration.GetSection(SitesOptions.Section).Exists())
        {
            if (configPath is not null && config is not null)
                throw new FormatException($"{configPath}: no {SitesOptions.Section} section");
            demo = DemoSetup.Ensure(port);
            builder.Configuration.AddInMemoryCollection(DemoSetup.ConfigurationOf(demo.Sites));
        }
        var sites = new SitesOptions();
        builder.Configuration.GetSection(SitesOptions.Section).Bind(sites.Sites);
        SiteTable.Parse(sites); // a bad configuration fails the start with its message

        builder.Services.AddSharpTls();
        builder.Services.AddSharpTlsSites();
        var services = new TlsServerOptions { TicketKeys = new Sessions.TicketKeyRing() }; // one ring: resumption across bindings and table swaps
        // Select is set once the binding host runs (after Build: its events need the logger factory).
        var tls = new SharpTlsConnectionOptions { ServerOptions = services, HandshakeTimeout = handshakeTimeout };
        // The endpoints of the sites and of the SSL bindings, rebound while serving when either changes.
        var endpoints = new ListenEndpoints();
        endpoints.SetSites(SiteTable.Endpoints(sites));
        IReadOnlyList<SslBinding> atStart = [];
        try { atStart = new BindingStore().Load(); endpoints.SetBindings(atStart); }
        catch (BindingFormatException) { } // reported by the binding host (36901); its table, when it has one, gives the endpoints
        // netsh's extended property 0: Kestrel keeps one HTTP/2 receive window per server, read as each connection starts.
        int receiveWindow = ExtendedProperties.ReceiveWindowFor(atStart);
        builder.Services.AddSingleton(endpoints);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            ExtendedProperties.Apply(k, receiveWindow);
            endpoints.Configure(k, tls);
            if (metrics is not null) k.Listen(metrics, l => l.Protocols = HttpProtocols.Http1);
        });
        if (metrics is not null)
            builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddMeter(SharpTlsMetrics.MeterName).AddPrometheusExporter());

        await using var app = builder.Build();
        // The live binding table: the bindings file, the certificate store and the central certificate store, watched.
        using var bindings = BindingHost.Start(new BindingHostOptions { Diagnostics = new BindingEvents(app.Services.GetRequiredService<ILoggerFactory>()) });
        tls.Select = BindingSelection.For(bindings);
        endpoints.Logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SharpTls.Hosting.Sites");
        endpoints.SetBindings(bindings.Current.Bindings);
        bindings.Changed += table => endpoints.SetBindings(table.Bindings);
        var hostLogger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("SharpTls.Hosting");
        ReportReceiveWindow(hostLogger, atStart, receiveWindow, "Give the bindings that serve HTTP/2 one window (http update sslcert KEY http2receivewindow=N).");
        bindings.Changed += table => ReportReceiveWindow(hostLogger, table.Bindings, receiveWindow, "Restart sharptls serve to apply a changed window.");
        app.Services.GetRequiredService<SiteApps>().Add(DemoPage.AppName, DemoPage.Handler(demo));
        app.Services.GetRequiredService<SiteTableSource>().BasePath = configPath is null ? cwd : Path.GetDirectoryName(configPath)!;
        if (metrics is not null)
            app.UseOpenTelemetryPrometheusScrapingEndpoint(ctx => ctx.Connection.LocalPort == metrics.Port && ctx.Request.Path == "/metrics");
        app.UseSharpTlsSites();
        await app.StartAsync(ct);

        var o = Console.Error;
        if (demo is not null)
        {
            o.WriteLine($"sharptls serve: the embedded default on https://{DemoSetup.Address}:{port}/ (data folder {SharpTlsHome.DataDirectory})");
            o.WriteLine(demo.Created.Count == 0 ? "  reusing the demo CA, certificates and bindings made before" : "  created: " + string.Join("; ", demo.Created));
            o.WriteLine($"  the demo CA is {demo.CaPath} (trust it to browse without warnings)");
            o.WriteLine("  bindings: " + string.Join(", ", demo.Bindings.Select(b => b.Key.ToString())));
            o.WriteLine("  try:");
            foreach (string line in DemoSetup.CurlLines(demo)) o.WriteLine("    " + line);
        }
        else
        {
            o.WriteLine($"sharptls serve: sites of {configPath}; SSL bindings of {bindings.Store.Path}");
            foreach (var e in endpoints.Current)
                o.WriteLine($"  listening on {e}");
        }
        if (metrics is not null) o.WriteLine($"  metrics: curl http://{metrics}/metrics");
        await app.WaitForShutdownAsync(ct);
        return 0;
    }

    /// <summary>Event 36909 when a binding serving HTTP/2 names another receive window than the one Kestrel runs with.</summary>
    private static void ReportReceiveWindow(ILogger logger, IReadOnlyList<SslBinding> bindings, int applied, string remedy)
    {
        var others = ExtendedProperties.NotApplied(bindings, applied);
        if (others.Count == 0) return;
        var invariant = System.Globalization.CultureInfo.InvariantCulture;
        HostLog.ReceiveWindowNotApplied(logger, applied,
            string.Join(", ", others.Select(b => ExtendedProperties.ReceiveWindowOf(b).ToString(invariant)).Distinct()),
            string.Join(", ", others.Select(b => b.Key.ToString())), remedy);
    }
}
