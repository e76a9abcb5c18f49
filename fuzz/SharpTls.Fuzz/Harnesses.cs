using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Diagnostics;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Fuzz;

/// <summary>
/// The fuzzing harnesses (issue 10). Each takes one input and checks its invariant: the only exception a peer's bytes
/// may cause is <see cref="TlsProtocolException"/> (codecs), and a connection's <see cref="TlsConnection.Feed"/>
/// never throws, always takes or reports its input, and leaves a well-formed record stream (its flight, or one alert).
/// A violated invariant throws <see cref="InvariantException"/> (AFL++ records the input as a crash). The same
/// functions replay the committed corpus and every crash found in the unit tests.
/// </summary>
internal static class Harnesses
{
    public static readonly IReadOnlyDictionary<string, Action<byte[]>> All = new Dictionary<string, Action<byte[]>>
    {
        ["records"] = Records,
        ["dissect"] = Dissect,
        ["sslv2"] = Sslv2,
        ["server"] = Server,
        ["client"] = Client,
    };

    /// <summary>The record deframer, fed in pieces whose size the first byte chooses.</summary>
    public static void Records(byte[] data)
    {
        if (data.Length == 0) return;
        int piece = 1 + data[0];
        using var deframer = new RecordDeframer { AcceptSslv2ClientHello = (data[0] & 1) == 1 };
        var input = data.AsSpan(1);
        try
        {
            while (!input.IsEmpty)
            {
                int n = deframer.Feed(input[..Math.Min(piece, input.Length)]);
                input = input[n..];
                while (deframer.TryRead(out _)) { }
            }
        }
        catch (TlsProtocolException)
        {
        }
    }

    /// <summary>The dissector (records, every handshake message and extension codec) on a byte stream, both ways.</summary>
    public static void Dissect(byte[] data)
    {
        foreach (var direction in new[] { DissectorDirection.ClientToServer, DissectorDirection.ServerToClient })
        {
            try
            {
                Dissector.DissectStream(data, direction);
            }
            catch (TlsProtocolException)
            {
            }
        }
    }

    /// <summary>The SSLv2-compatible ClientHello parser.</summary>
    public static void Sslv2(byte[] data)
    {
        try
        {
            Sslv2ClientHello.Parse(data);
        }
        catch (TlsProtocolException)
        {
        }
    }

    private static readonly Lazy<TlsServerListener> Listener = new(() =>
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=fuzz.test", key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName("fuzz.test");
        request.CertificateExtensions.Add(san.Build());
        var now = DateTimeOffset.UtcNow;
        var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddYears(1));
        var options = new TlsServerOptions
        {
            Certificates = [new ServerCertificate(certificate)],
            Versions = TlsVersions.Default,
            ApplicationProtocols = ["h2", "http/1.1"],
        };
        return TlsServerListener.FromOptions(options);
    });

    /// <summary>The server's state machine fed a client's byte stream (real ClientHellos in the corpus).</summary>
    public static void Server(byte[] data)
    {
        using var server = TlsConnection.CreateServer(Listener.Value);
        Drive(server, data);
    }

    /// <summary>
    /// The client's state machine after its ClientHello, fed a server's byte stream. The ClientHello is the default
    /// one (X25519MLKEM768 and X25519 shares); only its key shares are made once per process (<see cref="OnceKeyShares"/>):
    /// generating the ML-KEM key pair for every input made this harness ~6x slower than the others.
    /// </summary>
    public static void Client(byte[] data)
    {
        using var client = TlsConnection.CreateClient(new TlsClientOptions
        {
            TargetHost = "fuzz.test",
            SkipCertificateVerification = true,
            Crypto = OnceKeyShares.Instance,
        });
        client.ConsumeOutput(client.PendingOutput.Length);
        Drive(client, data);
    }

    private static void Drive(TlsConnection connection, byte[] data)
    {
        var input = data.AsSpan();
        int idle = 0;
        while (!input.IsEmpty && connection.Status is not (TlsStatus.Failed or TlsStatus.Closed))
        {
            int n = connection.Feed(input);
            if (n < 0 || n > input.Length) throw new InvariantException($"Feed took {n} of {input.Length} bytes");
            input = input[n..];
            CheckOutput(connection);
            if (connection.Status == TlsStatus.WaitingForHost)
                connection.AnswerHostRequestAsync(CancellationToken.None).AsTask().GetAwaiter().GetResult();
            else if (n == 0 && connection.BufferedApplicationData > 0)
                connection.ReadApplicationData(new byte[connection.BufferedApplicationData]);
            else if (n == 0 && ++idle > 3)
                throw new InvariantException($"Feed takes nothing and the connection waits for nothing ({connection.Status})");
        }
        CheckOutput(connection);
    }

    /// <summary>What a connection queued must be a well-formed record stream.</summary>
    private static void CheckOutput(TlsConnection connection)
    {
        var output = connection.PendingOutput.Span;
        int at = 0;
        while (at < output.Length)
        {
            if (output.Length - at < 5) throw new InvariantException("output ends inside a record header");
            if (!RecordLimits.IsKnownContentType(output[at]) || output[at + 1] != 3)
                throw new InvariantException($"output record with type {output[at]} version {output[at + 1]}.{output[at + 2]}");
            int length = output[at + 3] << 8 | output[at + 4];
            if (length > RecordLimits.MaxCiphertextLengthTls12) throw new InvariantException($"output record of {length} bytes");
            at += 5 + length;
        }
        if (at != output.Length) throw new InvariantException("output ends inside a record");
        connection.ConsumeOutput(output.Length);
    }
}

/// <summary>
/// The default provider, except that the key share for each group is generated once and handed to every connection
/// (its Dispose does nothing). What the fuzzer varies is the server's byte stream, which never depends on the client's
/// private keys: a ServerHello's share is still derived against (an X25519MLKEM768 ciphertext still decapsulated),
/// and a HelloRetryRequest's group still gets a share.
/// </summary>
internal sealed class OnceKeyShares : Crypto.DefaultCryptoProvider
{
    public static readonly OnceKeyShares Instance = new();

    private readonly System.Collections.Concurrent.ConcurrentDictionary<NamedGroup, Crypto.IKeyShare> _shares = new();

    public override Crypto.IKeyShare GenerateKeyShare(NamedGroup group)
        => _shares.GetOrAdd(group, g => new Kept(base.GenerateKeyShare(g)));

    private sealed class Kept(Crypto.IKeyShare share) : Crypto.IKeyShare
    {
        public NamedGroup Group => share.Group;
        public ReadOnlyMemory<byte> PublicKey => share.PublicKey;
        public byte[] DeriveSecret(ReadOnlySpan<byte> peerShare) => share.DeriveSecret(peerShare);
        public void Dispose() { }
    }
}

/// <summary>A harness invariant did not hold.</summary>
internal sealed class InvariantException(string message) : Exception(message);
