using System.Net.Sockets;

namespace SharpTls.IO;

/// <summary>
/// A <see cref="Stream"/> over a connected socket for servers that keep many idle connections (`sharptls listen`, the
/// bench server): what <see cref="NetworkStream"/> does, for less memory per connection while it waits.
/// <list type="bullet">
/// <item>Writes are tried without waiting first (the socket is non-blocking) and wait through the socket's asynchronous
/// send only for what the kernel did not take at once: a connection whose writes never filled its send buffer never makes
/// the socket's cached send operation (~360 bytes per connection for its life).</item>
/// <item>A cancellable read does not hand its token to the socket (which keeps the last registration, and through it the
/// token's source, referenced from its cached receive operation for as long as the connection lives: the handshake's
/// timeout source, ~190 bytes per idle connection); cancelling it shuts the receive side down, the read then throws
/// <see cref="OperationCanceledException"/>, and sending (an alert, close_notify) still works.</item>
/// </list>
/// Reads wait through the socket's asynchronous receive (a zero-byte read waits for data without a buffer). Transport
/// failures are <see cref="IOException"/>s, except on a read without a cancellation token, which returns the socket's own
/// operation and fails with its <see cref="SocketException"/>.
/// </summary>
internal sealed class SocketStream : Stream
{
    private readonly Socket _socket;

    /// <summary>Takes ownership of <paramref name="socket"/> (disposed with the stream) and makes it non-blocking.</summary>
    public SocketStream(Socket socket)
    {
        _socket = socket;
        socket.Blocking = false;
    }

    /// <summary>The socket.</summary>
    public Socket Socket => _socket;

    public override bool CanRead => true;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled<int>(cancellationToken);
        // Without a token, the socket's own operation is returned (no state machine of ours while an idle connection
        // waits); its failures are then SocketExceptions rather than IOExceptions.
        if (!cancellationToken.CanBeCanceled) return _socket.ReceiveAsync(buffer, SocketFlags.None, CancellationToken.None);
        return ReceiveCancellableAsync(buffer, cancellationToken);
    }

    private async ValueTask<int> ReceiveCancellableAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        int n;
        using (cancellationToken.UnsafeRegister(static s => ((SocketStream)s!).CancelReceive(), this))
        {
            try
            {
                n = await _socket.ReceiveAsync(buffer, SocketFlags.None, CancellationToken.None).ConfigureAwait(false);
            }
            catch (SocketException) when (cancellationToken.IsCancellationRequested)
            {
                throw new OperationCanceledException(cancellationToken);
            }
            catch (SocketException e)
            {
                throw Wrap(e);
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
        return n;
    }

    private void CancelReceive()
    {
        try
        {
            _socket.Shutdown(SocketShutdown.Receive);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException)
        {
            // Already closed: the read ends anyway.
        }
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (cancellationToken.IsCancellationRequested) return ValueTask.FromCanceled(cancellationToken);
        while (!buffer.IsEmpty)
        {
            int sent = _socket.Send(buffer.Span, SocketFlags.None, out var error);
            if (error == SocketError.WouldBlock) return SendRestAsync(buffer, cancellationToken);
            if (error != SocketError.Success) return ValueTask.FromException(Wrap(new SocketException((int)error)));
            buffer = buffer[sent..];
        }
        return ValueTask.CompletedTask;
    }

    private async ValueTask SendRestAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken)
    {
        try
        {
            // The socket's asynchronous send sends all of it, waiting for room as needed.
            await _socket.SendAsync(buffer, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            throw Wrap(e);
        }
    }

    private static IOException Wrap(SocketException e) => new($"Unable to transfer data on the transport connection: {e.Message}.", e);

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        => WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing) _socket.Dispose();
        base.Dispose(disposing);
    }
}
