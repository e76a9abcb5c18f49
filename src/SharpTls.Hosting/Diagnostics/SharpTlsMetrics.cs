using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace SharpTls.Hosting.Diagnostics;

/// <summary>
/// The <c>SharpTls</c> meter: instruments named like Kestrel's (<c>kestrel.tls_handshake.duration</c>)
/// and tagged with OpenTelemetry's TLS attribute names (<c>tls.protocol.version</c>, <c>tls.cipher</c>,
/// <c>error.type</c>), plus <c>sharptls.binding</c> and <c>sharptls.outcome</c>.
/// <c>dotnet-counters monitor --counters SharpTls -p PID</c> shows them; <c>sharptls serve --metrics</c> exports them to Prometheus.
/// </summary>
public sealed class SharpTlsMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "SharpTls";

    private readonly Meter _meter;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _handshakes;
    private long _activeHandshakes;
    private long _activeConnections;
    private long _completed;
    private long _resumed;

    /// <summary>Creates the instruments through <paramref name="meterFactory"/> (DI), or on a meter of their own.</summary>
    public SharpTlsMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _duration = _meter.CreateHistogram<double>("sharptls.tls_handshake.duration", "s",
            "Duration of TLS handshakes, successful or not.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] });
        _handshakes = _meter.CreateCounter<long>("sharptls.tls_handshakes", "{handshake}",
            "TLS handshakes by protocol, suite, binding, resumption and outcome.");
        // Observed, not added to: a listener that attaches while the host runs (dotnet-counters) reads the number in
        // progress, where an UpDownCounter would give it only the changes since it attached (negative ones too).
        _meter.CreateObservableUpDownCounter("sharptls.active_tls_handshakes", () => Volatile.Read(ref _activeHandshakes), "{handshake}",
            "TLS handshakes in progress.");
        _meter.CreateObservableUpDownCounter("sharptls.active_tls_connections", () => Volatile.Read(ref _activeConnections), "{connection}",
            "TLS connections past their handshake and still open.");
        _meter.CreateObservableGauge("sharptls.tls_resumption.ratio", () => Volatile.Read(ref _completed) == 0 ? 0.0
                : (double)Volatile.Read(ref _resumed) / Volatile.Read(ref _completed), "1",
            "Share of successful handshakes that resumed a session, since start.");
    }

    internal void HandshakeStarted() => Interlocked.Increment(ref _activeHandshakes);

    internal void HandshakeSucceeded(TimeSpan elapsed, TlsConnectionInfo info)
    {
        Interlocked.Decrement(ref _activeHandshakes);
        Interlocked.Increment(ref _completed);
        if (info.Resumed) Interlocked.Increment(ref _resumed);
        var tags = new TagList
        {
            { "tls.protocol.version", Version(info.Version) },
            { "tls.cipher", info.CipherSuite?.ToString() },
            { "sharptls.binding", info.Binding },
            { "tls.resumed", info.Resumed },
            { "sharptls.outcome", "success" },
        };
        _duration.Record(elapsed.TotalSeconds, tags);
        _handshakes.Add(1, tags);
    }

    internal void HandshakeFailed(TimeSpan elapsed, string? binding, string errorType)
    {
        Interlocked.Decrement(ref _activeHandshakes);
        var tags = new TagList
        {
            { "sharptls.binding", binding },
            { "sharptls.outcome", "failure" },
            { "error.type", errorType },
        };
        _duration.Record(elapsed.TotalSeconds, tags);
        _handshakes.Add(1, tags);
    }

    internal void HandshakeRefused()
        => _handshakes.Add(1, new TagList { { "sharptls.outcome", "failure" }, { "error.type", "handshake_limit" } });

    internal void ConnectionOpened() => Interlocked.Increment(ref _activeConnections);

    internal void ConnectionClosed() => Interlocked.Decrement(ref _activeConnections);

    /// <summary>"1.3", "1.2": OpenTelemetry's tls.protocol.version.</summary>
    private static string? Version(Wire.ProtocolVersion? v) => v switch
    {
        Wire.ProtocolVersion.Tls13 => "1.3",
        Wire.ProtocolVersion.Tls12 => "1.2",
        Wire.ProtocolVersion.Tls11 => "1.1",
        Wire.ProtocolVersion.Tls10 => "1.0",
        Wire.ProtocolVersion.Ssl3 => "3.0",
        _ => null,
    };

    /// <inheritdoc />
    public void Dispose() => _meter.Dispose();
}
