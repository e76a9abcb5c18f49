using System.Security.Cryptography;
using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.KeySchedule;
using SharpTls.Sessions;
using SharpTls.Tests.Crypto;
using SharpTls.Wire;
using static SharpTls.Tests.Rfc8448.Rfc8448Replay;
using C = SharpTls.Tests.Rfc8448.Rfc8448Vectors.ClientAuth;
using R = SharpTls.Tests.Rfc8448.Rfc8448Vectors.Resumed;
using S = SharpTls.Tests.Rfc8448.Rfc8448Vectors.Simple;
using Y = SharpTls.Tests.Rfc8448.Rfc8448Vectors.Retry;

namespace SharpTls.Tests.Rfc8448;

/// <summary>
/// Our client replays the RFC 8448 client: the trace's private keys and randoms are injected, the
/// recorded ClientHello is substituted after checking what the engine derived (see
/// <see cref="Rfc8448Replay.ReplayClientHello"/>), the trace's server records are fed in, and every
/// record the client then emits must equal the trace's byte for byte.
/// </summary>
public class Rfc8448ClientTests
{
    private static readonly DateTimeOffset T0 = new(2018, 6, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Payload = [.. Enumerable.Range(0, 50).Select(i => (byte)i)];

    private static void Connected(TlsConnection connection)
        => Assert.True(connection.Status == TlsStatus.Connected, $"{connection.Status}: {connection.Failure}");

    [Fact]
    public void Section3_simple_1rtt_every_client_record_is_the_rfcs()
    {
        var log = new SecretLog();
        var store = new ClientSessionStore();
        var time = new ManualTime(T0);
        using var client = Section3Client(time, log, store);

        Connected(client);
        Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, client.Info.CipherSuite);
        Assert.Equal(NamedGroup.X25519, client.Info.Group);
        Assert.Equal(SignatureScheme.RsaPssRsaeSha256, client.Info.SignatureScheme); // the RFC's signature verified
        Assert.Equal(S.ClientHandshakeTrafficSecret, log[KeyLogLabels.ClientHandshakeTrafficSecret]);
        Assert.Equal(S.ServerHandshakeTrafficSecret, log[KeyLogLabels.ServerHandshakeTrafficSecret]);
        Assert.Equal(S.ClientApplicationTrafficSecret, log[KeyLogLabels.ClientTrafficSecret0]);
        Assert.Equal(S.ServerApplicationTrafficSecret, log[KeyLogLabels.ServerTrafficSecret0]);
        Assert.Equal(S.ExporterMasterSecret, log[KeyLogLabels.ExporterSecret]);

        // The NewSessionTicket record: the ticket kept, with the PSK of nonce 00 00.
        var ticket = store.Take("server", time.Now);
        Assert.NotNull(ticket);
        Same(S.ResumptionPsk, ticket.Psk);
        Assert.Equal(0xfad6aac5u, ticket.AgeAdd);
        Assert.Equal(30u, ticket.LifetimeSeconds);
        Assert.Equal(178, ticket.Ticket.Length);
        Same(Hex.Parse(S.NewSessionTicket)[17..195], ticket.Ticket);

        DataThenClose(client, S.ClientApplicationDataRecord, S.ServerApplicationDataRecord, S.ClientAlertRecord, S.ServerAlertRecord);
    }

    /// <summary>The trace's tail: 50 bytes (00..31) each way, then close_notify from the client, then from the server.</summary>
    private static void DataThenClose(TlsConnection client, string clientData, string serverData, string clientAlert, string serverAlert)
    {
        client.WriteApplicationData(Payload);
        Same(clientData, Drain(client));
        client.Feed(H(serverData));
        byte[] read = new byte[64];
        Assert.Equal(50, client.ReadApplicationData(read));
        Same(Payload, read[..50]);
        client.Close();
        Same(clientAlert, Drain(client));
        client.Feed(H(serverAlert));
        Assert.Equal(TlsStatus.Closed, client.Status);
    }

    /// <summary>Runs §3 up to and including the NewSessionTicket record; asserts the ClientHello, silence after ServerHello, and the client Finished record.</summary>
    private static TlsConnection Section3Client(ManualTime time, SecretLog log, ClientSessionStore store)
    {
        var provider = Provider("rfc8448 section 3 client", S.ClientPrivateKey, S.ClientRandom, Unused32);
        provider.ClientHelloReplay = ReplayClientHello(provider, H(S.ClientHello));
        var options = ClientOptions(provider, time, log);
        options.SessionStore = store;
        var client = TlsConnection.CreateClient(options);
        Same(HandshakeRecord(0x0301, S.ClientHello), Drain(client));

        client.Feed(HandshakeRecord(0x0303, S.ServerHello));
        Assert.Empty(Drain(client));
        client.Feed(H(S.ServerFlightRecord));
        Connected(client);
        Same(S.ClientFinishedRecord, Drain(client)); // no ChangeCipherSpec: the hello's session id is empty
        Assert.Equal(0, provider.Remaining);

        client.Feed(H(S.NewSessionTicketRecord));
        Assert.Empty(Drain(client));
        Connected(client);
        return client;
    }

    [Fact]
    public void Section4_resumed_client_hello_with_binder_and_the_1rtt_records_after_it()
    {
        var store = new ClientSessionStore();
        var time = new ManualTime(T0);
        using (Section3Client(time, new SecretLog(), store)) { }

        // The trace resumes 6 ms after the ticket arrived: obfuscated_ticket_age fad6aacb = fad6aac5 + 6.
        time.Now = T0.AddMilliseconds(6);
        var log = new SecretLog();
        var provider = Provider("rfc8448 section 4 client", R.ClientPrivateKey, R.ClientRandom, Unused32);
        provider.ClientHelloReplay = ReplayClientHello(provider, H(R.ClientHello));
        var options = ClientOptions(provider, time, log);
        options.SessionStore = store;
        using var client = TlsConnection.CreateClient(options);

        // The ClientHello, whose pre_shared_key (ticket, obfuscated age, binder) is the engine's.
        Same(HandshakeRecord(0x0301, R.ClientHello), Drain(client));

        // (The trace's client sends 0-RTT data here; this engine sends no early data.)
        client.Feed(HandshakeRecord(0x0303, R.ServerHello));
        Assert.Empty(Drain(client));
        client.Feed(H(R.ServerFlightRecord));
        Connected(client);
        Assert.True(client.Info.Resumed);
        Assert.Equal(R.ClientHandshakeTrafficSecret, log[KeyLogLabels.ClientHandshakeTrafficSecret]);
        Assert.Equal(R.ServerHandshakeTrafficSecret, log[KeyLogLabels.ServerHandshakeTrafficSecret]);
        Assert.Equal(R.ClientApplicationTrafficSecret, log[KeyLogLabels.ClientTrafficSecret0]);
        Assert.Equal(R.ServerApplicationTrafficSecret, log[KeyLogLabels.ServerTrafficSecret0]);

        // Our Finished differs from the trace's only because the trace's transcript has EndOfEarlyData:
        // it opens under the trace's client handshake key and holds HMAC(finished_key, Hash(CH..server Finished)).
        byte[] finishedRecord = Drain(client);
        Assert.Equal(Hex.Parse(R.ClientFinishedRecord).Length, finishedRecord.Length);
        var (content, type) = TraceRecords.Open(R.ClientHandshakeKey, R.ClientHandshakeIv, 0, finishedRecord);
        Assert.Equal(ContentType.Handshake, type);
        byte[] throughServerFinished = [.. H(R.ClientHello), .. H(R.ServerHello), .. H(R.EncryptedExtensions), .. H(R.ServerFinished)];
        byte[] secret = H(R.ClientHandshakeTrafficSecret);
        Same([0x14, 0, 0, 0x20, .. Tls13KeySchedule.FinishedVerifyData(HashAlgorithmName.SHA256, secret, SHA256.HashData(throughServerFinished))], content);
        Same(R.ClientFinished[8..], Tls13KeySchedule.FinishedVerifyData(HashAlgorithmName.SHA256, secret,
            SHA256.HashData([.. throughServerFinished, .. H(R.EndOfEarlyData)])));

        // The application records do not depend on that: byte for byte the trace's.
        DataThenClose(client, R.ClientApplicationDataRecord, R.ServerApplicationDataRecord, R.ClientAlertRecord, R.ServerAlertRecord);
    }

    [Fact]
    public void Section5_hello_retry_request_second_client_hello_and_finished_are_the_rfcs()
    {
        var log = new SecretLog();
        var provider = Provider("rfc8448 section 5 client", Y.ClientX25519PrivateKey, Y.ClientRandom, Unused32, Y.ClientP256PrivateKey);
        provider.ClientHelloReplay = ReplayClientHello(provider, H(Y.ClientHello1Record)[5..], H(Y.ClientHello2Record)[5..]);
        var options = ClientOptions(provider, new ManualTime(T0), log);
        options.Groups = [NamedGroup.X25519, NamedGroup.Secp256r1, NamedGroup.Secp384r1];
        using var client = TlsConnection.CreateClient(options);
        Same(Y.ClientHello1Record, Drain(client));

        // HelloRetryRequest for secp256r1 with a cookie: the second ClientHello (P-256 share, cookie), no ChangeCipherSpec.
        client.Feed(H(Y.HelloRetryRequestRecord));
        Same(Y.ClientHello2Record, Drain(client));
        Assert.True(client.Info.HelloRetryRequested);

        client.Feed(H(Y.ServerHelloRecord));
        Assert.Empty(Drain(client));
        client.Feed(H(Y.ServerFlightRecord));
        Connected(client);
        Assert.Equal(NamedGroup.Secp256r1, client.Info.Group);
        Same(Y.ClientFinishedRecord, Drain(client));
        Assert.Equal(Y.ClientHandshakeTrafficSecret, log[KeyLogLabels.ClientHandshakeTrafficSecret]);
        Assert.Equal(Y.ServerHandshakeTrafficSecret, log[KeyLogLabels.ServerHandshakeTrafficSecret]);
        Assert.Equal(0, provider.Remaining);
    }

    [Fact]
    public void Section6_client_authentication_certificate_verify_and_finished_record_is_the_rfcs()
    {
        var log = new SecretLog();
        var signed = new List<byte[]>();
        var provider = Provider("rfc8448 section 6 client", C.ClientPrivateKey, C.ClientRandom, Unused32);
        provider.ClientHelloReplay = ReplayClientHello(provider, H(C.ClientHello));
        provider.Signer = RecordedSigner(C.ClientCertificateVerify, signed);
        var options = ClientOptions(provider, new ManualTime(T0), log);
        options.ClientCertificate = new ServerCertificate(ClientCertificateWithUnusableKey());
        using var client = TlsConnection.CreateClient(options);
        Same(HandshakeRecord(0x0301, C.ClientHello), Drain(client));

        client.Feed(HandshakeRecord(0x0303, C.ServerHello));
        Assert.Empty(Drain(client));
        client.Feed(H(C.ServerFlightRecord)); // EE, CertificateRequest, Certificate (ECDSA P-256), CertificateVerify, Finished
        Connected(client);
        Assert.Equal(SignatureScheme.EcdsaSecp256r1Sha256, client.Info.SignatureScheme); // the RFC's ECDSA signature verified

        // Certificate, CertificateVerify (the recorded RSA-PSS signature, valid over our content), Finished: one record.
        Same(C.ClientFlightRecord, Drain(client));
        Assert.Single(signed);
        Assert.Equal(C.ClientHandshakeTrafficSecret, log[KeyLogLabels.ClientHandshakeTrafficSecret]);
        Assert.Equal(C.ServerHandshakeTrafficSecret, log[KeyLogLabels.ServerHandshakeTrafficSecret]);
        Assert.Equal(C.ClientApplicationTrafficSecret, log[KeyLogLabels.ClientTrafficSecret0]);
        Assert.Equal(C.ServerApplicationTrafficSecret, log[KeyLogLabels.ServerTrafficSecret0]);
        Assert.Equal(C.ExporterMasterSecret, log[KeyLogLabels.ExporterSecret]);

        client.Close();
        Same(C.ClientAlertRecord, Drain(client));
        client.Feed(H(C.ServerAlertRecord));
        Assert.Equal(TlsStatus.Closed, client.Status);
    }
}
