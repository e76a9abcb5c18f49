using System.Text;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Reading text from an in-process TLS stream (SslStream, SharpTls's TlsStream) until something arrives.</summary>
public static class StreamText
{
    /// <summary>
    /// Reads from <paramref name="stream"/> into <paramref name="received"/> until it contains <paramref name="text"/>.
    /// Throws <see cref="PeerException"/> (naming <paramref name="who"/> and what arrived) on timeout or end of stream.
    /// </summary>
    public static async Task ReadUntilAsync(Stream stream, StringBuilder received, string text, string who, TimeSpan? timeout = null, Func<string>? describe = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? PeerTimeouts.Wait);
        var buffer = new byte[16384];
        while (!received.ToString().Contains(text, StringComparison.Ordinal))
        {
            int n;
            try
            {
                n = await stream.ReadAsync(buffer, cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new PeerException($"{who}: did not receive '{text}' within the timeout; received: {received}{describe?.Invoke()}");
            }
            if (n == 0)
                throw new PeerException($"{who}: connection closed before '{text}'; received: {received}{describe?.Invoke()}");
            received.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
    }
}
