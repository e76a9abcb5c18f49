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
/// <see cref="Problem"/> says why (once, as a warning, when a logger is given). The responder's signature is the
/// client's to verify.
/// </summary>
public sealed class OcspResponseFile : IOcspResponseSource
{
    /// <summary>How often the file is looked at, at most.</summary>
    public static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly X509Certificate2 _certificate;
    private readonly TimeProvider _time;
    private readonly ILogger? _logger;
    private readonly Lock _refreshLock = new();
    private volatile Loaded _loaded = new(null, ReadOnlyMemory<byte>.Empty, null, "not read yet", null);
    private long _lastCheckTicks = long.MinValue;
    private bool _read;

    /// <summary>Watches <paramref name="path"/> for the response for <paramref name="certificate"/>; reads it now.</summary>
    public OcspResponseFile(string path, X509Certificate2 certificate, TimeProvider? time = null, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(certificate);
        Path = System.IO.Path.GetFullPath(path);
        _certificate = certificate;
        _time = time ?? TimeProvider.System;
        _logger = logger;
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

    /// <summary>Looks at the file now and reads it again if its size or time changed; true when the response changed.</summary>
    public bool Refresh()
    {
        lock (_refreshLock)
        {
            Interlocked.Exchange(ref _lastCheckTicks, _time.GetUtcNow().UtcTicks);
            var info = new FileInfo(Path);
            (long, DateTime)? stamp = info.Exists ? (info.Length, info.LastWriteTimeUtc) : null;
            if (_read && stamp == _loaded.Stamp) return false;
            _read = true;
            var fresh = Load(info, stamp);
            _loaded = fresh;
            if (stamp is null)
                _logger?.LogDebug("OCSP stapling for {Subject}: {Path} does not exist; nothing is stapled", _certificate.Subject, Path);
            else if (Usable(fresh, _time.GetUtcNow()) is { } problem)
                _logger?.LogWarning("OCSP stapling for {Subject}: nothing is stapled: {Problem}", _certificate.Subject, problem);
            else
                _logger?.LogInformation("OCSP stapling for {Subject}: {Path} loaded ({Length} bytes)", _certificate.Subject, Path, fresh.Response.Length);
            return true;
        }
    }

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
