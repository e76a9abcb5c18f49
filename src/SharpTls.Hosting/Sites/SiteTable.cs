using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;
using Yarp.ReverseProxy.Forwarder;

namespace SharpTls.Hosting.Sites;

/// <summary>A site, compiled: its bindings and the pipeline that serves it.</summary>
public sealed class Site
{
    internal Site(string name, IReadOnlyList<SiteBinding> bindings, string serves, RequestDelegate handler)
    {
        Name = name;
        Bindings = bindings;
        Serves = serves;
        Handler = handler;
    }

    /// <summary>The site's name.</summary>
    public string Name { get; }

    /// <summary>Its bindings.</summary>
    public IReadOnlyList<SiteBinding> Bindings { get; }

    /// <summary>What it serves, in words ("static folder /srv/www", "proxy to http://127.0.0.1:5000/", "app demo").</summary>
    public string Serves { get; }

    internal RequestDelegate Handler { get; }

    /// <inheritdoc />
    public override string ToString() => $"{Name} [{string.Join(", ", Bindings)}] {Serves}";
}

/// <summary>
/// An immutable set of sites. A request goes to the site whose binding matches its scheme, local
/// IP+port and Host most specifically (IIS's order: IP and host, host, IP, neither).
/// </summary>
public sealed class SiteTable
{
    private SiteTable(IReadOnlyList<Site> sites) => Sites = sites;

    /// <summary>No sites.</summary>
    public static SiteTable Empty { get; } = new([]);

    /// <summary>The sites.</summary>
    public IReadOnlyList<Site> Sites { get; }

    /// <summary>The site for a request, or null.</summary>
    public Site? Match(string scheme, IPEndPoint local, string host)
    {
        Site? best = null;
        int bestScore = -1;
        foreach (var site in Sites)
            foreach (var b in site.Bindings)
                if (b.Specificity > bestScore && b.Matches(scheme, local, host))
                {
                    best = site;
                    bestScore = b.Specificity;
                }
        return best;
    }

    /// <summary>The endpoints to listen on: (scheme, address or null for any, port), each once.</summary>
    public static IReadOnlyList<(string Scheme, IPAddress? Address, int Port)> Endpoints(SitesOptions options)
        => [.. Parse(options).SelectMany(s => s.Bindings).Select(b => (b.Scheme, b.Address, b.Port)).Distinct()
            .GroupBy(e => e.Port).SelectMany(g => g.Any(e => e.Address is null) ? g.Where(e => e.Address is null) : g).Distinct()];

    /// <summary>Checks the configuration (names, binding strings, one target per site, no binding used twice).</summary>
    /// <exception cref="FormatException">What is wrong, naming the site.</exception>
    public static IReadOnlyList<(SiteOptions Site, IReadOnlyList<SiteBinding> Bindings)> Parse(SitesOptions options)
    {
        var result = new List<(SiteOptions, IReadOnlyList<SiteBinding>)>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var used = new Dictionary<SiteBinding, string>();
        var schemes = new Dictionary<int, string>();
        foreach (var site in options.Sites)
        {
            if (string.IsNullOrWhiteSpace(site.Name)) throw new FormatException("a site has no Name");
            if (!names.Add(site.Name)) throw new FormatException($"site '{site.Name}' is defined twice");
            int targets = (site.PhysicalPath is null ? 0 : 1) + (site.Proxy is null ? 0 : 1) + (site.App is null ? 0 : 1);
            if (targets != 1) throw new FormatException($"site '{site.Name}' needs exactly one of PhysicalPath, Proxy or App");
            if (site.Bindings.Count == 0) throw new FormatException($"site '{site.Name}' has no Bindings");
            var bindings = new List<SiteBinding>();
            foreach (string text in site.Bindings)
            {
                SiteBinding b;
                try { b = SiteBinding.Parse(text); }
                catch (FormatException e) { throw new FormatException($"site '{site.Name}': {e.Message}", e); }
                if (!used.TryAdd(b, site.Name)) throw new FormatException($"site '{site.Name}': binding {b} is already used by site '{used[b]}'");
                if (schemes.TryGetValue(b.Port, out var other) && other != b.Scheme)
                    throw new FormatException($"site '{site.Name}': port {b.Port} cannot serve both http and https");
                schemes[b.Port] = b.Scheme;
                bindings.Add(b);
            }
            if (site.Proxy is not null && (!Uri.TryCreate(site.Proxy, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")))
                throw new FormatException($"site '{site.Name}': Proxy '{site.Proxy}' is not an http or https URL");
            result.Add((site, bindings));
        }
        return result;
    }

    /// <summary>Builds the sites' pipelines on branches of <paramref name="root"/>.</summary>
    internal static SiteTable Build(SitesOptions options, string basePath, IApplicationBuilder root, IReadOnlyDictionary<string, RequestDelegate> apps,
        IHttpForwarder forwarder, HttpMessageInvoker proxyClient)
    {
        var sites = new List<Site>();
        foreach (var (o, bindings) in Parse(options))
        {
            if (o.PhysicalPath is { } path)
            {
                string full = Path.GetFullPath(Path.Combine(basePath, path));
                if (!Directory.Exists(full)) throw new FormatException($"site '{o.Name}': PhysicalPath {full} does not exist");
                var files = new PhysicalFileProvider(full);
                var branch = root.New();
                branch.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
                branch.UseStaticFiles(new StaticFileOptions { FileProvider = files, ContentTypeProvider = new FileExtensionContentTypeProvider() });
                branch.Run(ctx => { ctx.Response.StatusCode = StatusCodes.Status404NotFound; return Task.CompletedTask; });
                sites.Add(new Site(o.Name, bindings, $"static folder {full}", branch.Build()));
            }
            else if (o.Proxy is { } target)
            {
                string prefix = target;
                sites.Add(new Site(o.Name, bindings, $"proxy to {target}", async ctx =>
                {
                    var error = await forwarder.SendAsync(ctx, prefix, proxyClient, ForwarderRequestConfig.Empty, HttpTransformer.Default);
                    if (error != ForwarderError.None && !ctx.Response.HasStarted)
                        ctx.Response.StatusCode = StatusCodes.Status502BadGateway;
                }));
            }
            else
            {
                if (!apps.TryGetValue(o.App!, out var app))
                    throw new FormatException($"site '{o.Name}': no built-in app '{o.App}' (known: {string.Join(", ", apps.Keys)})");
                sites.Add(new Site(o.Name, bindings, $"app {o.App}", app));
            }
        }
        return new SiteTable(sites);
    }
}
