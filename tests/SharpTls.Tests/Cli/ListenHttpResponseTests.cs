using System.Net;
using System.Net.Sockets;
using System.Text;
using SharpTls.Cli.Commands;
using SharpTls.Tests.Handshake;
using SharpTls.Wire;

namespace SharpTls.Tests.Cli;

/// <summary>
/// `sharptls listen` answers an HTTP request with the whole response in one application-data record (issue 10
/// item 8), as nginx and `openssl s_server -www` do: test tools that read one record and close see all of it.
/// A real loopback socket and our sans-I/O client, which is fed the server's records one at a time.
/// </summary>
public class ListenHttpResponseTests
{
    [Fact]
    public async Task The_response_is_one_record()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
        }
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var listening = ListenCommand.RunAsync(IPAddress.Loopback, port, InMemoryPair.DefaultServer(), echo: false, stop.Token);

        using var client = TlsConnection.CreateClient(InMemoryPair.DefaultClient());
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                await socket.ConnectAsync(IPAddress.Loopback, port, stop.Token);
                break;
            }
            catch (SocketException) when (attempt < 50)
            {
                await Task.Delay(100, stop.Token);
            }
        }
        async Task FlushAsync()
        {
            while (client.PendingOutput.Length > 0)
            {
                byte[] bytes = client.PendingOutput.ToArray();
                await socket.SendAsync(bytes, stop.Token);
                client.ConsumeOutput(bytes.Length);
            }
        }
        var buffer = new byte[65536];
        await FlushAsync();
        while (client.Status == TlsStatus.Handshaking)
        {
            int n = await socket.ReceiveAsync(buffer, stop.Token);
            Assert.True(n > 0, "the server closed during the handshake");
            InMemoryPair.FeedAll(client, buffer.AsSpan(0, n));
            await FlushAsync();
        }
        Assert.Equal(TlsStatus.Connected, client.Status);

        client.WriteApplicationData("GET /report HTTP/1.1\r\nHost: www.contoso.test\r\n\r\n"u8);
        await FlushAsync();
        // Connection: close: everything up to the server's FIN.
        var rest = new List<byte>();
        int read;
        while ((read = await socket.ReceiveAsync(buffer, stop.Token)) > 0) rest.AddRange(buffer.AsSpan(0, read));

        int recordsWithData = 0;
        var data = new List<byte>();
        foreach (var record in WireSurgery.Split([.. rest]))
        {
            InMemoryPair.FeedAll(client, record.Encode());
            if (client.BufferedApplicationData == 0) continue;
            recordsWithData++;
            var chunk = new byte[client.BufferedApplicationData];
            client.ReadApplicationData(chunk);
            data.AddRange(chunk);
        }
        string response = Encoding.UTF8.GetString([.. data]);
        Assert.StartsWith("HTTP/1.1 200 OK\r\n", response);
        int headEnd = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        int length = int.Parse(response[..headEnd].Split("\r\n").Single(l => l.StartsWith("Content-Length: ", StringComparison.Ordinal))[16..]);
        Assert.Equal(length, Encoding.UTF8.GetByteCount(response[(headEnd + 4)..]));
        Assert.Contains("Request: GET /report HTTP/1.1", response);
        Assert.Equal(1, recordsWithData);

        stop.Cancel();
        await listening;
    }
}
