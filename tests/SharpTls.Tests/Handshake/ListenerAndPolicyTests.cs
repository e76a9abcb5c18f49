using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SharpTls.Crypto;
using SharpTls.Diagnostics;
using SharpTls.IO;
using SharpTls.Sessions;
using SharpTls.Wire;

namespace SharpTls.Tests.Handshake;

/// <summary>
/// Issue 7 items 1 and 2: listener services apart from per-binding policies, the selection hook's contract,
/// and client-certificate verdicts that do not outlive the policy that judged them.
/// </summary>
public class ListenerAndPolicyTests
{
    private static TlsServerPolicy Policy(ClientCertificateMode mode = ClientCertificateMode.None, X509Certificate2[]? issuers = null, string? name = null)
    {
        var o = InMemoryPair.DefaultServer();
        o.ClientCertificateMode = mode;
        o.TrustedIssuers = [.. issuers ?? []];
        o.Name = name;
        return new TlsServerPolicy(o);
    }

    private static TlsClientOptions Client(ClientSessionStore store, X509Certificate2? certificate)
    {
        var c = InMemoryPair.DefaultClient();
        c.SessionStore = store;
        c.ClientCertificate = certificate is null ? null : new ServerCertificate(certificate);
        return c;
    }

    /// <summary>The reproduction of issue 7 item 1: a client certificate that failed verification under an Optional
    /// policy (no trusted issuers, so it was accepted unverified) is sealed into the ticket; a server that requires a
    /// verified certificate and shares the ticket keys must not let that ticket stand in for one.</summary>
    [Fact]
    public void UnverifiedCertificateFromAnOptionalPolicyDoesNotResumeIntoARequiredOne()
    {
        var ring = new TicketKeyRing(TimeProvider.System);
        var store = new ClientSessionStore();
        var optional = new TlsServerListener { TicketKeys = ring, DefaultPolicy = Policy(ClientCertificateMode.Optional) };
        var required = new TlsServerListener { TicketKeys = ring, DefaultPolicy = Policy(ClientCertificateMode.Required, [UnitPki.Root]) };

        // A full handshake to the Required server: the rogue certificate is refused.
        using (var full = new InMemoryPair(required, Client(new ClientSessionStore(), UnitPki.RogueClientLeaf)))
        {
            var failure = full.HandshakeFails(full.Server, AlertDescription.UnknownCa, "Server.Tls13.ExpectCertificate", "client certificate rejected");
            Assert.NotNull(failure);
        }

        // The Optional server accepts it unverified and issues tickets.
        using (var first = new InMemoryPair(optional, Client(store, UnitPki.RogueClientLeaf)))
        {
            first.Handshake();
            Assert.Equal(ClientCertificateStatus.NotVerified, first.Server.Info.ClientCertificateVerdict!.Status);
        }
        Assert.True(store.Count("www.contoso.test") > 0);

        // The ticket is offered to the Required server: it falls back to a full handshake, which refuses the certificate.
        var trace = new HandshakeTraceCollector();
        var second = Client(store, UnitPki.RogueClientLeaf);
        second.Trace = trace;
        using var pair = new InMemoryPair(required, second);
        pair.HandshakeFails(pair.Server, AlertDescription.UnknownCa, "Server.Tls13.ExpectCertificate", "client certificate rejected");
        Assert.False(pair.Server.Info.Resumed);
        Assert.Contains(trace.Entries, e => e.Sent && e.ContentType == ContentType.Handshake && e.Bytes[0] == (byte)HandshakeType.ClientHello);
    }

    [Fact]
    public void VerifiedCertificateResumesUnderTheSamePolicyWithItsVerdict()
    {
        var store = new ClientSessionStore();
        var listener = new TlsServerListener { DefaultPolicy = Policy(ClientCertificateMode.Required, [UnitPki.Root]) };
        using (var first = new InMemoryPair(listener, Client(store, UnitPki.ClientLeaf)))
        {
            first.Handshake();
            Assert.Equal(ClientCertificateStatus.Verified, first.Server.Info.ClientCertificateVerdict!.Status);
            Assert.False(first.Server.Info.ClientCertificateVerdict.FromResumedSession);
        }
        using var second = new InMemoryPair(listener, Client(store, UnitPki.ClientLeaf));
        second.Handshake();
        Assert.True(second.Server.Info.Resumed);
        Assert.Equal(ClientCertificateStatus.Verified, second.Server.Info.ClientCertificateVerdict!.Status);
        Assert.True(second.Server.Info.ClientCertificateVerdict.FromResumedSession);
        Assert.Equal(UnitPki.ClientLeaf.Thumbprint, second.Server.Info.PeerCertificates[0].Thumbprint);
    }

    [Fact]
    public void AnotherBindingWithTheSameSettingsDoesNotInheritTheVerdict()
    {
        var ring = new TicketKeyRing(TimeProvider.System);
        var store = new ClientSessionStore();
        var a = new TlsServerListener { TicketKeys = ring, DefaultPolicy = Policy(ClientCertificateMode.Required, [UnitPki.Root], "shop") };
        var b = new TlsServerListener { TicketKeys = ring, DefaultPolicy = Policy(ClientCertificateMode.Required, [UnitPki.Root], "www") };
        using (var first = new InMemoryPair(a, Client(store, UnitPki.ClientLeaf))) first.Handshake();
        using var second = new InMemoryPair(b, Client(store, UnitPki.ClientLeaf));
        second.Handshake();
        Assert.False(second.Server.Info.Resumed);
        Assert.Equal(ClientCertificateStatus.Verified, second.Server.Info.ClientCertificateVerdict!.Status);
    }

    /// <summary>A binding whose certificate was replaced (issue 8 item 6: new handshakes see the new certificate) does
    /// not resume sessions made under the old one, in either version: a full handshake presents the new certificate.</summary>
    [Theory]
    [InlineData(TlsVersions.Tls13)]
    [InlineData(TlsVersions.Tls12)]
    public void AReplacedServerCertificateEndsResumptionOfSessionsMadeUnderTheOldOne(TlsVersions versions)
    {
        var ring = new TicketKeyRing(TimeProvider.System);
        var store = new ClientSessionStore();
        TlsServerListener Listener(X509Certificate2 leaf)
        {
            var o = InMemoryPair.DefaultServer(leaf);
            o.Versions = versions;
            o.Name = "www";
            return new TlsServerListener { TicketKeys = ring, DefaultPolicy = new TlsServerPolicy(o) };
        }
        TlsClientOptions Client()
        {
            var c = InMemoryPair.DefaultClient();
            c.Versions = versions;
            c.SessionStore = store;
            return c;
        }
        var before = Listener(UnitPki.EcdsaLeaf);
        using (var first = new InMemoryPair(before, Client())) first.Handshake();
        using (var same = new InMemoryPair(Listener(UnitPki.EcdsaLeaf), Client()))
        {
            same.Handshake();
            Assert.True(same.Server.Info.Resumed); // a rebuilt policy with the same certificate still resumes
        }

        using var replaced = new InMemoryPair(Listener(UnitPki.Ecdsa384Leaf), Client());
        replaced.Handshake();
        Assert.False(replaced.Server.Info.Resumed);
        Assert.Equal(UnitPki.Ecdsa384Leaf.Thumbprint, replaced.Client.Info.PeerCertificates[0].Thumbprint);
    }

    [Fact]
    public void HookReturningFreshPoliciesStillResumes()
    {
        var store = new ClientSessionStore();
        int calls = 0;
        var listener = new TlsServerListener
        {
            SelectPolicy = (hello, _) =>
            {
                calls++;
                return ValueTask.FromResult<TlsServerPolicy?>(Policy(name: "fresh"));
            },
        };
        using (var first = new InMemoryPair(listener, Client(store, null))) first.Handshake();
        using var second = new InMemoryPair(listener, Client(store, null));
        second.Handshake();
        Assert.True(second.Server.Info.Resumed);
        Assert.Equal(2, calls);
        Assert.Equal("fresh", second.Server.Info.Binding);
    }

    [Fact]
    public void TheListenersProviderSignsForEveryPolicy()
    {
        var counting = new CountingProvider();
        var listener = new TlsServerListener { Crypto = counting, SelectPolicy = (_, _) => ValueTask.FromResult<TlsServerPolicy?>(Policy()) };
        using var pair = new InMemoryPair(listener, InMemoryPair.DefaultClient());
        pair.Handshake();
        Assert.Equal(1, counting.Signatures);
    }

    [Fact]
    public void HookSeesWhatTheClientOffered()
    {
        ClientHelloInfo? seen = null;
        var listener = new TlsServerListener
        {
            SelectPolicy = (hello, _) =>
            {
                seen = hello;
                return ValueTask.FromResult<TlsServerPolicy?>(Policy());
            },
        };
        var client = InMemoryPair.DefaultClient();
        client.ApplicationProtocols = ["h2", "http/1.1"];
        using var pair = new InMemoryPair(listener, client);
        pair.Handshake();
        Assert.NotNull(seen);
        Assert.Equal("www.contoso.test", seen!.ServerName);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 443), seen.LocalEndPoint);
        Assert.Equal(["h2", "http/1.1"], seen.ApplicationProtocols);
        Assert.Contains(ProtocolVersion.Tls13, seen.Versions);
        Assert.Contains((ushort)NamedGroup.X25519, seen.Groups);
        Assert.Contains((ushort)CipherSuite.TLS_AES_128_GCM_SHA256, seen.CipherSuites);
        Assert.Equal(32, seen.SessionId.Length); // middlebox compatibility
        Assert.False(seen.PskOffered);
        Assert.Contains(seen.Extensions, e => e.Type == (ushort)ExtensionType.ServerName);
        var sni = seen.Extensions.First(e => e.Type == (ushort)ExtensionType.ServerName);
        Assert.True(sni.Data.Span.IndexOf("www.contoso.test"u8) >= 0);
    }

    [Fact]
    public void ThrowingHookIsInternalErrorWithAnEvent()
    {
        var logger = new ListLogger();
        var listener = new TlsServerListener
        {
            Logger = logger,
            SelectPolicy = (_, _) => throw new InvalidOperationException("the binding table is on fire"),
        };
        using var pair = new InMemoryPair(listener, InMemoryPair.DefaultClient());
        var failure = pair.HandshakeFails(pair.Server, AlertDescription.InternalError, "Server.AwaitPolicy", "the binding table is on fire");
        Assert.Equal(TlsEvents.SelectionHookFailed, failure.EventId);
        Assert.Contains(logger.Events, e => e.Id == TlsEvents.SelectionHookFailed && e.Message.Contains("the selection hook failed"));
    }

    [Fact]
    public void HookReturningNothingIsHandshakeFailure()
    {
        var listener = new TlsServerListener { SelectPolicy = (_, _) => ValueTask.FromResult<TlsServerPolicy?>(null) };
        using var pair = new InMemoryPair(listener, InMemoryPair.DefaultClient());
        pair.HandshakeFails(pair.Server, AlertDescription.HandshakeFailure, "Server.AwaitPolicy", "no configuration for this connection");
    }

    [Fact]
    public void HookAlertIsSentAsIs()
    {
        var listener = new TlsServerListener
        {
            SelectPolicy = (hello, _) => throw new TlsProtocolException(AlertDescription.UnrecognizedName, $"no binding for {hello.ServerName}"),
        };
        using var pair = new InMemoryPair(listener, InMemoryPair.DefaultClient());
        pair.HandshakeFails(pair.Server, AlertDescription.UnrecognizedName, "Server.AwaitPolicy", "no binding for www.contoso.test");
    }

    [Fact]
    public void KeyLogIsOffUnlessAsked()
    {
        Assert.Null(new TlsServerOptions().KeyLog);
        Assert.Null(new TlsClientOptions().KeyLog);
        Assert.Null(new TlsServerListener().KeyLog);
        var logger = new ListLogger();
        var listener = new TlsServerListener { KeyLog = new KeyCapture(), Logger = logger, DefaultPolicy = Policy() };
        using var a = TlsConnection.CreateServer(listener);
        using var b = TlsConnection.CreateServer(listener);
        Assert.Single(logger.Events, e => e.Id == TlsEvents.KeyLogEnabled);
    }

    [Fact]
    public void TheKeyLogWarningNamesTheFile()
    {
        string path = Path.Combine(Path.GetTempPath(), $"sharptls-keylog-{Guid.NewGuid():N}.txt");
        var logger = new ListLogger();
        var listener = new TlsServerListener { KeyLog = KeyLogFile.For(path), Logger = logger, DefaultPolicy = Policy() };
        using var a = TlsConnection.CreateServer(listener);
        var warning = Assert.Single(logger.Events, e => e.Id == TlsEvents.KeyLogEnabled);
        Assert.Contains($"session secrets are written to {path};", warning.Message);
        Assert.False(File.Exists(path)); // nothing written before a handshake
    }

    /// <summary>An asynchronous hook through <see cref="TlsStream"/> over a real socket: the pause is answered later,
    /// on another thread, and the client's records that arrived meanwhile are processed in order.</summary>
    [Fact]
    public async Task AsyncHookThroughTlsStream()
    {
        using var listenerSocket = new TcpListener(IPAddress.Loopback, 0);
        listenerSocket.Start();
        int port = ((IPEndPoint)listenerSocket.LocalEndpoint).Port;
        var listener = new TlsServerListener
        {
            SelectPolicy = async (hello, ct) =>
            {
                await Task.Delay(50, ct);
                return Policy(name: "async:" + hello.ServerName);
            },
        };
        var serverTask = Task.Run(async () =>
        {
            using var socket = await listenerSocket.AcceptTcpClientAsync();
            await using var tls = new TlsStream(socket.GetStream());
            await tls.AuthenticateAsServerAsync(listener);
            var buffer = new byte[5];
            int n = await tls.ReadAsync(buffer);
            await tls.WriteAsync(buffer.AsMemory(0, n));
            await tls.ShutdownAsync();
            return tls.Info.Binding;
        });
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, port);
        await using var clientTls = new TlsStream(client.GetStream());
        await clientTls.AuthenticateAsClientAsync(InMemoryPair.DefaultClient());
        await clientTls.WriteAsync("hello"u8.ToArray());
        var echo = new byte[5];
        int read = 0;
        while (read < 5) read += await clientTls.ReadAsync(echo.AsMemory(read));
        Assert.Equal("hello"u8.ToArray(), echo);
        Assert.Equal("async:www.contoso.test", await serverTask);
    }

    /// <summary>TLS 1.2 session IDs through an asynchronous cache over real sockets: the lookup and the store are pauses
    /// that <see cref="TlsStream"/> answers later, on other threads, and the second connection resumes by ID.</summary>
    [Fact]
    public async Task AsyncSessionLookupThroughTlsStream()
    {
        var cache = new SlowCache();
        var options = InMemoryPair.DefaultServer();
        options.EnableSessionTickets = false; // the session ID is the only way back
        var listener = new TlsServerListener { SessionCache = cache, DefaultPolicy = new TlsServerPolicy(options) };
        var store = new ClientSessionStore();
        async Task<bool> ConnectOnce()
        {
            using var socketListener = new TcpListener(IPAddress.Loopback, 0);
            socketListener.Start();
            int port = ((IPEndPoint)socketListener.LocalEndpoint).Port;
            var serverTask = Task.Run(async () =>
            {
                using var socket = await socketListener.AcceptTcpClientAsync();
                await using var tls = new TlsStream(socket.GetStream());
                await tls.AuthenticateAsServerAsync(listener);
                var one = new byte[1];
                await tls.ReadExactlyAsync(one);
                await tls.WriteAsync(one);
                return tls.Info.Resumed;
            });
            var clientOptions = InMemoryPair.DefaultClient();
            clientOptions.Versions = TlsVersions.Tls12;
            clientOptions.SessionStore = store;
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, port);
            await using var clientTls = new TlsStream(client.GetStream());
            await clientTls.AuthenticateAsClientAsync(clientOptions);
            await clientTls.WriteAsync(new byte[] { 42 });
            var echo = new byte[1];
            await clientTls.ReadExactlyAsync(echo);
            Assert.Equal(42, echo[0]);
            bool serverResumed = await serverTask;
            Assert.Equal(serverResumed, clientTls.Info.Resumed);
            return serverResumed;
        }
        Assert.False(await ConnectOnce());
        Assert.Equal(1, cache.Stores);
        Assert.True(await ConnectOnce());
        Assert.True(cache.Lookups >= 1);
    }

    private sealed class SlowCache : ITlsSessionCache
    {
        private readonly MemorySessionCache _inner = new();
        public int Lookups, Stores;

        public async ValueTask<byte[]?> GetAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken)
        {
            await Task.Delay(20, cancellationToken);
            Interlocked.Increment(ref Lookups);
            return await _inner.GetAsync(sessionId, cancellationToken);
        }

        public async ValueTask SetAsync(ReadOnlyMemory<byte> sessionId, ReadOnlyMemory<byte> session, TimeSpan lifetime, CancellationToken cancellationToken)
        {
            await Task.Delay(20, cancellationToken);
            Interlocked.Increment(ref Stores);
            await _inner.SetAsync(sessionId, session, lifetime, cancellationToken);
        }

        public ValueTask RemoveAsync(ReadOnlyMemory<byte> sessionId, CancellationToken cancellationToken) => _inner.RemoveAsync(sessionId, cancellationToken);
    }

    private sealed class CountingProvider : ICryptoProvider
    {
        private readonly ICryptoProvider _inner = CryptoProviders.Default;
        public int Signatures;
        public void Fill(Span<byte> destination) => _inner.Fill(destination);
        public bool SupportsGroup(NamedGroup group) => _inner.SupportsGroup(group);
        public IKeyShare GenerateKeyShare(NamedGroup group) => _inner.GenerateKeyShare(group);
        public KeyShareResponse RespondKeyShare(NamedGroup group, ReadOnlySpan<byte> peerShare) => _inner.RespondKeyShare(group, peerShare);
        public byte[] Sign(SignatureScheme scheme, X509Certificate2 certificate, ReadOnlySpan<byte> content)
        {
            Interlocked.Increment(ref Signatures);
            return _inner.Sign(scheme, certificate, content);
        }
    }
}

/// <summary>Collects log events for assertions.</summary>
internal sealed class ListLogger : ILogger
{
    private readonly Lock _lock = new();
    private readonly List<(EventId Id, string Message)> _events = [];

    public IReadOnlyList<(EventId Id, string Message)> Events
    {
        get
        {
            lock (_lock) return [.. _events];
        }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_lock) _events.Add((eventId, formatter(state, exception)));
    }
}
