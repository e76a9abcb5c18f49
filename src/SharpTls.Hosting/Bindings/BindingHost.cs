using System.Net;
using SharpTls.Hosting.Certificates;
using SharpTls.Wire;

namespace SharpTls.Hosting.Bindings;

/// <summary>The current binding table, swapped atomically; readers never lock.</summary>
public interface IBindingTableSource
{
    /// <summary>The table in force.</summary>
    BindingTable Current { get; }

    /// <summary>Raised after a new table is in force.</summary>
    event Action<BindingTable>? Changed;
}

/// <summary>Settings of a <see cref="BindingHost"/> and of the policies its tables build.</summary>
public sealed class BindingHostOptions
{
    /// <summary>The bindings file; default <c>&lt;data folder&gt;/sslbindings.conf</c>.</summary>
    public string? BindingsFile { get; set; }

    /// <summary>The central certificate store folder; default <c>$SHARPTLS_CCS_PATH</c>, else <c>&lt;data folder&gt;/ccs</c>.</summary>
    public string? CentralStorePath { get; set; }

    /// <summary>The environment variable holding the central certificate store's PFX password.</summary>
    public string CentralStorePasswordVariable { get; set; } = "SHARPTLS_CCS_PASSWORD";

    /// <summary>Where the host's events go (null: nowhere).</summary>
    public IBindingDiagnostics? Diagnostics { get; set; }

    /// <summary>The clock of the certificate checks.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>ALPN protocols offered, in preference order; <c>h2</c> is left out on bindings with <c>disablehttp2</c>.</summary>
    public IList<string> ApplicationProtocols { get; set; } = ["h2", "http/1.1"];

    /// <summary>
    /// The folder of stapled OCSP responses: <c>&lt;THUMBPRINT&gt;.ocsp</c> (DER, as <c>openssl ocsp -respout</c> writes it)
    /// is stapled with the certificate of that SHA-1 thumbprint, reloaded when it changes, unless the binding has
    /// <c>disableocspstapling</c>. Default <c>&lt;data folder&gt;/ocsp</c>.
    /// </summary>
    public string? OcspResponseFolder { get; set; }

    /// <summary>The certificate store (CurrentUser by default).</summary>
    public StoreCertificateSource Certificates { get; set; } = new();

    /// <summary>The folder of the trust lists that <c>sslctlidentifier</c> names (<see cref="TrustList"/>); default <c>ctl</c> beside the bindings file.</summary>
    public string? TrustListFolder { get; set; }

    /// <summary>The server's protocol switches (<see cref="ProtocolSwitches"/>); default <c>protocols.conf</c> beside the bindings file.</summary>
    public string? ProtocolSwitchesFile { get; set; }

    /// <summary>The trust-list folder in force: <see cref="TrustListFolder"/>, else <c>ctl</c> in the bindings file's folder.</summary>
    internal string TrustListFolderOrDefault
        => TrustListFolder ?? Path.Combine(BindingsFile is { } f ? Path.GetDirectoryName(Path.GetFullPath(f))! : SharpTlsHome.DataDirectory, "ctl");
}

/// <summary>
/// The live binding table: reads the bindings file and the server's protocol switches (<see cref="ProtocolSwitches"/>),
/// builds each binding's policy once, and watches both files, the certificate stores the bindings use and the central certificate store folder, so that a change made by the CLI,
/// another process or an editor is in force for new handshakes within a second. Established connections keep the
/// policy they were given. A bindings or protocol switches file that does not parse keeps the last good table in force (and is reported).
/// </summary>
public sealed class BindingHost : IBindingTableSource, IDisposable
{
    private readonly BindingHostOptions _options;
    private readonly BindingStore _store;
    private readonly ProtocolSwitches _protocols;
    private readonly OcspResponseFiles _ocsp;
    private readonly CentralCertificateStore _central;
    private readonly Lock _reloadLock = new();
    private readonly List<FileSystemWatcher> _watchers = [];
    private readonly ITimer _debounce;
    private readonly ITimer _poll;
    private BindingTable _current = BindingTable.Empty;
    private long _version;
    private string _stamp = "";
    private int _disposed;

    private BindingHost(BindingHostOptions options)
    {
        _options = options;
        _store = new BindingStore(options.BindingsFile);
        _protocols = options.ProtocolSwitchesFile is { } p ? new ProtocolSwitches(p) : ProtocolSwitches.Beside(_store);
        _ocsp = BindingTable.NewOcspFiles(options);
        Directory.CreateDirectory(Path.GetDirectoryName(_store.Path)!);
        string ccsPath = options.CentralStorePath
                         ?? (Environment.GetEnvironmentVariable("SHARPTLS_CCS_PATH") is { Length: > 0 } env ? env : Path.Combine(SharpTlsHome.DataDirectory, "ccs"));
        _central = new CentralCertificateStore(ccsPath, Environment.GetEnvironmentVariable(options.CentralStorePasswordVariable), options.Diagnostics, options.Time);
        _debounce = options.Time.CreateTimer(_ => ReloadFromTimer(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        Reload();
        Watch(Path.GetDirectoryName(_store.Path)!, Path.GetFileName(_store.Path));
        Directory.CreateDirectory(Path.GetDirectoryName(_protocols.Path)!);
        Watch(Path.GetDirectoryName(_protocols.Path)!, Path.GetFileName(_protocols.Path));
        _poll = options.Time.CreateTimer(_ => ReloadFromTimer(), null, PollInterval, PollInterval);
    }

    /// <summary>How often the files are compared with what the table was built from (the watchers usually see changes first).</summary>
    public static TimeSpan PollInterval { get; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Loads the bindings and starts watching.</summary>
    public static BindingHost Start(BindingHostOptions? options = null) => new(options ?? new BindingHostOptions());

    /// <summary>The bindings file.</summary>
    public BindingStore Store => _store;

    /// <summary>The server's protocol switches it watches.</summary>
    public ProtocolSwitches Protocols => _protocols;

    /// <summary>The central certificate store that <c>ccs</c> bindings serve from.</summary>
    public CentralCertificateStore CentralStore => _central;

    /// <inheritdoc />
    public BindingTable Current => Volatile.Read(ref _current);

    /// <inheritdoc />
    public event Action<BindingTable>? Changed;

    /// <summary>Rebuilds the table from the file and the stores now (tests and SIGHUP may call it; the watchers and the poll rebuild only on a change).</summary>
    public void Reload() => Reload(onlyIfChanged: false);

    /// <summary>How many times the table was built (the first build included): one change, one rebuild.</summary>
    internal long Rebuilds => Interlocked.Read(ref _version);

    // The watchers (after their debounce) and the poll both come here, and one change usually wakes both: the stamp
    // is compared under the lock, so whichever runs second finds the table already built from what is on disk.
    private void Reload(bool onlyIfChanged)
    {
        if (Volatile.Read(ref _disposed) != 0) return;
        BindingTable table;
        lock (_reloadLock)
        {
            string fileStamp = FileStamp(), dirsStamp = DirsStamp();
            if (onlyIfChanged && fileStamp + dirsStamp == Volatile.Read(ref _stamp)) return;
            IReadOnlyList<SslBinding> bindings;
            TlsVersions protocols;
            try
            {
                bindings = _store.Load();
                protocols = _protocols.Load();
            }
            catch (Exception e) when (e is BindingFormatException or IOException or UnauthorizedAccessException)
            {
                Volatile.Write(ref _stamp, fileStamp + dirsStamp);
                _options.Diagnostics?.BindingsFileInvalid((e as BindingFormatException)?.File ?? _store.Path, e.Message);
                return;
            }
            table = BindingTable.Build(bindings, _options.Certificates, _central, _options, ++_version, protocols, _ocsp);
            foreach (var problem in table.Problems) _options.Diagnostics?.BindingNotServed(problem.Binding, problem.Reason);
            // Store folders watched for the first time (created here if missing) are stamped now: their creation is
            // not a change; anything written to them from now on is seen by their watcher.
            if (WatchStores(bindings)) dirsStamp = DirsStamp();
            Volatile.Write(ref _stamp, fileStamp + dirsStamp);
            Volatile.Write(ref _current, table);
        }
        _options.Diagnostics?.TableChanged(table);
        Changed?.Invoke(table);
    }

    // Timer callbacks must not throw (an exception there ends the process): a failed rebuild keeps the table in force.
    private void ReloadFromTimer()
    {
        try
        {
            Reload(onlyIfChanged: true);
        }
        catch (Exception e) when (Volatile.Read(ref _disposed) == 0)
        {
            try { _options.Diagnostics?.BindingsFileInvalid(_store.Path, $"the binding table could not be rebuilt ({e.GetType().Name}: {e.Message}); the previous table stays in force"); }
            catch (Exception) { }
        }
        catch (Exception) { }
    }

    /// <summary>
    /// The selection hook: <c>new TlsServerListener { SelectPolicy = host.SelectPolicyAsync }</c>. It never returns null:
    /// no binding is <c>unrecognized_name</c> (or <c>handshake_failure</c> without SNI), a certificate that is no longer
    /// valid is <c>handshake_failure</c> and event 36871.
    /// </summary>
    public async ValueTask<TlsServerPolicy?> SelectPolicyAsync(ClientHelloInfo hello, CancellationToken cancellationToken)
        => (await SelectAsync(hello, cancellationToken).ConfigureAwait(false))?.Policy;

    /// <summary>Like <see cref="SelectPolicyAsync"/>, with the match (binding, rule and reason).</summary>
    /// <exception cref="TlsProtocolException">No binding, or the binding's certificate is not valid now.</exception>
    public ValueTask<BindingMatch?> SelectAsync(ClientHelloInfo hello, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hello);
        var local = hello.LocalEndPoint
                    ?? throw new TlsProtocolException(AlertDescription.InternalError, "the connection's local endpoint is unknown: the binding table cannot choose");
        var match = Current.Select(local, hello.ServerName);
        if (match is null)
        {
            _options.Diagnostics?.NoBinding(local, hello.ServerName, hello.RemoteEndPoint);
            throw hello.ServerName is null
                ? new TlsProtocolException(AlertDescription.HandshakeFailure, $"no SSL binding for {Format(local)} (no SNI)")
                : new TlsProtocolException(AlertDescription.UnrecognizedName, $"no SSL binding for {hello.ServerName} on {Format(local)}");
        }
        var certificate = match.Policy.Certificates[0].Certificate;
        if (CertificateChecks.ValidityProblem(certificate, _options.Time.GetUtcNow()) is { } problem)
        {
            _options.Diagnostics?.CredentialUnusable(match.Binding, certificate, problem);
            throw new TlsProtocolException(AlertDescription.HandshakeFailure, $"{match.Binding.Key}: {problem}");
        }
        return ValueTask.FromResult<BindingMatch?>(match);
    }

    private static string Format(IPEndPoint e) => e.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{e.Address}]:{e.Port}" : $"{e.Address}:{e.Port}";

    // What the table depends on, so that a rebuild happens exactly when it changed: the bindings and protocol files by
    // content (two saves within one tick of the file system's coarse clock can have the same size and time), and the store
    // folders file by file (name, size, time: a certificate added, removed or replaced is a new file name, named by its
    // thumbprint; trust lists, edited in place, by content too). The files are small; the poll reads them twice a second.
    private string FileStamp() => ContentStamp(_store.Path) + "|" + ContentStamp(_protocols.Path);

    private static string ContentStamp(string path)
    {
        try
        {
            return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(path)));
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return "-";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?"; // unreadable now: the rebuild reports it, and the next readable poll differs
        }
    }

    private string DirsStamp()
    {
        var s = new System.Text.StringBuilder();
        foreach (string dir in Volatile.Read(ref _storeDirList))
        {
            s.Append('|').Append(dir);
            try
            {
                bool trustLists = string.Equals(dir, _options.TrustListFolderOrDefault, StringComparison.Ordinal);
                foreach (var f in new DirectoryInfo(dir).EnumerateFiles().OrderBy(f => f.Name, StringComparer.Ordinal))
                {
                    s.Append(';').Append(f.Name).Append(':').Append(f.Length).Append(':').Append(f.LastWriteTimeUtc.Ticks);
                    if (trustLists) s.Append(':').Append(ContentStamp(f.FullName)); // edited in place, by hand
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                s.Append(":-");
            }
        }
        return s.ToString();
    }

    private readonly HashSet<string> _storeDirs = new(StringComparer.Ordinal);   // changed under _reloadLock
    private string[] _storeDirList = [];                                          // its published copy, read by the poll

    // Watches the folders of the stores the bindings use; true when a folder was added.
    private bool WatchStores(IReadOnlyList<SslBinding> bindings)
    {
        bool added = false;
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "CA" };
        foreach (var b in bindings)
        {
            if (b.Key.Kind != BindingKind.Ccs) names.Add(b.CertificateStoreName);
            if (b.SslCtlStoreName is { } ctl) names.Add(ctl);
        }
        var dirs = names.Select(_options.Certificates.StoreDirectory).ToList();
        if (bindings.Any(b => b.SslCtlIdentifier is not null)) dirs.Add(_options.TrustListFolderOrDefault);
        foreach (string? dir in dirs)
            if (dir is not null && _storeDirs.Add(dir))
            {
                Directory.CreateDirectory(dir);
                Watch(dir, "*");
                Volatile.Write(ref _storeDirList, [.. _storeDirs]);
                added = true;
            }
        return added;
    }

    private void Watch(string dir, string filter)
    {
        try
        {
            var w = new FileSystemWatcher(dir, filter) { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size };
            FileSystemEventHandler soon = (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
            w.Changed += soon;
            w.Created += soon;
            w.Deleted += soon;
            w.Renamed += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
            w.Error += (_, _) => _debounce.Change(TimeSpan.FromMilliseconds(50), Timeout.InfiniteTimeSpan);
            w.EnableRaisingEvents = true;
            lock (_watchers) _watchers.Add(w);
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // The poll still sees changes (within PollInterval).
        }
    }

    /// <summary>Stops watching; the current table stays usable.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        lock (_watchers)
            foreach (var w in _watchers) w.Dispose();
        _debounce.Dispose();
        _poll.Dispose();
        _central.Dispose();
    }
}
