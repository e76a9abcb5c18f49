using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using SharpTls.Wire;

namespace SharpTls.Interop.Tests.Infrastructure;

/// <summary>Shared helpers for the in-process .NET SslStream peers.</summary>
public static partial class DotNetSslStream
{
    /// <summary>The wire version of an <see cref="SslProtocols"/> value.</summary>
    public static ProtocolVersion? Version(SslProtocols p) => p switch
    {
#pragma warning disable SYSLIB0039, CS0618 // old versions are named on purpose
        SslProtocols.Tls13 => ProtocolVersion.Tls13,
        SslProtocols.Tls12 => ProtocolVersion.Tls12,
        SslProtocols.Tls11 => ProtocolVersion.Tls11,
        SslProtocols.Tls => ProtocolVersion.Tls10,
        SslProtocols.Ssl3 => ProtocolVersion.Ssl3,
#pragma warning restore SYSLIB0039, CS0618
        _ => null,
    };

    /// <summary>Client options that trust only the test root (X509ChainPolicy.CustomTrustStore) and check <paramref name="targetHost"/>.</summary>
    public static SslClientAuthenticationOptions ClientOptions(string targetHost = "localhost", IReadOnlyList<string>? alpn = null,
        TestCertificate? clientCertificate = null, SslProtocols protocols = SslProtocols.None)
    {
        var options = new SslClientAuthenticationOptions
        {
            TargetHost = targetHost,
            CertificateChainPolicy = TestPki.Shared.TrustRootPolicy(),
            EnabledSslProtocols = protocols,
            ApplicationProtocols = alpn?.Select(a => new SslApplicationProtocol(a)).ToList(),
        };
        if (clientCertificate is not null)
            options.ClientCertificateContext = SslStreamCertificateContext.Create(clientCertificate.Certificate, clientCertificate.Chain, offline: true);
        return options;
    }

    /// <summary>Server options serving <paramref name="certificate"/> (default ECDSA) with its chain; client certificates checked against the test root.</summary>
    public static SslServerAuthenticationOptions ServerOptions(TestCertificate? certificate = null, IReadOnlyList<string>? alpn = null,
        PeerClientAuth clientCertificate = PeerClientAuth.None, SslProtocols protocols = SslProtocols.None)
    {
        var cert = certificate ?? TestPki.Shared.ServerEcdsa;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = SslStreamCertificateContext.Create(cert.Certificate, cert.Chain, offline: true),
            ApplicationProtocols = alpn?.Select(a => new SslApplicationProtocol(a)).ToList(),
            EnabledSslProtocols = protocols,
            ClientCertificateRequired = clientCertificate != PeerClientAuth.None,
            CertificateChainPolicy = clientCertificate != PeerClientAuth.None ? TestPki.Shared.TrustRootPolicy() : null,
            RemoteCertificateValidationCallback = clientCertificate switch
            {
                PeerClientAuth.None => null,
                PeerClientAuth.Request => (_, c, _, errors) => c is null || errors == SslPolicyErrors.None,
                _ => (_, c, _, errors) => c is not null && errors == SslPolicyErrors.None,
            },
        };
    }

    internal static TlsPeerResult Completed(string peer, SslStream s, string? verificationError) => new()
    {
        Peer = peer,
        HandshakeCompleted = true,
        Version = Version(s.SslProtocol),
        Cipher = s.NegotiatedCipherSuite.ToString(),
        Alpn = s.NegotiatedApplicationProtocol == default ? null : s.NegotiatedApplicationProtocol.ToString(),
        Verified = s.RemoteCertificate is null ? null : verificationError is null,
        VerificationError = verificationError,
        PeerCertificateSubject = s.RemoteCertificate?.Subject,
        ServerName = s.TargetHostName is { Length: > 0 } n ? n : null,
        Output = $"{peer}: {s.SslProtocol} {s.NegotiatedCipherSuite}",
    };

    internal static TlsPeerResult Failed(string peer, Exception e, string? verificationError)
    {
        string all = e.ToString();
        var alert = AlertText().Match(all);
        return new TlsPeerResult
        {
            Peer = peer,
            HandshakeCompleted = false,
            Verified = verificationError is null ? null : false,
            VerificationError = verificationError,
            Alert = alert.Success ? TlsNames.ParseAlert(alert.Groups[1].Value) : null,
            AlertText = alert.Success ? alert.Value : null,
            Error = e.GetBaseException().Message,
            Output = all,
        };
    }

    internal static string? Describe(SslPolicyErrors errors, X509Chain? chain) =>
        errors == SslPolicyErrors.None ? null
            : errors + (chain is null ? "" : ": " + string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim())));

    [GeneratedRegex(@"(?:sslv3|tlsv1|tlsv13) alert ([a-z ]+)")]
    private static partial Regex AlertText();
}

/// <summary>An in-process .NET SslStream client connection (TcpClient + SslStream).</summary>
public sealed class DotNetSslStreamClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly StringBuilder _received = new();

    private DotNetSslStreamClient(TcpClient tcp, SslStream stream, TlsPeerResult handshake)
    {
        _tcp = tcp;
        Stream = stream;
        Handshake = handshake;
    }

    /// <summary>The authenticated stream (after a failed handshake it is unusable).</summary>
    public SslStream Stream { get; }

    /// <summary>The handshake outcome.</summary>
    public TlsPeerResult Handshake { get; }

    /// <summary>Connects and authenticates; never throws for a handshake failure (see <see cref="Handshake"/>).</summary>
    public static async Task<DotNetSslStreamClient> ConnectAsync(int port, SslClientAuthenticationOptions? options = null, string host = Ports.Loopback)
    {
        options ??= DotNetSslStream.ClientOptions();
        var tcp = new TcpClient();
        using var cts = new CancellationTokenSource(PeerTimeouts.Wait);
        await tcp.ConnectAsync(IPAddress.Parse(host), port, cts.Token);
        string? verifyError = null;
        var inner = options.RemoteCertificateValidationCallback;
        options.RemoteCertificateValidationCallback = (sender, cert, chain, errors) =>
        {
            verifyError = DotNetSslStream.Describe(errors, chain);
            return inner?.Invoke(sender, cert, chain, errors) ?? errors == SslPolicyErrors.None;
        };
        var ssl = new SslStream(tcp.GetStream(), leaveInnerStreamOpen: false);
        try
        {
            await ssl.AuthenticateAsClientAsync(options, cts.Token);
            return new DotNetSslStreamClient(tcp, ssl, DotNetSslStream.Completed("SslStream client", ssl, verifyError));
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            return new DotNetSslStreamClient(tcp, ssl, DotNetSslStream.Failed("SslStream client", e, verifyError));
        }
        finally
        {
            options.RemoteCertificateValidationCallback = inner;
        }
    }

    /// <summary>Sends a line (UTF-8, '\n').</summary>
    public async Task SendLineAsync(string line)
    {
        await Stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"));
        await Stream.FlushAsync();
    }

    /// <summary>Reads until the received data contains <paramref name="text"/>; returns everything received so far.</summary>
    public async Task<string> WaitForReceivedAsync(string text, TimeSpan? timeout = null)
    {
        await StreamText.ReadUntilAsync(Stream, _received, text, "SslStream client", timeout);
        return _received.ToString();
    }

    /// <summary>Sends close_notify and closes; returns the handshake result with the data received.</summary>
    public async Task<TlsPeerResult> CloseAsync()
    {
        if (Handshake.HandshakeCompleted)
        {
            try
            {
                await Stream.ShutdownAsync();
            }
            catch (IOException)
            {
            }
        }
        await DisposeAsync();
        return Handshake with { ReceivedData = _received.ToString() };
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await Stream.DisposeAsync();
        _tcp.Dispose();
    }
}

/// <summary>
/// A TCP listener on 127.0.0.1 that hands each accepted connection to a callback. The callback authenticates with
/// any in-process TLS server (SslStream, SharpTls's TlsStream), reports what it saw through the given action once the
/// handshake is over, then may keep serving. Tests wait for those reports with <see cref="WaitForConnectionAsync"/>.
/// </summary>
public sealed class LoopbackServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<NetworkStream, Action<TlsPeerResult>, CancellationToken, Task> _serve;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<TaskCompletionSource<TlsPeerResult>> _connections = [];
    private readonly Task _acceptLoop;

    private LoopbackServer(Func<NetworkStream, Action<TlsPeerResult>, CancellationToken, Task> serve)
    {
        _serve = serve;
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _acceptLoop = AcceptLoopAsync();
    }

    /// <summary>Listening port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>
    /// Starts listening. <paramref name="serve"/> gets the raw stream, a report action (call it once, after the handshake
    /// or its failure) and a token cancelled on dispose or after <see cref="PeerTimeouts.Hard"/>.
    /// </summary>
    public static LoopbackServer Start(Func<NetworkStream, Action<TlsPeerResult>, CancellationToken, Task> serve) => new(serve);

    private TaskCompletionSource<TlsPeerResult> Slot(int index)
    {
        lock (_connections)
        {
            while (_connections.Count <= index)
                _connections.Add(new TaskCompletionSource<TlsPeerResult>(TaskCreationOptions.RunContinuationsAsynchronously));
            return _connections[index];
        }
    }

    /// <summary>Waits for connection <paramref name="number"/>'s (1-based) report.</summary>
    public async Task<TlsPeerResult> WaitForConnectionAsync(int number = 1, TimeSpan? timeout = null)
    {
        try
        {
            return await Slot(number - 1).Task.WaitAsync(timeout ?? PeerTimeouts.Wait);
        }
        catch (TimeoutException)
        {
            throw new PeerException($"loopback server on port {Port}: no report for connection #{number} within the timeout");
        }
    }

    private async Task AcceptLoopAsync()
    {
        for (int index = 0; !_stop.IsCancellationRequested; index++)
        {
            TcpClient tcp;
            try
            {
                tcp = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }
            _ = ServeAsync(tcp, Slot(index));
        }
    }

    private async Task ServeAsync(TcpClient tcp, TaskCompletionSource<TlsPeerResult> slot)
    {
        using (tcp)
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            cts.CancelAfter(PeerTimeouts.Hard);
            try
            {
                await _serve(tcp.GetStream(), r => slot.TrySetResult(r), cts.Token);
            }
            catch (Exception e)
            {
                slot.TrySetResult(new TlsPeerResult { Peer = "loopback server", Error = e.Message, Output = e.ToString() });
            }
            slot.TrySetResult(new TlsPeerResult { Peer = "loopback server", Error = "the server callback returned without a report" });
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        await _acceptLoop;
        _stop.Dispose();
    }
}

/// <summary>
/// An in-process .NET SslStream server on 127.0.0.1: authenticates each connection with the given options,
/// records what it saw, then runs a handler (default: echo everything until the client closes).
/// </summary>
public sealed class DotNetSslStreamServer : IAsyncDisposable
{
    private readonly LoopbackServer _server;
    private readonly SslServerAuthenticationOptions _options;
    private readonly Func<SslStream, CancellationToken, Task> _handler;

    private DotNetSslStreamServer(SslServerAuthenticationOptions options, Func<SslStream, CancellationToken, Task>? handler)
    {
        _options = options;
        _handler = handler ?? EchoAsync;
        _server = LoopbackServer.Start(ServeAsync);
    }

    /// <summary>Listening port.</summary>
    public int Port => _server.Port;

    /// <summary>Starts listening. Options default to <see cref="DotNetSslStream.ServerOptions"/>().</summary>
    public static DotNetSslStreamServer Start(SslServerAuthenticationOptions? options = null, Func<SslStream, CancellationToken, Task>? handler = null) =>
        new(options ?? DotNetSslStream.ServerOptions(), handler);

    /// <summary>Waits for connection <paramref name="number"/> (1-based) to finish its handshake (or fail) and returns what the server saw.</summary>
    public Task<TlsPeerResult> WaitForConnectionAsync(int number = 1, TimeSpan? timeout = null) => _server.WaitForConnectionAsync(number, timeout);

    private async Task ServeAsync(NetworkStream tcp, Action<TlsPeerResult> report, CancellationToken token)
    {
        await using var ssl = new SslStream(tcp, leaveInnerStreamOpen: false);
        string? verifyError = null;
        var options = CopyWithCapture(e => verifyError = e);
        try
        {
            await ssl.AuthenticateAsServerAsync(options, token);
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            report(DotNetSslStream.Failed("SslStream server", e, verifyError));
            return;
        }
        report(DotNetSslStream.Completed("SslStream server", ssl, verifyError));
        try
        {
            await _handler(ssl, token);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
        }
    }
    private SslServerAuthenticationOptions CopyWithCapture(Action<string?> capture)
    {
        var inner = _options.RemoteCertificateValidationCallback;
        return new SslServerAuthenticationOptions
        {
            ServerCertificateContext = _options.ServerCertificateContext,
            ServerCertificate = _options.ServerCertificate,
            ServerCertificateSelectionCallback = _options.ServerCertificateSelectionCallback,
            ApplicationProtocols = _options.ApplicationProtocols,
            EnabledSslProtocols = _options.EnabledSslProtocols,
            ClientCertificateRequired = _options.ClientCertificateRequired,
            CertificateChainPolicy = _options.CertificateChainPolicy,
            CipherSuitesPolicy = _options.CipherSuitesPolicy,
            AllowRenegotiation = _options.AllowRenegotiation,
            AllowTlsResume = _options.AllowTlsResume,
            EncryptionPolicy = _options.EncryptionPolicy,
            RemoteCertificateValidationCallback = (sender, cert, chain, errors) =>
            {
                capture(cert is null ? null : DotNetSslStream.Describe(errors, chain));
                return inner?.Invoke(sender, cert, chain, errors)
                    ?? (cert is null ? !_options.ClientCertificateRequired : errors == SslPolicyErrors.None);
            },
        };
    }

    private static async Task EchoAsync(SslStream ssl, CancellationToken token)
    {
        var buffer = new byte[16384];
        int n;
        while ((n = await ssl.ReadAsync(buffer, token)) > 0)
            await ssl.WriteAsync(buffer.AsMemory(0, n), token);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
