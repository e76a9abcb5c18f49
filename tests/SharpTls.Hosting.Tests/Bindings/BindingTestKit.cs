using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.IO;

namespace SharpTls.Hosting.Tests.Bindings;

/// <summary>What the binding table reported, for assertions.</summary>
internal sealed class RecordingDiagnostics : IBindingDiagnostics
{
    public ConcurrentQueue<string> Events { get; } = new();
    public void NoBinding(IPEndPoint local, string? serverName, IPEndPoint? remote) => Events.Enqueue($"NoBinding {local} {serverName ?? "(no SNI)"}");
    public void CredentialUnusable(SslBinding binding, X509Certificate2? certificate, string reason) => Events.Enqueue($"36871 {binding.Key} {reason}");
    public void BindingNotServed(SslBinding binding, string reason) => Events.Enqueue($"NotServed {binding.Key} {reason}");
    public void BindingsFileInvalid(string path, string error) => Events.Enqueue($"FileInvalid {error}");
    public void CentralStoreFileInvalid(string path, string error) => Events.Enqueue($"CcsInvalid {Path.GetFileName(path)} {error}");
    public void TableChanged(BindingTable table) => Events.Enqueue($"Table {table.Version}");
    public void OcspResponseChanged(string path, X509Certificate2 certificate, string? problem) => Events.Enqueue($"Ocsp {Path.GetFileName(path)} {problem ?? "stapled"}");
}

/// <summary>A clock the test moves.</summary>
internal sealed class TestClock(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>The system clock with timers the test fires itself (in the order it chooses), and sees armed.</summary>
internal sealed class ManualTimers : TimeProvider
{
    public List<ManualTimer> Timers { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var t = new ManualTimer(callback, state, dueTime, period);
        lock (Timers) Timers.Add(t);
        return t;
    }

    internal sealed class ManualTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) : ITimer
    {
        public TimeSpan Due { get; private set; } = dueTime;
        public TimeSpan Period { get; private set; } = period;
        public bool Armed => Due != Timeout.InfiniteTimeSpan;

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime;
            Period = period;
            return true;
        }

        /// <summary>Runs the callback as the timer would (a one-shot timer is disarmed first).</summary>
        public void Fire()
        {
            if (Period == Timeout.InfiniteTimeSpan) Due = Timeout.InfiniteTimeSpan;
            callback(state);
        }

        public void Dispose() => Due = Timeout.InfiniteTimeSpan;

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}

internal static class TestCertificates
{
    private static readonly Lazy<X509Certificate2> Ca = new(() => CertificateFactory.CreateAuthority("SharpTls Binding Tests CA"));

    public static X509Certificate2 Authority => Ca.Value;

    /// <summary>A new certificate for <paramref name="name"/>, added to CurrentUser\MY (the test HOME's); returns its thumbprint.</summary>
    public static string InStore(string name, CertificateKeyKind key = CertificateKeyKind.Ecdsa)
    {
        using var c = CertificateFactory.CreateServer([name], Authority, key);
        return new StoreCertificateSource().Add(c);
    }

    public static byte[] Pfx(string name, string? password)
    {
        using var c = CertificateFactory.CreateServer([name], Authority);
        return c.Export(X509ContentType.Pkcs12, password);
    }
}

/// <summary>
/// A TLS server on 127.0.0.1 whose listener chooses the policy with a <see cref="BindingHost"/>: each connection
/// answers every line it reads with "binding=KEY cert=THUMBPRINT".
/// </summary>
internal sealed class BindingTestServer : IAsyncDisposable
{
    private readonly TcpListener _tcp = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;

    public BindingTestServer(Func<ClientHelloInfo, CancellationToken, ValueTask<TlsServerPolicy?>> select)
    {
        Listener = new TlsServerListener { SelectPolicy = select, HandshakeTimeout = TimeSpan.FromSeconds(10) };
        _tcp.Start();
        _accept = AcceptAsync();
    }

    public TlsServerListener Listener { get; }
    public int Port => ((IPEndPoint)_tcp.LocalEndpoint).Port;
    public ConcurrentQueue<string> Failures { get; } = new();

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try { socket = await _tcp.AcceptSocketAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            _ = ServeAsync(socket);
        }
    }

    private async Task ServeAsync(Socket socket)
    {
        await using var tls = new TlsStream(new NetworkStream(socket, ownsSocket: true))
        {
            LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!,
            RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!,
        };
        try
        {
            await tls.AuthenticateAsServerAsync(Listener, _stop.Token);
            var reader = new StreamReader(tls, Encoding.ASCII, false, 256, leaveOpen: true);
            while (await reader.ReadLineAsync(_stop.Token) is { } line)
            {
                string answer = $"binding={tls.Info.Binding} cert={tls.Info.LocalCertificate?.Thumbprint} line={line} peer={tls.Info.PeerCertificates.FirstOrDefault()?.Subject.Replace(' ', '_')}\n";
                await tls.WriteAsync(Encoding.ASCII.GetBytes(answer), _stop.Token);
            }
        }
        catch (Exception e) when (!_stop.IsCancellationRequested)
        {
            Failures.Enqueue(e.Message);
        }
        catch (Exception) { }
    }

    /// <summary>Connects with SNI <paramref name="serverName"/> (null: none) and handshakes.</summary>
    public Task<(TlsStream Stream, StreamReader Reader)> ConnectAsync(string? serverName, CancellationToken cancellationToken = default)
        => ConnectAsync(new TlsClientOptions { TargetHost = serverName, SkipCertificateVerification = true }, cancellationToken);

    /// <summary>Connects with these client options and handshakes.</summary>
    public async Task<(TlsStream Stream, StreamReader Reader)> ConnectAsync(TlsClientOptions options, CancellationToken cancellationToken = default)
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
        var tls = new TlsStream(client.GetStream());
        try
        {
            await tls.AuthenticateAsClientAsync(options, cancellationToken);
        }
        catch
        {
            await tls.DisposeAsync();
            client.Dispose();
            throw;
        }
        return (tls, new StreamReader(tls, Encoding.ASCII, false, 256, leaveOpen: true));
    }

    /// <summary>One line sent, one answer read.</summary>
    public static async Task<string> AskAsync((TlsStream Stream, StreamReader Reader) c, string line, CancellationToken cancellationToken = default)
    {
        await c.Stream.WriteAsync(Encoding.ASCII.GetBytes(line + "\n"), cancellationToken);
        return await c.Reader.ReadLineAsync(cancellationToken) ?? throw new IOException("the server closed the connection");
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _tcp.Stop();
        try { await _accept; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
