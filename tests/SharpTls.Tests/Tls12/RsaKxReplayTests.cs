using SharpTls.Tests.Fixtures;
using SharpTls.Wire;

namespace SharpTls.Tests.Tls12;

/// <summary>
/// Issue 9's recorded RSA key-exchange handshakes, replayed byte for byte (tests/fixtures/replays, made by
/// <c>RsaKxRecordingInteropTests</c> against openssl 3.0 s_client and s_server; README.md there). The peer's recorded bytes
/// go into our engine with the recording's injected randomness (<see cref="RsaKxRecording"/>); our side's output must be
/// the recorded one exactly: for our server ServerHello (random, no session id: a ticket is issued), Certificate,
/// ServerHelloDone, NewSessionTicket (nonce from the provider), ChangeCipherSpec, Finished, the reply and close_notify; for our
/// client ClientHello, the ClientKeyExchange (pre-master and PKCS#1 v1.5 padding from the provider), ChangeCipherSpec,
/// Finished, the request (CBC IVs from the provider) and close_notify. The peer's ClientKeyExchange is decrypted with the
/// fixture key, its Finished and record MACs verify (a spoiled byte ends the replay in bad_record_mac), and its application
/// data is the recorded plaintext.
/// </summary>
public class RsaKxReplayTests
{
    public static TheoryData<string> Names => [.. RsaKxRecording.Scenarios.Select(s => s.Name)];

    private static string Fixtures => Path.Combine(AppContext.BaseDirectory, "fixtures");

    private static (byte[] C2s, byte[] S2c) Load(string name)
        => (File.ReadAllBytes(FixtureKit.Path($"replays/{name}.c2s.bin")), File.ReadAllBytes(FixtureKit.Path($"replays/{name}.s2c.bin")));

    [Theory]
    [MemberData(nameof(Names))]
    public void OurSideIsTheRecordingByteForByte(string name)
    {
        var (_, ourServer, suite) = RsaKxRecording.Scenarios.Single(s => s.Name == name);
        var (c2s, s2c) = Load(name);
        using var certificate = RsaKxRecording.ServerCertificate(Fixtures);
        if (ourServer)
        {
            using var server = TlsConnection.CreateServer(RsaKxRecording.Listener(name, certificate));
            var driver = RsaKxRecording.Driver(server, server: true);
            byte[] output = driver.Take(c2s);
            Assert.True(server.Status != TlsStatus.Failed, $"{server.Failure}");
            Assert.Equal(Convert.ToHexString(s2c), Convert.ToHexString(output));
            Assert.Equal(RsaKxRecording.Request, driver.Received); // openssl's record decrypted and its MAC verified
            Assert.Equal(ProtocolVersion.Tls12, server.Info.Version);
            Assert.Equal(suite, (CipherSuite)server.Info.CipherSuite!);
        }
        else
        {
            using var client = TlsConnection.CreateClient(RsaKxRecording.ClientOptions(name, suite, Fixtures));
            var driver = RsaKxRecording.Driver(client, server: false);
            byte[] output = [.. driver.Start(), .. driver.Take(s2c)];
            Assert.True(client.Status != TlsStatus.Failed, $"{client.Failure}");
            Assert.Equal(Convert.ToHexString(c2s), Convert.ToHexString(output));
            // openssl s_server -rev's answer, decrypted: the request reversed.
            Assert.Equal(new string(RsaKxRecording.Request.TrimEnd('\n').Reverse().ToArray()) + "\n", driver.Received);
            Assert.Equal(suite, (CipherSuite)client.Info.CipherSuite!);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void ASpoiledPeerFinishedFailsTheReplay(string name)
    {
        var (_, ourServer, suite) = RsaKxRecording.Scenarios.Single(s => s.Name == name);
        var (c2s, s2c) = Load(name);
        using var certificate = RsaKxRecording.ServerCertificate(Fixtures);
        // The peer's first encrypted handshake record (its Finished) gets one bit flipped in its last byte (MAC, tag or padding).
        byte[] peer = ourServer ? c2s : s2c;
        int finished = FirstRecordAfterChangeCipherSpec(peer);
        byte[] spoiled = [.. peer];
        spoiled[finished + 5 + ((peer[finished + 3] << 8) | peer[finished + 4]) - 1] ^= 0x01;
        TlsConnection connection = ourServer
            ? TlsConnection.CreateServer(RsaKxRecording.Listener(name, certificate))
            : TlsConnection.CreateClient(RsaKxRecording.ClientOptions(name, suite, Fixtures));
        using (connection)
        {
            var driver = RsaKxRecording.Driver(connection, server: ourServer);
            if (!ourServer) driver.Start();
            driver.Take(spoiled);
            Assert.Equal(TlsStatus.Failed, connection.Status);
            Assert.Equal(AlertDescription.BadRecordMac, connection.Failure!.Alert);
        }
    }

    private static int FirstRecordAfterChangeCipherSpec(byte[] stream)
    {
        bool seen = false;
        for (int offset = 0; offset + 5 <= stream.Length; offset += 5 + ((stream[offset + 3] << 8) | stream[offset + 4]))
        {
            if (seen) return offset;
            seen = stream[offset] == (byte)ContentType.ChangeCipherSpec;
        }
        throw new InvalidOperationException("no ChangeCipherSpec in the recording");
    }
}
