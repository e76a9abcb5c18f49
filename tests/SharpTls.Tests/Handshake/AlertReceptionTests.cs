using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// What a connection does with the alerts it receives after the handshake (issue 10, "behaviour with no test"):
/// TLS 1.3 treats every alert but close_notify and user_canceled as an error whatever its level (RFC 8446 §6);
/// TLS 1.2 honours warnings (RFC 5246 §7.2); an unknown level is illegal_parameter; warnings are bounded;
/// a zero-length alert record is unexpected_message (RFC 8446 §5.1).
/// </summary>
public class AlertReceptionTests
{
    private static InMemoryPair Connected(TlsVersions versions)
    {
        var server = InMemoryPair.DefaultServer();
        server.Versions = versions;
        var client = InMemoryPair.DefaultClient();
        client.Versions = versions;
        var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Equal(versions == TlsVersions.Tls13 ? ProtocolVersion.Tls13 : ProtocolVersion.Tls12, pair.Server.Info.Version);
        return pair;
    }

    /// <summary>The client writes records of any content under its current keys (a misbehaving peer).</summary>
    private static void ClientSends(InMemoryPair pair, ContentType type, params byte[][] records)
    {
        var output = (SharpTls.ByteQueue)typeof(TlsConnection).GetField("_output", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(pair.Client)!;
        var writer = (SharpTls.Records.RecordWriter)typeof(SharpTls.Records.RecordLayer).GetField("_writer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(pair.Client.Records)!;
        foreach (var record in records)
            writer.Protection.Seal(type, writer.RecordVersion, record, output); // one record each, even an empty one
        pair.Pump();
    }

    [Fact]
    public void Tls13_warning_level_alert_other_than_user_canceled_is_an_error()
    {
        using var pair = Connected(TlsVersions.Tls13);
        ClientSends(pair, ContentType.Alert, [(byte)AlertLevel.Warning, (byte)AlertDescription.HandshakeFailure]);
        Failures.AssertReceived(pair.Server, AlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Tls13_unknown_alert_description_is_an_error()
    {
        using var pair = Connected(TlsVersions.Tls13);
        ClientSends(pair, ContentType.Alert, [(byte)AlertLevel.Warning, 200]);
        Failures.AssertReceived(pair.Server, (AlertDescription)200);
    }

    [Theory]
    [InlineData(TlsVersions.Tls13)]
    [InlineData(TlsVersions.Tls12)]
    public void Warning_user_canceled_is_kept_and_the_connection_goes_on(TlsVersions versions)
    {
        using var pair = Connected(versions);
        ClientSends(pair, ContentType.Alert, [(byte)AlertLevel.Warning, (byte)AlertDescription.UserCanceled]);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
        Assert.Equal("still"u8.ToArray(), pair.Send(pair.Client, pair.Server, "still"u8.ToArray()));
    }

    [Theory]
    [InlineData(TlsVersions.Tls13, AlertDescription.UserCanceled)]
    [InlineData(TlsVersions.Tls12, AlertDescription.UserCanceled)]
    [InlineData(TlsVersions.Tls12, AlertDescription.NoRenegotiation)]
    public void More_warnings_than_the_limit_is_unexpected_message(TlsVersions versions, AlertDescription warning)
    {
        using var pair = Connected(versions);
        byte[] alert = [(byte)AlertLevel.Warning, (byte)warning];
        ClientSends(pair, ContentType.Alert, Enumerable.Repeat(alert, 16).ToArray());
        Assert.Equal(TlsStatus.Connected, pair.Server.Status); // 16 are tolerated
        ClientSends(pair, ContentType.Alert, alert);
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Connected", "too many warning alerts");
    }

    [Theory]
    [InlineData(TlsVersions.Tls13)]
    [InlineData(TlsVersions.Tls12)]
    public void Unknown_alert_level_is_illegal_parameter(TlsVersions versions)
    {
        using var pair = Connected(versions);
        ClientSends(pair, ContentType.Alert, [3, (byte)AlertDescription.UserCanceled]);
        Failures.AssertGenerated(pair.Server, AlertDescription.IllegalParameter, "Connected", "alert level 3");
    }

    [Fact]
    public void Tls12_unknown_level_with_an_always_fatal_description_is_that_fatal_alert()
    {
        using var pair = Connected(TlsVersions.Tls12);
        ClientSends(pair, ContentType.Alert, [3, (byte)AlertDescription.HandshakeFailure]);
        Failures.AssertReceived(pair.Server, AlertDescription.HandshakeFailure);
    }

    [Fact]
    public void Zero_length_alert_record_is_unexpected_message()
    {
        // RFC 8446 §5.1: "Zero-length fragments of Handshake or Alert types MUST NOT be sent" (it was decode_error).
        // (Protected: Tls13RecordProtectionTests; every record protection applies the same rule.)
        using var server = NegativeTests.FeedServer([(byte)ContentType.Alert, 3, 3, 0, 0]);
        Failures.AssertGenerated(server, AlertDescription.UnexpectedMessage, "ExpectClientHello", "zero-length");
        var alert = server.PendingOutput.ToArray();
        Assert.Equal(new byte[] { 21, 3, 3, 0, 2, 2, (byte)AlertDescription.UnexpectedMessage }, alert);
    }

    [Theory]
    [InlineData(TlsVersions.Tls13)]
    [InlineData(TlsVersions.Tls12)]
    public void A_flood_of_empty_application_data_records_is_bounded(TlsVersions versions)
    {
        // Empty application_data is allowed (RFC 8446 §5.4, traffic analysis), but a peer controls how many it
        // sends: 32 in a row at most; data resets the count.
        using var pair = Connected(versions);
        ClientSends(pair, ContentType.ApplicationData, Enumerable.Repeat(Array.Empty<byte>(), 32).ToArray());
        Assert.True(pair.Server.Status == TlsStatus.Connected, pair.Server.Failure?.ToString());
        Assert.Equal("data"u8.ToArray(), pair.Send(pair.Client, pair.Server, "data"u8.ToArray()));
        ClientSends(pair, ContentType.ApplicationData, Enumerable.Repeat(Array.Empty<byte>(), 33).ToArray());
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Connected", "too many empty application data records");
    }

    [Fact]
    public void Empty_records_between_key_updates_do_not_make_the_flood_unbounded()
    {
        // Issue 10 feared that empty records reset the count of records without data, letting KeyUpdates past
        // their limit: interleaved, they still end the connection within the 256-record limit.
        using var pair = Connected(TlsVersions.Tls13);
        int rounds = 0;
        while (pair.Server.Status == TlsStatus.Connected && rounds < 1000)
        {
            pair.Client.UpdateKeys(requestPeer: false);
            ClientSends(pair, ContentType.ApplicationData, []);
            rounds++;
        }
        Assert.True(rounds <= 256, $"{rounds} rounds");
        Failures.AssertGenerated(pair.Server, AlertDescription.UnexpectedMessage, "Connected", "records");
    }
}
