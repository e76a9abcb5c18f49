using System.Security.Cryptography.X509Certificates;
using SharpTls.Crypto;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// The recorded RSA key-exchange handshakes of tests/fixtures/replays (issue 9's published-vector check): a real OpenSSL peer
/// against our engine running with injected randomness (<see cref="ScriptedCryptoProvider"/> with a fixed seed: hello
/// random, session id, ticket nonce, CBC IVs, the RSA substitute pre-master; on the client also the pre-master and the
/// PKCS#1 v1.5 padding), a fixed clock, a fixed ticket key and the fixed certificate of tests/fixtures/pki. The live run
/// (tests/SharpTls.Interop.Tests/Tls12/RsaKxRecordingInteropTests.cs, which also writes the fixtures on request) and the
/// replay (tests/SharpTls.Tests/Tls12/RsaKxReplayTests.cs) drive the connection the same way (<see cref="RecordDriver"/>), so the same
/// peer bytes must give the same bytes back. This file is compiled into both test projects.
/// </summary>
internal static class RsaKxRecording
{
    /// <summary>The clock of every recorded run (the ticket's issue time, the ticket key's creation).</summary>
    public static readonly DateTimeOffset Clock = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    /// <summary>What the client sends once connected (s_client sends the line typed into it; our client writes it).</summary>
    public const string Request = "GET /recorded-rsa-kx HTTP/1.0\n";

    /// <summary>What our server answers to <see cref="Request"/> before its close_notify.</summary>
    public const string Reply = "recorded reply from sharptls\n";

    /// <summary>The ticket key (created at <see cref="Clock"/>): protects nothing but these fixtures.</summary>
    private const string TicketKeyId = "5368617270546c73207265706c617921", TicketKey = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

    /// <summary>The recordings: fixture name, the side that is ours, the suite.</summary>
    public static readonly (string Name, bool OurServer, CipherSuite Suite)[] Scenarios =
    [
        ("server-rsa-aes128-cbc-sha", true, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA),
        ("server-rsa-aes128-gcm-sha256", true, CipherSuite.TLS_RSA_WITH_AES_128_GCM_SHA256),
        ("client-rsa-aes128-cbc-sha", false, CipherSuite.TLS_RSA_WITH_AES_128_CBC_SHA),
    ];

    /// <summary>The seed of the injected randomness of one recording.</summary>
    public static ScriptedCryptoProvider Randomness(string name) => new("sharptls recorded rsa-kx " + name);

    /// <summary>tests/fixtures/pki's RSA server certificate (www.contoso.test) with its key.</summary>
    public static X509Certificate2 ServerCertificate(string fixtures)
        => X509Certificate2.CreateFromPemFile(Path.Combine(fixtures, "pki", "server-rsa.crt"), Path.Combine(fixtures, "pki", "server-rsa.key"));

    /// <summary>The server's services and policy: injected randomness, fixed clock and ticket key, RSA certificate, defaults otherwise.</summary>
    public static TlsServerListener Listener(string name, X509Certificate2 certificate)
    {
        var time = new StillTime(Clock);
        var ring = new TicketKeyRing(time);
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, $"{Clock.ToUnixTimeSeconds()} {TicketKeyId} {TicketKey}\n");
            ring.Import(file);
        }
        finally
        {
            File.Delete(file);
        }
        return TlsServerListener.FromOptions(new TlsServerOptions
        {
            Certificates = [new ServerCertificate(certificate)],
            Crypto = Randomness(name),
            Time = time,
            TicketKeys = ring,
            KeyLog = null,
        });
    }

    /// <summary>Our client: TLS 1.2 only, the one RSA key-exchange suite, the fixtures' CA, injected randomness, fixed clock.</summary>
    public static TlsClientOptions ClientOptions(string name, CipherSuite suite, string fixtures) => new()
    {
        TargetHost = "www.contoso.test",
        TrustedRoots = [X509CertificateLoader.LoadCertificateFromFile(Path.Combine(fixtures, "pki", "ca.crt"))],
        Versions = TlsVersions.Tls12,
        CipherSuites = [suite],
        Crypto = Randomness(name),
        Time = new StillTime(Clock),
        KeyLog = null,
    };

    /// <summary>The driver of one side of a recording.</summary>
    public static RecordDriver Driver(TlsConnection connection, bool server) => server
        ? new RecordDriver(connection, reply: received => received == Request ? Reply : null, closeAfterReply: true)
        : new RecordDriver(connection, firstWrite: Request, closeWhen: received => received.EndsWith('\n'));
}

/// <summary>A clock that never moves.</summary>
internal sealed class StillTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

/// <summary>
/// Drives a connection one whole record at a time, whatever chunks the transport delivers, so that a live run and a replay of
/// its bytes make the same calls in the same order: feed a record, answer the host's pauses (policy, session cache), read the
/// application data, then write what the script says (the client's first write once connected, the server's reply once
/// the request is complete) and close when told. Nothing is fed once the connection has closed or failed.
/// </summary>
internal sealed class RecordDriver
{
    private readonly TlsConnection _connection;
    private readonly List<byte> _pending = [];
    private readonly List<byte> _received = [];
    private readonly string? _firstWrite;
    private readonly Func<string, string?>? _reply;
    private readonly bool _closeAfterReply;
    private readonly Func<string, bool>? _closeWhen;
    private bool _wrote;

    public RecordDriver(TlsConnection connection, string? firstWrite = null, Func<string, string?>? reply = null,
        bool closeAfterReply = false, Func<string, bool>? closeWhen = null)
    {
        _connection = connection;
        _firstWrite = firstWrite;
        _reply = reply;
        _closeAfterReply = closeAfterReply;
        _closeWhen = closeWhen;
    }

    /// <summary>The application data received so far, as text.</summary>
    public string Received => System.Text.Encoding.ASCII.GetString([.. _received]);

    /// <summary>Whether the connection is closed or failed (nothing more is fed).</summary>
    public bool Done => _connection.Status is TlsStatus.Closed or TlsStatus.Failed;

    /// <summary>What the connection has to send before any input (a client's ClientHello).</summary>
    public byte[] Start() => Drain();

    /// <summary>Takes bytes from the peer; returns the bytes to send back.</summary>
    public byte[] Take(ReadOnlySpan<byte> bytes)
    {
        _pending.AddRange(bytes);
        var output = new List<byte>();
        while (!Done && _pending.Count >= 5)
        {
            int length = 5 + (_pending[3] << 8 | _pending[4]);
            if (_pending.Count < length) break;
            byte[] record = _pending.GetRange(0, length).ToArray();
            _pending.RemoveRange(0, length);
            FeedRecord(record);
            output.AddRange(Drain());
        }
        return [.. output];
    }

    private void FeedRecord(byte[] record)
    {
        int offset = 0;
        while (offset < record.Length && !Done)
        {
            int n = _connection.Feed(record.AsSpan(offset));
            offset += n;
            if (n > 0) continue;
            if (_connection.Status == TlsStatus.WaitingForHost)
                _connection.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            else if (_connection.BufferedApplicationData > 0)
                ReadApplicationData();
            else if (!Done)
                throw new InvalidOperationException($"the connection took no input ({_connection.Status})");
        }
        while (_connection.Status == TlsStatus.WaitingForHost)
            _connection.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
        ReadApplicationData();
        if (Done || _connection.Status != TlsStatus.Connected) return;
        if (!_wrote && _firstWrite is not null)
        {
            _wrote = true;
            _connection.WriteApplicationData(System.Text.Encoding.ASCII.GetBytes(_firstWrite));
        }
        if (!_wrote && _reply?.Invoke(Received) is { } reply)
        {
            _wrote = true;
            _connection.WriteApplicationData(System.Text.Encoding.ASCII.GetBytes(reply));
            if (_closeAfterReply) _connection.Close();
        }
        if (_closeWhen?.Invoke(Received) == true && !Done) _connection.Close();
    }

    private void ReadApplicationData()
    {
        while (_connection.BufferedApplicationData > 0)
        {
            byte[] chunk = new byte[_connection.BufferedApplicationData];
            int n = _connection.ReadApplicationData(chunk);
            _received.AddRange(chunk.AsSpan(0, n).ToArray());
        }
    }

    private byte[] Drain()
    {
        byte[] bytes = _connection.PendingOutput.ToArray();
        _connection.ConsumeOutput(bytes.Length);
        return bytes;
    }
}
