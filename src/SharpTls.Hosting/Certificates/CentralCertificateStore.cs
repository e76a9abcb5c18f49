using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Certificates;

/// <summary>
/// The central certificate store (IIS CCS): a folder, possibly a share, of <c>&lt;host&gt;.pfx</c> files and
/// <c>_.&lt;domain&gt;.pfx</c> for a wildcard, all with one password. A name's file is loaded on first use and cached;
/// a change, a new file or a removal is seen through a folder watcher (and a poll every <see cref="PollInterval"/>, for
/// shares where the watcher is blind). A file that does not load is reported once per version and serves nothing;
/// the other names keep working.
/// </summary>
public sealed class CentralCertificateStore : IDisposable
{
    /// <summary>The most names cached (hits and misses); SNI names are chosen by clients, so the cache is bounded.</summary>
    public const int MaxCachedNames = 10_000;

    /// <summary>The largest PFX file read.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    private readonly string? _password;
    private readonly IBindingDiagnostics? _diagnostics;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Entry> _files = new(StringComparer.Ordinal);   // file name -> loaded state
    private readonly FileSystemWatcher? _watcher;
    private readonly ITimer _poll;
    private int _disposed;

    /// <summary>Opens the store on <paramref name="folder"/> (created if missing) with the shared PFX password.</summary>
    public CentralCertificateStore(string folder, string? password, IBindingDiagnostics? diagnostics = null, TimeProvider? time = null)
    {
        Folder = Path.GetFullPath(folder);
        Directory.CreateDirectory(Folder);
        _password = password;
        _diagnostics = diagnostics;
        _time = time ?? TimeProvider.System;
        try
        {
            _watcher = new FileSystemWatcher(Folder, "*.pfx") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite | NotifyFilters.Size | NotifyFilters.CreationTime };
            _watcher.Changed += (_, e) => Invalidate(e.Name);
            _watcher.Created += (_, e) => Invalidate(e.Name);
            _watcher.Deleted += (_, e) => Invalidate(e.Name);
            _watcher.Renamed += (_, e) => { Invalidate(e.OldName); Invalidate(e.Name); };
            _watcher.Error += (_, _) => InvalidateAll();
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            _watcher = null;   // the poll still sees changes
        }
        _poll = _time.CreateTimer(_ => Poll(), null, PollInterval, PollInterval);
    }

    /// <summary>How often cached files are checked for changes the watcher may have missed.</summary>
    public static TimeSpan PollInterval { get; } = TimeSpan.FromSeconds(1);

    /// <summary>The folder.</summary>
    public string Folder { get; }

    /// <summary>Raised when a file of the folder changed, appeared or went away (cached certificates are dropped first).</summary>
    public event Action? Changed;

    /// <summary>
    /// The certificate for <paramref name="hostName"/>: <c>&lt;host&gt;.pfx</c>, else <c>_.&lt;parent&gt;.pfx</c>.
    /// Null when neither file exists, or the file that exists cannot serve (reported through the diagnostics).
    /// </summary>
    public ServerCertificate? Find(string hostName) => Lookup(hostName)?.Certificate;

    /// <summary>Like <see cref="Find"/>, with the file that served.</summary>
    public (ServerCertificate Certificate, string File)? Lookup(string hostName)
    {
        string? name = BindingKey.NormalizeHostName(hostName, allowWildcard: false);
        if (name is null) return null;   // never a path: only DNS names reach the file system
        if (Get(name + ".pfx") is { } exact) return exact;
        int dot = name.IndexOf('.', StringComparison.Ordinal);
        if (dot > 0 && name.IndexOf('.', dot + 1) > 0 && Get("_." + name[(dot + 1)..] + ".pfx") is { } wildcard) return wildcard;
        return null;
    }

    private (ServerCertificate, string)? Get(string fileName)
    {
        if (!_files.TryGetValue(fileName, out var entry))
        {
            if (_files.Count >= MaxCachedNames) _files.Clear();
            entry = _files.GetOrAdd(fileName, f => new Entry(Path.Combine(Folder, f)));
        }
        var loaded = entry.Value(this);
        return loaded.Certificate is { } c ? (c, entry.Path) : null;
    }

    private void Invalidate(string? fileName)
    {
        if (fileName is null) return;
        _files.TryRemove(Path.GetFileName(fileName), out _);
        RaiseChanged();
    }

    private void InvalidateAll()
    {
        _files.Clear();
        RaiseChanged();
    }

    private void RaiseChanged()
    {
        try { Changed?.Invoke(); }
        catch (Exception) { }   // a subscriber's failure must not end the watcher's thread (and the process)
    }

    // A timer callback: it must not throw (that would end the process).
    private void Poll()
    {
        try
        {
            bool changed = false;
            foreach (var (name, entry) in _files)
                if (entry.IsLoaded && entry.Stamp != Stamp(entry.Path))
                {
                    _files.TryRemove(name, out _);
                    changed = true;
                }
            if (changed) RaiseChanged();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            InvalidateAll();   // the folder is unreachable for now (a share): load again on next use
        }
        catch (Exception) { }
    }

    private static (long, DateTime)? Stamp(string path)
    {
        var info = new FileInfo(path);
        return info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
    }

    private Loaded Load(string path)
    {
        var stamp = Stamp(path);
        if (stamp is null) return new Loaded(null, stamp);
        try
        {
            byte[] bytes;
            using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
            {
                if (stream.Length > MaxFileBytes) throw new IOException($"the file is {stream.Length} bytes, more than {MaxFileBytes}");
                bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
            }
            var all = X509CertificateLoader.LoadPkcs12Collection(bytes, _password, X509KeyStorageFlags.Exportable);
            var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new IOException("no certificate with a private key in the file");
            if (CertificateChecks.Problem(leaf, _time.GetUtcNow()) is { } problem) throw new IOException(problem);
            var chain = new X509Certificate2Collection();
            foreach (var c in all)
                if (!ReferenceEquals(c, leaf) && !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))
                    chain.Add(c);
            return new Loaded(new ServerCertificate(leaf, chain), stamp);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Whatever is wrong with one file (not a PFX, wrong password, no key, expired...), it serves nothing and the others keep working.
            _diagnostics?.CentralStoreFileInvalid(path, e.Message);
            return new Loaded(null, stamp);
        }
    }

    /// <summary>Stops watching.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _watcher?.Dispose();
        _poll.Dispose();
    }

    private sealed record Loaded(ServerCertificate? Certificate, (long, DateTime)? Stamp);

    // One file's state, loaded once (Lazy: concurrent first handshakes load it once).
    private sealed class Entry(string path)
    {
        private Lazy<Loaded>? _loaded;
        public string Path { get; } = path;
        public bool IsLoaded => _loaded is { IsValueCreated: true };
        public (long, DateTime)? Stamp => _loaded is { IsValueCreated: true } l ? l.Value.Stamp : null;

        public Loaded Value(CentralCertificateStore store)
        {
            var lazy = _loaded;
            if (lazy is null)
            {
                Interlocked.CompareExchange(ref _loaded, new Lazy<Loaded>(() => store.Load(Path)), null);
                lazy = _loaded!;
            }
            return lazy.Value;
        }
    }
}
