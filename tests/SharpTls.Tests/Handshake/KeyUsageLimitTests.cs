using SharpTls.Diagnostics;
using SharpTls.Records;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// The AEAD key usage limits of RFC 8446 §5.5 (AES-GCM: 2^24.5 full-size records per key, we update at 2^24; AES-CCM and
/// CCM_8: 2^23, we update at 2^22.5). Reaching
/// them takes millions of records, so the tests lower them on the connections (<see cref="RecordLayer.Limits"/>, which
/// the engine sets from the suite when the handshake ends) and check what happens at the boundary: a TLS 1.3 sender
/// updates its key before the limit, asks its peer to when the peer's key gets there, and neither side uses a key past
/// the hard limit; TLS 1.2, without KeyUpdate, closes.
/// </summary>
public class KeyUsageLimitTests
{
    private static readonly KeyUsageLimits Low = new(4, 6);

    [Fact]
    public void Rfc8446_5_5_the_default_limits_are_set_for_aes_gcm_and_not_for_chacha20()
    {
        using (var pair = new InMemoryPair(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient()))
        {
            pair.Handshake();
            Assert.Equal(CipherSuite.TLS_AES_128_GCM_SHA256, pair.Client.Info.CipherSuite);
            Assert.Equal(KeyUsageLimits.Aes, pair.Client.Records.Limits);
            Assert.Equal(KeyUsageLimits.Aes, pair.Server.Records.Limits);
            Assert.Equal((1UL << 24, 23_726_566UL), (KeyUsageLimits.Aes.KeyUpdateAt, KeyUsageLimits.Aes.Refuse));
        }
        var client = InMemoryPair.DefaultClient();
        client.CipherSuites = [CipherSuite.TLS_CHACHA20_POLY1305_SHA256];
        using var chacha = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        chacha.Handshake();
        Assert.Null(chacha.Client.Records.Limits);
    }

    [Theory]
    [InlineData(CipherSuite.TLS_AES_128_CCM_SHA256)]
    [InlineData(CipherSuite.TLS_AES_128_CCM_8_SHA256)]
    public void Rfc8446_5_5_aes_ccm_and_ccm_8_have_their_own_lower_limit(CipherSuite suite)
    {
        // RFC 8446 §5.5 defers to the AEAD limits analysis (draft-irtf-cfrg-aead-limits §6.4/§6.5, as RFC 9147 §4.5.3):
        // CCM's confidentiality bound (2L·q)^2 / 2^128 <= 2^-60 with L = 2^10 blocks gives q <= 2^23 records, below GCM's
        // 2^24.5; CCM_8's 64-bit tag only weighs on forgeries (v = 1 over TCP: 2^-64 + (2L(1+q))^2/2^128 <= 2^-57 up to 2^24.49).
        var server = InMemoryPair.DefaultServer();
        server.EnableCcm8 = true;
        var client = InMemoryPair.DefaultClient();
        client.EnableCcm8 = true;
        client.CipherSuites = [suite];
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Equal(suite, pair.Server.Info.CipherSuite);
        Assert.Equal(KeyUsageLimits.Ccm, pair.Client.Records.Limits);
        Assert.Equal(KeyUsageLimits.Ccm, pair.Server.Records.Limits);
        Assert.Equal((5_931_641UL, 8_388_608UL), (KeyUsageLimits.Ccm.KeyUpdateAt, KeyUsageLimits.Ccm.Refuse));
        Assert.Equal(Math.Pow(2, 22.5), KeyUsageLimits.Ccm.KeyUpdateAt, 1.0);
        Assert.True(KeyUsageLimits.Ccm.Refuse < KeyUsageLimits.Aes.KeyUpdateAt);
        Assert.Null(KeyUsageLimits.For(CipherSuite.TLS_CHACHA20_POLY1305_SHA256));
        Assert.Equal(KeyUsageLimits.Ccm, KeyUsageLimits.For(CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CCM_8));
    }

    private static (InMemoryPair Pair, HandshakeTraceCollector ServerTrace) Pair(TlsVersions versions = TlsVersions.Tls13)
    {
        var trace = new HandshakeTraceCollector();
        var server = InMemoryPair.DefaultServer();
        server.Trace = trace;
        var client = InMemoryPair.DefaultClient();
        client.Versions = versions;
        var pair = new InMemoryPair(server, client);
        pair.Handshake();
        return (pair, trace);
    }

    private static int KeyUpdatesReceived(HandshakeTraceCollector trace)
        => trace.Entries.Count(e => !e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.KeyUpdate);

    [Fact]
    public void Rfc8446_5_5_a_sender_updates_its_key_before_the_limit_record_by_record()
    {
        var (pair, trace) = Pair();
        using var _ = pair;
        pair.Client.Records.Limits = Low;
        pair.Server.Records.Limits = Low;
        var received = new List<byte>();
        for (byte i = 0; i < 10; i++) received.AddRange(pair.Send(pair.Client, pair.Server, [i]));
        Assert.Equal(Enumerable.Range(0, 10).Select(i => (byte)i), received);
        Assert.Equal(2, KeyUpdatesReceived(trace)); // at records 4 and 8 (the KeyUpdate itself is the 5th under the old key)
        Assert.True(pair.Client.Records.WriteSequenceNumber < Low.KeyUpdateAt);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
    }

    [Fact]
    public void Rfc8446_5_5_one_large_write_is_cut_where_the_key_is_due()
    {
        var (pair, trace) = Pair();
        using var _ = pair;
        pair.Client.Records.Limits = Low; // the server keeps the real limits, so it never asks for an update itself
        byte[] data = new byte[10 * 16384 + 5];
        new Random(55).NextBytes(data);
        Assert.Equal(data, pair.Send(pair.Client, pair.Server, data));
        Assert.Equal(2, KeyUpdatesReceived(trace));
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
    }

    [Fact]
    public void Rfc8446_5_5_a_receiver_asks_its_peer_for_a_new_key_at_the_limit()
    {
        var (pair, trace) = Pair();
        using var _ = pair;
        pair.Server.Records.Limits = new KeyUsageLimits(4, 100); // the client keeps the real limits: it would not update yet
        for (byte i = 0; i < 5; i++) pair.Client.WriteApplicationData([i]);
        pair.Pump();
        // The server sent KeyUpdate(update_requested); the client answered with its own KeyUpdate, so its key is new.
        Assert.Equal(1, KeyUpdatesReceived(trace));
        Assert.Equal(0UL, pair.Server.Records.ReadSequenceNumber);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
    }

    [Fact]
    public void Rfc8446_5_5_a_peer_that_goes_past_the_hard_limit_is_refused()
    {
        var (pair, _) = Pair();
        using var __ = pair;
        pair.Server.Records.Limits = Low;
        // The client writes 7 records under one key before the server can ask for an update.
        for (byte i = 0; i < 7; i++) pair.Client.WriteApplicationData([i]);
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Server.", "records under one key without a KeyUpdate");
    }

    [Fact]
    public void Rfc8446_5_5_tls12_without_key_update_closes_at_the_hard_limit()
    {
        var (pair, _) = Pair(TlsVersions.Tls12);
        using var __ = pair;
        Assert.Equal(ProtocolVersion.Tls12, pair.Client.Info.Version);
        Assert.NotNull(pair.Client.Records.Limits);
        pair.Client.Records.Limits = Low;
        ulong used = pair.Client.Records.WriteSequenceNumber; // Finished went under this key
        for (ulong i = used; i < Low.Refuse; i++) pair.Client.WriteApplicationData([1]);
        var e = Assert.Throws<InvalidOperationException>(() => pair.Client.WriteApplicationData([2]));
        Assert.Contains("RFC 8446 §5.5", e.Message);
        pair.Pump();
        Assert.True(pair.Server.PeerClosed);
        Assert.Equal((int)(Low.Refuse - used), pair.Server.BufferedApplicationData);
    }
}
