using System.Reflection;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Handshake.Tls13;
using SharpTls.KeySchedule;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// What an established, idle TLS 1.3 connection still holds (issue 7 item 4): no copy of the handshake
/// messages, no key schedule and no handshake secrets; the transcript hash only when post-handshake
/// authentication may follow; the resumption secret only at the client. Structural: the connection's
/// object graph is walked, nothing is timed or sized by the GC.
/// </summary>
public class IdleConnectionTests
{
    [Fact]
    public void Idle_connections_keep_only_their_traffic_secrets()
    {
        var server = InMemoryPair.DefaultServer(UnitPki.RsaLeaf);
        server.ClientCertificateMode = ClientCertificateMode.Required;
        server.TrustedIssuers = UnitPki.Roots;
        var client = InMemoryPair.DefaultClient();
        client.ClientCertificate = new ServerCertificate(UnitPki.RsaClientLeaf);
        client.SessionStore = new Sessions.ClientSessionStore();
        using var pair = new InMemoryPair(server, client);
        pair.Handshake();
        Assert.Equal("ping"u8.ToArray(), pair.Send(pair.Client, pair.Server, "ping"u8.ToArray()));

        // The client sent a certificate, so it offered post_handshake_auth: both keep the transcript hash.
        foreach (var (connection, isServer) in new[] { (pair.Server, true), (pair.Client, false) })
        {
            var found = Walk(connection);
            var keys = Assert.Single(found.OfType<Tls13Keys>());
            Assert.False(keys.HoldsHandshakeSecrets);
            Assert.Null(keys.ClientHandshakeSecret);
            Assert.Null(keys.ServerHandshakeSecret);
            Assert.Null(keys.ExporterSecret);
            Assert.NotNull(keys.ClientApplicationSecret);
            Assert.NotNull(keys.ServerApplicationSecret);
            Assert.Equal(!isServer, keys.ResumptionMasterSecret is not null);
            Assert.Empty(found.OfType<Tls13KeySchedule>());
            Assert.True(keys.HoldsTranscript);
            Assert.All(found.OfType<Transcript>(), t => Assert.False(t.KeepsMessages));
        }

        // The peer's chain is kept as DER only; reading it parses it again, once (issue 7: no X509Certificate2 while idle).
        foreach (var (connection, expected) in new[] { (pair.Server, UnitPki.RsaClientLeaf), (pair.Client, UnitPki.RsaLeaf) })
        {
            var chain = Assert.IsType<SharpTls.Certificates.PeerCertificateList>(connection.Info.PeerCertificates);
            Assert.False(chain.HoldsParsed);
            Assert.Equal(expected.RawData, chain.Der[0]);
            var leaf = connection.Info.PeerCertificates[0];
            Assert.Equal(expected.Thumbprint, leaf.Thumbprint);
            Assert.True(chain.HoldsParsed);
            Assert.Same(leaf, connection.Info.PeerCertificates[0]);
        }

        // Post-handshake authentication still works from the kept hash alone.
        pair.Server.RequestClientCertificate();
        pair.Pump();
        Assert.False(pair.Server.PostHandshakeAuthPending);
        Assert.Equal(TlsStatus.Connected, pair.Server.Status);
        var again = Assert.IsType<SharpTls.Certificates.PeerCertificateList>(pair.Server.Info.PeerCertificates);
        Assert.False(again.HoldsParsed);
        Assert.Equal(UnitPki.RsaClientLeaf.Thumbprint, again[0].Thumbprint);
    }

    [Fact]
    public void Without_post_handshake_auth_no_transcript_is_kept_and_key_update_still_works()
    {
        using var pair = new InMemoryPair(InMemoryPair.DefaultServer(UnitPki.RsaLeaf), InMemoryPair.DefaultClient());
        pair.Handshake();
        foreach (var connection in new[] { pair.Server, pair.Client })
        {
            var found = Walk(connection);
            var keys = Assert.Single(found.OfType<Tls13Keys>());
            Assert.False(keys.HoldsTranscript);
            Assert.False(keys.HoldsHandshakeSecrets);
            Assert.Empty(found.OfType<Transcript>());
            Assert.Empty(found.OfType<Tls13KeySchedule>());
        }
        Assert.Null(Assert.Single(Walk(pair.Server).OfType<Tls13Keys>()).ResumptionMasterSecret);

        pair.Client.UpdateKeys(requestPeer: true);
        Assert.Equal("after"u8.ToArray(), pair.Send(pair.Client, pair.Server, "after"u8.ToArray()));
        Assert.Equal("back"u8.ToArray(), pair.Send(pair.Server, pair.Client, "back"u8.ToArray()));
    }

    [Fact]
    public void Released_secrets_are_zeroed()
    {
        // With a key log, so that the exporter master secret is derived (it is only for the key log) and must be zeroed too.
        var options = InMemoryPair.DefaultClient();
        options.KeyLog = new SharpTls.Tests.Rfc8448.SecretLog();
        using var connection = TlsConnection.CreateClient(options);
        var suite = SharpTls.Wire.CipherSuites.Info((ushort)SharpTls.Wire.CipherSuite.TLS_AES_128_GCM_SHA256)!;
        var keys = new Tls13Keys(suite, new Transcript(suite.PrfHash), new byte[32]);
        keys.Transcript.Add([1, 0, 0, 1, 7]);
        keys.DeriveHandshakeSecrets(new byte[32], connection);
        keys.Transcript.Add([20, 0, 0, 1, 8]);
        keys.DeriveApplicationSecrets(connection);
        keys.DeriveResumptionSecret();
        byte[][] dropped = [keys.ClientHandshakeSecret!, keys.ServerHandshakeSecret!, keys.ExporterSecret!, keys.ResumptionMasterSecret!];
        byte[] traffic = keys.ClientApplicationSecret!;
        Assert.All(dropped, s => Assert.Contains(s, b => b != 0));

        keys.ReleaseHandshake(keepTranscript: false, keepResumptionSecret: false);

        Assert.All(dropped, s => Assert.All(s, b => Assert.Equal(0, b)));
        Assert.Same(traffic, keys.ClientApplicationSecret);
        Assert.Contains(traffic, b => b != 0);
        Assert.False(keys.HoldsTranscript);
        Assert.Throws<InvalidOperationException>(() => keys.Transcript);
        keys.Dispose();
        Assert.All(traffic, b => Assert.Equal(0, b));
    }

    [Fact]
    public void Without_a_key_log_no_exporter_master_secret_is_derived()
    {
        using var connection = TlsConnection.CreateClient(InMemoryPair.DefaultClient()); // KeyLog = null
        var suite = SharpTls.Wire.CipherSuites.Info((ushort)SharpTls.Wire.CipherSuite.TLS_AES_128_GCM_SHA256)!;
        using var keys = new Tls13Keys(suite, new Transcript(suite.PrfHash), new byte[32]);
        keys.Transcript.Add([1, 0, 0, 1, 7]);
        keys.DeriveHandshakeSecrets(new byte[32], connection);
        keys.Transcript.Add([20, 0, 0, 1, 8]);
        keys.DeriveApplicationSecrets(connection);
        Assert.Null(keys.ExporterSecret);
        Assert.NotNull(keys.ClientApplicationSecret);
        Assert.NotNull(keys.ServerApplicationSecret);
    }

    [Fact]
    public async Task An_idle_stream_over_a_socket_holds_no_cipher_context_and_rebuilds_it_for_the_next_record()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var pair = await LoopbackTlsPair.ConnectAsync(InMemoryPair.DefaultServer(), InMemoryPair.DefaultClient(), timeout.Token);
        var (server, client) = (pair.Server, pair.Client);

        var buffer = new byte[64];
        for (int round = 0; round < 3; round++)
        {
            // The server waits for a request: once its read is pending, neither direction holds a native context.
            var read = server.ReadAsync(buffer, timeout.Token);
            await WaitUntil(() => !HoldsContext(server.Connection), TimeSpan.FromSeconds(20));
            Assert.False(read.IsCompleted);
            Assert.False(HoldsContext(server.Connection));

            await client.WriteAsync("ping"u8.ToArray(), timeout.Token);
            int n = await read;
            Assert.Equal("ping", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
            await server.WriteAsync("pong"u8.ToArray(), timeout.Token);
            Assert.True(HoldsContext(server.Connection));
            n = await client.ReadAsync(buffer, timeout.Token);
            Assert.Equal("pong", System.Text.Encoding.ASCII.GetString(buffer, 0, n));
        }
    }

    private static bool HoldsContext(TlsConnection connection)
    {
        var (read, write) = connection.Records.ProtectionsForTests;
        return Assert.IsType<SharpTls.Records.Tls13RecordProtection>(read).HoldsCipherContext
            || Assert.IsType<SharpTls.Records.Tls13RecordProtection>(write).HoldsCipherContext;
    }

    private static async Task WaitUntil(Func<bool> condition, TimeSpan bound)
    {
        var until = DateTime.UtcNow + bound;
        while (!condition() && DateTime.UtcNow < until) await Task.Delay(10);
    }

    /// <summary>Every SharpTls object reachable from the connection (arrays and collections followed), except the shared options.</summary>
    private static List<object> Walk(TlsConnection connection)
    {
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        var found = new List<object>();
        var pending = new Stack<object>();
        pending.Push(connection);
        while (pending.Count > 0)
        {
            object o = pending.Pop();
            if (!seen.Add(o)) continue;
            var type = o.GetType();
            if (o is TlsOptionsBase or X509Certificate2 or X509Certificate2Collection or ServerCertificate or Delegate or Type or string) continue;
            if (o is System.Collections.IEnumerable items and not byte[])
            {
                if (type.IsArray || type.Namespace?.StartsWith("System.Collections", StringComparison.Ordinal) == true)
                    foreach (var item in items)
                        if (item is not null && !item.GetType().IsValueType) pending.Push(item);
            }
            if (type.Assembly != typeof(TlsConnection).Assembly) continue;
            found.Add(o);
            for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
                foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly))
                    if (!field.FieldType.IsValueType && field.GetValue(o) is { } value) pending.Push(value);
        }
        return found;
    }
}
