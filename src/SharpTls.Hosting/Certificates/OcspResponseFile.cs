using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SharpTls.Diagnostics;

namespace SharpTls.Hosting.Certificates;

/// <summary>
/// A certificate's stapled OCSP response, kept in a file (DER, as <c>openssl ocsp -respout</c> writes it) and
/// reloaded when the file changes: the engine asks <see cref="Current"/> at each handshake whose client wants a
/// staple; at most once per <see cref="CheckInterval"/> that looks at the file's size and time, and reads it again
/// when they changed. A response is stapled only while it is usable: at most
/// <see cref="IOcspResponseSource.MaxResponseLength"/> bytes, a successful OCSP response, with a "good" status for
/// this certificate's serial number, and inside its thisUpdate..nextUpdate window. Otherwise nothing is stapled and
/// <see cref="Problem"/> says why. Each change of what is stapled is reported once, when it is noticed (the file was
/// read again, or at a check the response went stale): event 36906 (warning: nothing is stapled, and why) or 36907 (a
/// response is stapled again), to the logger and the host's <see cref="Bindings.IBindingDiagnostics"/>. A file that does not
/// exist is the usual case of a certificate without stapling and is no event. The responder's signature is the
/// client's to verify.
/// </summary>
public sealed partial class OcspResponseFile : IOcspResponseSource
{
    /// <summary>How often the file is looked at, at most.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Bindings.IBindingDiagnostics? _diagnostics;
    private string? _reported = NothingReported;   // the problem last reported (null: stapled)
    private const string NothingReported = "\0";
    private readonly Lock _refreshLock = new();
    private volatile Loaded _loaded = new(null, ReadOnlyMemory<byte>.Empty, null, "not read yet", null);
    private long _lastCheckTicks = long.MinValue;
    private bool _read;

    /// <summary>Watches <paramref name="path"/> for the response for <paramref name="certificate"/>; reads it now.</summary>
    public OcspResponseFile(string path, X509Certificate2 certificate, TimeProvider? time = null, ILogger? logger = null)
        : this(path, certificate, time, logger, null)
    {
    }

    /// <summary>Like the public constructor, reporting to the binding table's diagnostics too (the host's events).</summary>
    internal OcspResponseFile(string path, X509Certificate2 certificate, TimeProvider? time, ILogger? logger, Bindings.IBindingDiagnostics? diagnostics)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(certificate);
        Path = System.IO.Path.GetFullPath(path);
        _certificate = certificate;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        _diagnostics = diagnostics;
        Refresh();
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>Why nothing is stapled now (null while a response is).</summary>
    public string? Problem => Usable(_loaded, _time.GetUtcNow());

    /// <summary>What the loaded response says (null when none could be read).</summary>
    public OcspResponseInfo? Info => _loaded.Info;

    /// <inheritdoc />
    public ReadOnlyMemory<byte> Current
    {
        get
        {
            var now = _time.GetUtcNow();
            long last = Interlocked.Read(ref _lastCheckTicks);
            if (now.UtcTicks - last >= CheckInterval.Ticks && _refreshLock.TryEnter())
            {
                try { Refresh(); }
                finally { _refreshLock.Exit(); }
            }
            var loaded = _loaded;
            return Usable(loaded, now) is null ? loaded.Response : ReadOnlyMemory<byte>.Empty;
        }
    }

    /// <summary>
    /// Looks at the file now and reads it again if its size or time changed; true when the response changed. Reports a
    /// change of what is stapled (36906 / 36907), also when the file is the same but its response went stale.
    /// </summary>
    public bool Refresh()
    {
        lock (_refreshLock)
        {
            var now = _time.GetUtcNow();
            Interlocked.Exchange(ref _lastCheckTicks, now.UtcTicks);
            var info = new FileInfo(Path);
            (long, DateTime)? stamp = info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
            bool changed = !_read || stamp != _loaded.Stamp;
            if (changed)
            {
                _read = true;
                _loaded = Load(info, stamp);
            }
            Report(_loaded, now);
            return changed;
        }
    }

    // Once per change of what is stapled: why nothing is (36906), or that a response is again (36907).
    private void Report(Loaded loaded, DateTimeOffset now)
    {
        string? problem = Usable(loaded, now);
        if (problem == _reported) return;
        bool first = _reported == NothingReported;
        _reported = problem;
        if (loaded.Stamp is null)
        {
            // No file: this certificate is not stapled, the usual case; an event only when a file that was there went away.
            if (first) { if (_logger is not null) LogNoFile(_logger, _certificate.Subject, Path); return; }
        }
        try
        {
            if (_logger is not null) Diagnostics.HostLog.OcspResponseChanged(_logger, Path, _certificate, problem);
            _diagnostics?.OcspResponseChanged(Path, _certificate, problem);
        }
        catch (Exception) when (_diagnostics is not null)
        {
            // Diagnostics must not break a handshake.
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "OCSP stapling for {Subject}: {Path} does not exist; nothing is stapled")]
    private static partial void LogNoFile(ILogger logger, string subject, string path);

    private Loaded Load(FileInfo info, (long, DateTime)? stamp)
    {
        if (stamp is null) return new Loaded(null, ReadOnlyMemory<byte>.Empty, null, $"{Path} does not exist", null);
        if (info.Length > IOcspResponseSource.MaxResponseLength)
            return new Loaded(stamp, ReadOnlyMemory<byte>.Empty, null, $"{Path} has {info.Length} bytes; an OCSP response is at most {IOcspResponseSource.MaxResponseLength}", null);
        byte[] bytes;
        try { bytes = File.ReadAllBytes(Path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return new Loaded(stamp, ReadOnlyMemory<byte>.Empty, null, $"{Path}: {e.Message}", null);
        }
        if (bytes.Length > IOcspResponseSource.MaxResponseLength)
            return new Loaded(stamp, ReadOnlyMemory<byte>.Empty, null, $"{Path} grew past {IOcspResponseSource.MaxResponseLength} bytes", null);
        OcspResponseInfo parsed;
        try { parsed = OcspResponseInfo.Parse(bytes); }
        catch (FormatException e)
        {
            return new Loaded(stamp, ReadOnlyMemory<byte>.Empty, null, $"{Path}: {e.Message}", null);
        }
        if (parsed.StatusCode != 0)
            return new Loaded(stamp, ReadOnlyMemory<byte>.Empty, parsed, $"{Path}: the responder answered {parsed.Status}", null);
        if (parsed.For(_certificate) is not { } single)
            return new Loaded(stamp, ReadOnlyMemory<byte>.Empty, parsed, $"{Path} has no status for serial number {_certificate.SerialNumber}", null);
        return new Loaded(stamp, bytes, parsed, null, single);
    }

    /// <summary>Null when the loaded response may be stapled at <paramref name="now"/>; else why not.</summary>
    private static string? Usable(Loaded loaded, DateTimeOffset now)
    {
        if (loaded.Problem is not null) return loaded.Problem;
        var single = loaded.Single!;
        if (single.CertificateStatus != "good") return $"the certificate's status is {single.CertificateStatus}";
        if (now < single.ThisUpdate) return $"the response is not valid before {single.ThisUpdate:u}";
        if (single.NextUpdate is { } next && now >= next) return $"the response expired at {next:u}; waiting for a new one in the file";
        return null;
    }

    private sealed record Loaded((long, DateTime)? Stamp, ReadOnlyMemory<byte> Response, OcspResponseInfo? Info, string? Problem, OcspSingleResponse? Single);
}

/// <summary>
/// The OCSP response files of a host's bindings (<c>&lt;THUMBPRINT&gt;.ocsp</c> in one folder), one
/// <see cref="OcspResponseFile"/> per certificate for as long as a binding uses it, so that a new binding table
/// neither reads the files again nor reports their state again.
/// </summary>
internal sealed class OcspResponseFiles(string folder, TimeProvider time, Bindings.IBindingDiagnostics? diagnostics)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, (OcspResponseFile File, long Generation)> _files = new(StringComparer.Ordinal);
    private long _generation;

    /// <summary>The folder of the files.</summary>
    public string Folder { get; } = folder;

    /// <summary>The response file for <paramref name="certificate"/> (made, and read, on first use).</summary>
    public OcspResponseFile For(X509Certificate2 certificate)
    {
        lock (_lock)
        {
            string thumbprint = certificate.Thumbprint;
            var file = _files.TryGetValue(thumbprint, out var known) ? known.File
                : new OcspResponseFile(System.IO.Path.Combine(Folder, thumbprint + ".ocsp"), certificate, time, logger: null, diagnostics);
            _files[thumbprint] = (file, _generation);
            return file;
        }
    }

    /// <summary>After a table is built: forgets the files neither this table nor the one before used.</summary>
    public void TableBuilt()
    {
        lock (_lock)
        {
            foreach (var (thumbprint, entry) in _files.ToList())
                if (entry.Generation < _generation - 1) _files.Remove(thumbprint);
            _generation++;
        }
    }
}
