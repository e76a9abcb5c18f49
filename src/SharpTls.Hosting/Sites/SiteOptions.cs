namespace SharpTls.Hosting.Sites;

/// <summary>
/// One site of <c>appsettings.json</c>'s <c>SharpTls:Sites</c> list, as IIS defines a site: a name,
/// its bindings, and what it serves: a static folder, a reverse-proxy target, or a built-in app.
/// </summary>
public sealed class SiteOptions
{
    /// <summary>The site's name (unique).</summary>
    public string Name { get; set; } = "";

    /// <summary>IIS binding strings: <c>https/*:443:www.contoso.test</c>, <c>http/127.0.0.1:80:</c>.</summary>
    public List<string> Bindings { get; set; } = [];

    /// <summary>A static folder (relative to the configuration file's folder): static files, default document on, directory browsing off.</summary>
    public string? PhysicalPath { get; set; }

    /// <summary>A reverse-proxy target (YARP), such as <c>http://127.0.0.1:5000/</c>.</summary>
    public string? Proxy { get; set; }

    /// <summary>A built-in app by name (the demo page is <c>demo</c>).</summary>
    public string? App { get; set; }
}

/// <summary>The <c>SharpTls</c> configuration section's sites.</summary>
public sealed class SitesOptions
{
    /// <summary>The configuration section: <c>SharpTls:Sites</c>.</summary>
    public const string Section = "SharpTls:Sites";

    /// <summary>The sites.</summary>
    public List<SiteOptions> Sites { get; set; } = [];
}
