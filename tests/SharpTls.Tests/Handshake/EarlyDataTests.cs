using SharpTls.Crypto;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// early_data offered to our server, which never accepts 0-RTT (RFC 8446 §4.2.10): it answers with a regular 1-RTT
/// handshake and skips the client's early data records, by trial decryption under the client's handshake key after a
/// ServerHello, wholesale until the second ClientHello after a HelloRetryRequest, never more than
/// <see cref="Records.RecordLayer.MaxSkippedEarlyData"/> bytes (then unexpected_message). Our client sends no 0-RTT, so
/// here its first hello gains early_data and opaque records stand for the early data (the openssl s_client case, with
/// real early data under a ticket of another server, is in Interop.Tests).
/// </summary>
public class EarlyDataTests
{
    /// <summary>A pair whose client offers early_data in its first hello and sends <paramref name="records"/> after it.</summary>
    private static InMemoryPair Offering(int[] records, TlsServerOptions? server = null)
    {
        int hellos = 0;
        var client = InMemoryPair.DefaultClient();
        client.KeyShareGroups = [NamedGroup.X25519];
        client.Crypto = new ScriptedCryptoProvider("early-data")
        {
            ClientHelloReplay = h => hellos++ > 0 ? h
                : HelloRetryRequestTests.Rebuild(h, x => HelloRetryRequestTests.With(x.Extensions, ExtensionType.EarlyData, new EarlyDataExtension())),
        };
        var pair = new InMemoryPair(server ?? InMemoryPair.DefaultServer(), client);
        bool first = true;
        var junk = new Random(8446);
        pair.ClientToServer = wire =>
        {
            if (!first) return wire;
            first = false;
            // The client's first flight: ClientHello, then its "0-RTT" records (opaque to a server without the early key).
            return [.. wire, .. records.SelectMany(n =>
            {
                byte[] fragment = new byte[n];
                junk.NextBytes(fragment);
                return WireSurgery.Record(ContentType.ApplicationData, fragment);
            })];
        };
        return pair;
    }

    [Fact]
    public void Rfc8446_4_2_10_early_data_records_are_skipped_by_trial_decryption_and_the_handshake_completes()
    {
        using var pair = Offering([1000, 17, 5000]);
        pair.Handshake();
        Assert.False(pair.Server.Info.HelloRetryRequested);
        Assert.Equal("1-RTT"u8.ToArray(), pair.Send(pair.Client, pair.Server, "1-RTT"u8.ToArray()));
    }

    [Fact]
    public void Rfc8446_4_2_10_after_a_hello_retry_request_every_protected_record_before_the_second_hello_is_skipped()
    {
        var server = InMemoryPair.DefaultServer();
        server.Groups = [NamedGroup.Secp256r1];
        using var pair = Offering([16_401], server); // one full record: 2^14 bytes of early data, its type and a tag
        pair.Handshake();
        Assert.True(pair.Server.Info.HelloRetryRequested);
        Assert.Equal("1-RTT"u8.ToArray(), pair.Send(pair.Client, pair.Server, "1-RTT"u8.ToArray()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Rfc8446_4_2_10_more_early_data_than_we_skip_is_unexpected_message(bool helloRetryRequest)
    {
        var server = InMemoryPair.DefaultServer();
        if (helloRetryRequest) server.Groups = [NamedGroup.Secp256r1];
        using var pair = Offering([16_000, 16_000], server);
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Server.", "bytes of early data we did not accept");
    }

    [Fact]
    public void Without_early_data_an_undecryptable_record_is_bad_record_mac_not_skipped()
    {
        var client = InMemoryPair.DefaultClient();
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(), client);
        bool first = true;
        pair.ClientToServer = wire =>
        {
            if (!first) return wire;
            first = false;
            return [.. wire, .. WireSurgery.Record(ContentType.ApplicationData, new byte[100])];
        };
        pair.Pump();
        Failures.AssertGenerated(pair.Server, AlertDescription.BadRecordMac, "Server.", "did not authenticate");
    }
}
