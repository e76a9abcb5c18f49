using System.Net;
using System.Net.Sockets;
using SharpTls.IO;

namespace SharpTls.Tests.Handshake;

/// <summary>Our server and our client as <see cref="TlsStream"/>s over a real loopback socket, handshake done.</summary>
internal sealed class LoopbackTlsPair : IAsyncDisposable
{
    private readonly TcpClient _clientSocket;
    private readonly TcpClient _serverSocket;

    private LoopbackTlsPair(TcpClient clientSocket, TcpClient serverSocket)
    {
        _clientSocket = clientSocket;
        _serverSocket = serverSocket;
        Server = new TlsStream(serverSocket.GetStream());
        Client = new TlsStream(clientSocket.GetStream());
    }

    public TlsStream Server { get; }

    public TlsStream Client { get; }

    /// <summary>Connects over 127.0.0.1 and runs both handshakes at once.</summary>
    public static async Task<LoopbackTlsPair> ConnectAsync(TlsServerOptions server, TlsClientOptions client, CancellationToken ct)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var clientSocket = new TcpClient();
        await clientSocket.ConnectAsync((IPEndPoint)listener.LocalEndpoint, ct);
        var pair = new LoopbackTlsPair(clientSocket, await listener.AcceptTcpClientAsync(ct));
        await Task.WhenAll(pair.Server.AuthenticateAsServerAsync(server, ct), pair.Client.AuthenticateAsClientAsync(client, ct));
        return pair;
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await Server.DisposeAsync();
        _clientSocket.Dispose();
        _serverSocket.Dispose();
    }
}
