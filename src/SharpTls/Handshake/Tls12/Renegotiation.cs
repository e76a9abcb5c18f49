using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using SharpTls.Diagnostics;
using SharpTls.Handshake.Client;
using SharpTls.Messages;
using SharpTls.Messages.Extensions;
using SharpTls.Wire;

namespace SharpTls.Handshake.Tls12;

/// <summary>
/// What one connection remembers about TLS 1.2 renegotiation across its handshakes (RFC 5746, RFC 5246 §7.4.1.1):
/// a HelloRequest we sent and whether it asks for a client certificate, the client-initiated renegotiations
/// admitted in the current window, refusals, and whether the peer refused the last one we started.
/// </summary>
internal sealed class RenegotiationTracker
{
    /// <summary>A client that keeps asking after this many refusals is disconnected (a flood, not a client).</summary>
    public const int MaxRefusals = 8;

    /// <summary>Our client answers at most this many HelloRequests per <see cref="ClientWindow"/>.</summary>
    public const int ClientLimit = 8;

    public static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(10);

    private readonly Queue<DateTimeOffset> _admitted = new();

    /// <summary>Server: a HelloRequest is out and no ClientHello has answered it yet.</summary>
    public bool HelloRequestPending { get; set; }

    /// <summary>Server: the renegotiation we asked for requests a client certificate in this mode (null: the policy's).</summary>
    public ClientCertificateMode? RequestedCertificateMode { get; set; }

    /// <summary>The peer answered the renegotiation we started with no_renegotiation.</summary>
    public bool RefusedByPeer { get; set; }

    /// <summary>Renegotiations we refused on this connection.</summary>
    public int Refusals { get; private set; }

    /// <summary>
    /// Admits one more renegotiation when fewer than <paramref name="limit"/> were admitted in the last
    /// <paramref name="window"/> (a sliding window over the connection's clock).
    /// </summary>
    public bool TryAdmit(DateTimeOffset now, int limit, TimeSpan window)
    {
        while (_admitted.Count > 0 && now - _admitted.Peek() >= window) _admitted.Dequeue();
        if (_admitted.Count >= limit) return false;
        _admitted.Enqueue(now);
        return true;
    }

    /// <summary>Counts a refusal; throws once the peer has been refused too often.</summary>
    public void CountRefusal()
    {
        if (++Refusals > MaxRefusals)
            throw new TlsProtocolException(AlertDescription.UnexpectedMessage,
                $"the peer asked to renegotiate again after {MaxRefusals} refusals");
    }
}

/// <summary>
/// TLS 1.2 secure renegotiation (RFC 5746): the decisions an established connection makes when the peer asks for a
/// new handshake, and the first step of one. The established session stays in force (application data flows both
/// ways) until the new handshake's Finished messages establish the next one.
/// </summary>
internal static class Renegotiation
{
    /// <summary>
    /// Why an SSL 3.0 connection is never renegotiated, by either side: our SSL 3.0 hellos carry no extensions (the SCSV
    /// alone signals RFC 5746), so a renegotiating hello could not carry renegotiation_info, and SSL 3.0 has no
    /// no_renegotiation warning to decline with (RFC 5746 §4.5). A renegotiation asked for by the peer ends the connection
    /// with handshake_failure, as RFC 5746 §4.5 tells SSL 3.0 clients to refuse; our API refuses before sending anything.
    /// </summary>
    public const string Ssl3Refusal = "SSL 3.0 connections are not renegotiated (SSL 3.0 has no no_renegotiation alert and our SSL 3.0 hellos carry no renegotiation_info, RFC 5746 §4.5): ask for the client certificate in the first handshake (ClientCertificateMode), or enable TLS 1.0 or later";

    /// <summary>Server: a ClientHello on an established connection. Accepted when we asked for it (HelloRequest) or
    /// the policy allows client-initiated renegotiation within its rate; refused with no_renegotiation otherwise, and
    /// always when the client did not signal RFC 5746 in the first handshake; on SSL 3.0, which cannot decline at
    /// warning level, the connection ends with handshake_failure (<see cref="Ssl3Refusal"/>).</summary>
    public static HandshakeState OnClientHello(TlsConnection connection, HandshakeState connected, ReadOnlyMemory<byte> message)
    {
        var session = connection.Session!;
        var tracker = connection.Renegotiation;
        var policy = connection.Policy!;
        bool requested = tracker.HelloRequestPending;
        if (session.Version == ProtocolVersion.Ssl3)
            throw new TlsProtocolException(AlertDescription.HandshakeFailure, $"the client asked to renegotiate: {Ssl3Refusal}");
        if (!session.SecureRenegotiation)
            return Refuse(connection, connected, "the client did not signal secure renegotiation (RFC 5746) in its first handshake: insecure renegotiation is never accepted");
        if (!requested)
        {
            if (policy.ClientRenegotiation == ClientRenegotiationPolicy.Refuse)
                return Refuse(connection, connected, "client-initiated renegotiation is refused by this binding's policy");
            if (!tracker.TryAdmit(connection.Time.GetUtcNow(), policy.ClientRenegotiationLimit, policy.ClientRenegotiationWindow))
            {
                connection.Logger?.LogWarning(TlsEvents.RenegotiationRateExceeded,
                    "the client asked to renegotiate more than {Limit} times in {Window}: refused (binding {Binding})",
                    policy.ClientRenegotiationLimit, policy.ClientRenegotiationWindow, connection.Info.Binding);
                return Refuse(connection, connected, $"more than {policy.ClientRenegotiationLimit} client-initiated renegotiations in {policy.ClientRenegotiationWindow}");
            }
        }
        tracker.HelloRequestPending = false;
        var hello = HandshakeMessage.Decode<ClientHello>(message, MessageContext.None);
        // Without supported_versions, legacy_version is the client's highest: any version up to it is one it speaks (RFC 5246 Appendix E.1).
        bool listed = hello.Extensions.Find<Messages.Extensions.SupportedVersionsExtension>() is not null;
        if (listed ? !Server.ExpectClientHello.OfferedVersions(hello).Contains(session.Version) : hello.LegacyVersion < session.Version)
            throw new TlsProtocolException(AlertDescription.ProtocolVersion,
                $"the renegotiating ClientHello does not offer {ProtocolVersions.Name((ushort)session.Version)}, the version of this connection");
        var mode = requested && tracker.RequestedCertificateMode is { } asked ? asked : policy.ClientCertificateMode;
        tracker.RequestedCertificateMode = null;
        return Server.Tls12.ServerHelloFlight.Start(connection, policy.WithClientCertificateMode(mode), hello, session.Version);
    }

    /// <summary>Client: a HelloRequest on an established connection (RFC 5246 §7.4.1.1). Answered with a new
    /// ClientHello when the options allow it and the server signalled RFC 5746; refused with no_renegotiation otherwise,
    /// and on SSL 3.0 with a fatal handshake_failure (RFC 5746 §4.5).</summary>
    public static HandshakeState OnHelloRequest(TlsConnection connection, HandshakeState connected)
    {
        if (connection.Session!.Version == ProtocolVersion.Ssl3)
            throw new TlsProtocolException(AlertDescription.HandshakeFailure, $"the server asked to renegotiate (HelloRequest): {Ssl3Refusal}");
        if (!connection.ClientOptions!.AllowRenegotiation)
            return Refuse(connection, connected, "the server asked to renegotiate; AllowRenegotiation is off");
        if (!connection.Session!.SecureRenegotiation)
            return Refuse(connection, connected, "the server asked to renegotiate without having signalled secure renegotiation (RFC 5746 §4.2)");
        if (!connection.Renegotiation.TryAdmit(connection.Time.GetUtcNow(), RenegotiationTracker.ClientLimit, RenegotiationTracker.ClientWindow))
            return Refuse(connection, connected, $"the server asked to renegotiate more than {RenegotiationTracker.ClientLimit} times in {RenegotiationTracker.ClientWindow}");
        return ClientBegin(connection);
    }

    /// <summary>Client: sends the renegotiating ClientHello (TLS 1.2 only, renegotiation_info carrying our last
    /// Finished verify_data, no SCSV, RFC 5746 §3.5; a full handshake: no session offered) and waits for ServerHello.</summary>
    public static HandshakeState ClientBegin(TlsConnection connection)
    {
        var session = connection.Session!;
        var options = connection.ClientOptions!;
        connection.Renegotiation.RefusedByPeer = false;
        var suites = Client.Tls12.Tls12Start.Suites(options);
        var groups = Defaults.GroupsOf(options).Where(g => connection.Crypto.SupportsGroup(g) && KeyExchange.EcdheKeyExchange.Groups.Contains(g)).ToList();
        byte[] random = new byte[32];
        connection.Crypto.Fill(random);
        var template = new HelloTemplate(random, [], suites, groups, options)
        {
            RenegotiatedConnection = session.ClientVerifyData,
            RenegotiatedVersion = session.Version,
        };
        var hello = template.Build([], cookie: null, ticket: null, connection, prefix: null);
        connection.SendHandshake(hello.Raw.Span);
        return new Client.Tls13.ExpectServerHello(template, hello, [], ticket: null, retried: false);
    }

    /// <summary>Server: asks the client to renegotiate (HelloRequest, not part of any transcript), optionally for a client certificate.</summary>
    public static void SendHelloRequest(TlsConnection connection, ClientCertificateMode? certificateMode)
    {
        var tracker = connection.Renegotiation;
        if (tracker.HelloRequestPending)
            throw new InvalidOperationException("a renegotiation is already requested and not answered yet");
        tracker.HelloRequestPending = true;
        tracker.RequestedCertificateMode = certificateMode;
        tracker.RefusedByPeer = false;
        connection.SendHandshake(new HelloRequest().Encode());
    }

    /// <summary>The renegotiation_info a renegotiating ServerHello carries: both Finished verify_data (RFC 5746 §3.7).</summary>
    public static byte[] ServerRenegotiationInfo(TlsSession session) => [.. session.ClientVerifyData, .. session.ServerVerifyData];

    /// <summary>Checks a received renegotiated_connection against what the session saved, in constant time (the lengths are public).</summary>
    public static void CheckRenegotiatedConnection(ReadOnlySpan<byte> received, ReadOnlySpan<byte> expected, string what)
    {
        if (!CryptographicOperations.FixedTimeEquals(received, expected))
            throw new TlsProtocolException(AlertDescription.HandshakeFailure,
                $"{what}: renegotiation_info does not carry the previous handshake's verify_data (RFC 5746 §3.5, §3.7)");
    }

    /// <summary>The peer refused the renegotiation we started (its no_renegotiation warning): the connection goes on as it was.</summary>
    public static void OnRefusedByPeer(TlsConnection connection)
    {
        connection.Renegotiation.RefusedByPeer = true;
        connection.Renegotiation.HelloRequestPending = false;
        connection.Logger?.LogInformation(TlsEvents.RenegotiationRefused, "the peer refused to renegotiate (no_renegotiation); the connection goes on (binding {Binding})", connection.Info.Binding);
    }

    private static HandshakeState Refuse(TlsConnection connection, HandshakeState connected, string reason)
    {
        connection.Renegotiation.CountRefusal();
        connection.SendWarningAlert(AlertDescription.NoRenegotiation);
        connection.Logger?.LogInformation(TlsEvents.RenegotiationRefused, "renegotiation refused with no_renegotiation: {Reason} (binding {Binding})", reason, connection.Info.Binding);
        return connected;
    }
}
