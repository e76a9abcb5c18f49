using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace SharpTls.Hosting.Tests;

/// <summary><c>sharptls serve</c> as a child process, with its output collected.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly System.Text.StringBuilder _output = new();

    private ServeProcess(Process process) => _process = process;

    /// <summary>The server's process id.</summary>
    public int Pid => _process.Id;

    /// <summary>Everything the process wrote so far (stdout and stderr).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    /// <summary>A free TCP port on loopback.</summary>
    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>Starts <c>sharptls serve</c> and waits until <paramref name="port"/> accepts connections.</summary>
    public static async Task<ServeProcess> StartAsync(string dataDirectory, int port, params string[] args)
    {
        var psi = Cli.StartInfo(dataDirectory, ["serve", .. args]);
        var p = new ServeProcess(Process.Start(psi)!);
        p._process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (p._output) p._output.AppendLine(e.Data); };
        p._process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (p._output) p._output.AppendLine(e.Data); };
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        p._process.StandardInput.Close();
        var until = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < until)
        {
            if (p._process.HasExited) throw new Xunit.Sdk.XunitException($"sharptls serve exited with {p._process.ExitCode}:\n{p.Output}");
            if (p.Output.Contains("sharptls serve:"))
            {
                try
                {
                    using var c = new System.Net.Sockets.TcpClient();
                    await c.ConnectAsync(IPAddress.Loopback, port);
                    return p;
                }
                catch (System.Net.Sockets.SocketException) { }
            }
            await Task.Delay(100);
        }
        await p.DisposeAsync();
        throw new Xunit.Sdk.XunitException($"sharptls serve did not listen on {port} within 60 s:\n{p.Output}");
    }

    /// <summary>Waits until the output contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            if (Output.Contains(text)) return;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no '{text}' in the output of sharptls serve:\n{Output}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }
}

/// <summary>An HTTP/1.1 keep-alive connection over .NET's SslStream, for requests before and after a change.</summary>
public sealed class KeptConnection : IDisposable
{
    private readonly TcpClient _tcp;
    private readonly SslStream _tls;
    private readonly string _host;

    private KeptConnection(TcpClient tcp, SslStream tls, string host)
    {
        _tcp = tcp;
        _tls = tls;
        _host = host;
    }

    public static async Task<KeptConnection> OpenAsync(int port, string host, string caFile)
    {
        var (tcp, tls) = await Connect(port, host, X509CertificateLoader.LoadCertificateFromFile(caFile), SslApplicationProtocol.Http11);
        return new KeptConnection(tcp, tls, host);
    }

    /// <summary>
    /// A TLS connection from .NET's SslStream to 127.0.0.1:<paramref name="port"/> with SNI <paramref name="host"/>, trusting only
    /// <paramref name="ca"/>, offering <paramref name="alpn"/>; without <paramref name="allowResume"/>, always a full handshake.
    /// </summary>
    public static async Task<(TcpClient Tcp, SslStream Tls)> Connect(int port, string host, X509Certificate2 ca, SslApplicationProtocol alpn, bool allowResume = true)
    {
        var tcp = new TcpClient();
        try
        {
            await tcp.ConnectAsync("127.0.0.1", port);
            var tls = new SslStream(tcp.GetStream(), false);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
            {
                TargetHost = host,
                AllowTlsResume = allowResume,
                ApplicationProtocols = [alpn],
                CertificateChainPolicy = new X509ChainPolicy { TrustMode = X509ChainTrustMode.CustomRootTrust, CustomTrustStore = { ca }, RevocationMode = X509RevocationMode.NoCheck },
            }, cts.Token);
            return (tcp, tls);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>One GET of the text page; returns the response (Content-Length or chunked).</summary>
    public async Task<string> GetAsync()
    {
        await _tls.WriteAsync(Encoding.ASCII.GetBytes($"GET /?format=text HTTP/1.1\r\nHost: {_host}\r\n\r\n"));
        var received = new List<byte>();
        var buffer = new byte[16384];
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            string text = Encoding.UTF8.GetString([.. received]);
            int end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (end >= 0)
            {
                var length = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
                if (length is null ? text.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal) // chunked: the last chunk came
                    : Encoding.UTF8.GetByteCount(text[(end + 4)..]) >= int.Parse(length[15..].Trim(), System.Globalization.CultureInfo.InvariantCulture))
                    return text;
            }
            int n = await _tls.ReadAsync(buffer, cts.Token);
            Assert.True(n > 0, $"the kept connection was closed: {text}");
            received.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    public void Dispose()
    {
        _tls.Dispose();
        _tcp.Dispose();
    }
}
