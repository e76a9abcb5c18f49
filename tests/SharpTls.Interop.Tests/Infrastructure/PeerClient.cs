namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>A client peer process after its handshake: send lines, wait for replies, close. Base of the openssl and gnutls clients.</summary>
public abstract class PeerClient : IAsyncDisposable
{
    /// <summary>Wraps a started client and its handshake result.</summary>
    protected PeerClient(PeerProcess process, TlsPeerResult handshake)
    {
        Process = process;
        Handshake = handshake;
    }

    /// <summary>The client process (raw output, stdin).</summary>
    public PeerProcess Process { get; }

    /// <summary>The handshake as the client reported it.</summary>
    public TlsPeerResult Handshake { get; }

    /// <summary>Sends a line of application data.</summary>
    public Task SendLineAsync(string line) => Process.WriteLineAsync(line);

    /// <summary>Waits until the data received from the server contains <paramref name="text"/>.</summary>
    public abstract Task WaitForReceivedAsync(string text, TimeSpan? timeout = null);

    /// <summary>Closes stdin (the client closes the connection), waits for the exit and returns the full result.</summary>
    public abstract Task<TlsPeerResult> CloseAsync();

    /// <summary>Connect-send-expect-close in one go, shared by the wrappers' RunAsync.</summary>
    protected static async Task<TlsPeerResult> RunAsync(PeerClient client, string? sendLine, string? expectReceived)
    {
        await using (client)
        {
            if (client.Handshake.HandshakeCompleted)
            {
                if (sendLine is not null)
                    await client.SendLineAsync(sendLine);
                if (expectReceived is not null)
                    await client.WaitForReceivedAsync(expectReceived);
            }
            return await client.CloseAsync();
        }
    }

    /// <summary>Starts a peer and runs <paramref name="ready"/> (a wait); disposes the process if that fails.</summary>
    internal static async Task<PeerProcess> StartAsync(string program, IEnumerable<string> args, PeerProcessOptions options, Func<PeerProcess, Task> ready)
    {
        var process = PeerProcess.Start(program, args, options);
        try
        {
            await ready(process);
            return process;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        GC.SuppressFinalize(this);
        return Process.DisposeAsync();
    }
}
