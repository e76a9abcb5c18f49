using Microsoft.Extensions.Logging;
using SharpTls.Wire;

namespace SharpTls.Diagnostics;

/// <summary>
/// The engine's per-connection events as source-generated logger methods (issue 11, "events must be cheap"): each
/// checks <see cref="ILogger.IsEnabled"/> first, keeps its arguments typed (no boxing, no argument array) and formats
/// nothing unless a provider renders the message.
/// </summary>
internal static partial class TlsLog
{
    [LoggerMessage(EventId = 36880, EventName = "HandshakeCompleted", Level = LogLevel.Information,
        Message = "{Side} handshake completed: {Version} {Suite} {Group} resumed={Resumed} sni={Sni} alpn={Alpn} binding={Binding}")]
    public static partial void HandshakeCompleted(ILogger logger, string side, ProtocolVersion? version, CipherSuite? suite, NamedGroup? group,
        bool resumed, string? sni, string? alpn, string? binding);

    [LoggerMessage(EventId = 36999, EventName = "TruncatedWithoutCloseNotify", Level = LogLevel.Warning,
        Message = "the peer closed the transport without close_notify: the data may be truncated (binding {Binding})")]
    public static partial void TruncatedWithoutCloseNotify(ILogger logger, string? binding);

    /// <summary>A failed handshake (36887, 36888, 36874...: the id is the failure's): the failure is rendered only when logged.</summary>
    public static void Failure(ILogger logger, TlsFailure failure)
    {
        if (logger.IsEnabled(LogLevel.Warning))
            logger.Log(LogLevel.Warning, failure.EventId, new FailureState(failure), null, static (s, _) => s.Failure.ToString());
    }

    // The structured state of a failure event: {Failure}, as the message template "{Failure}" gave it before.
    private readonly struct FailureState(TlsFailure failure) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public TlsFailure Failure { get; } = failure;

        public int Count => 2;

        public KeyValuePair<string, object?> this[int index] => index switch
        {
            0 => new("Failure", Failure),
            1 => new("{OriginalFormat}", "{Failure}"),
            _ => throw new ArgumentOutOfRangeException(nameof(index)),
        };

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
        {
            for (int i = 0; i < Count; i++) yield return this[i];
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Failure.ToString();
    }
}
