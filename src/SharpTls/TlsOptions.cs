using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SharpTls.Diagnostics;

namespace SharpTls;

/// <summary>Protocol versions a side is willing to speak.</summary>
[Flags]
public enum TlsVersions
{
    None = 0,
    /// <summary>SSL 3.0: legacy, opt-in only.</summary>
    Ssl3 = 1,
    /// <summary>TLS 1.0: legacy, opt-in only.</summary>
    Tls10 = 2,
    /// <summary>TLS 1.1: legacy, opt-in only.</summary>
    Tls11 = 4,
    /// <summary>TLS 1.2: on by default.</summary>
    Tls12 = 8,
    /// <summary>TLS 1.3: on by default.</summary>
    Tls13 = 16,
    /// <summary>The default set: TLS 1.2 and TLS 1.3.</summary>
    Default = Tls12 | Tls13,
}

/// <summary>Whether the server asks for a client certificate.</summary>
public enum ClientCertificateMode
{
    /// <summary>No CertificateRequest is sent.</summary>
    None,
    /// <summary>A certificate is requested; a client without one is accepted.</summary>
    Optional,
    /// <summary>A certificate is requested and required (certificate_required alert otherwise).</summary>
    Required,
}

/// <summary>What a TLS 1.2 server does when the client asks to renegotiate (a new ClientHello on an established connection).</summary>
public enum ClientRenegotiationPolicy
{
    /// <summary>Refused with a no_renegotiation warning; the connection goes on (the default, as nginx and Apache do).</summary>
    Refuse,
    /// <summary>Accepted (secure renegotiation only, RFC 5746), within <see cref="TlsServerOptions.ClientRenegotiationLimit"/>
    /// per <see cref="TlsServerOptions.ClientRenegotiationWindow"/>; beyond it refused with no_renegotiation and an event.</summary>
    Allow,
}

/// <summary>A certificate the server can present: the leaf with its private key, and the chain to send after it.</summary>
public sealed class ServerCertificate
{
    public ServerCertificate(X509Certificate2 certificate, X509Certificate2Collection? chain = null)
    {
        if (!certificate.HasPrivateKey)
            throw new ArgumentException("the server certificate has no private key", nameof(certificate));
        Certificate = certificate;
        Chain = chain ?? [];
    }

    /// <summary>
    /// An Ed25519 certificate with its private key seed (32 bytes): the BCL cannot hold Ed25519
    /// keys in an <see cref="X509Certificate2"/>, so the key travels beside it.
    /// </summary>
    public ServerCertificate(X509Certificate2 certificate, byte[] ed25519PrivateKey, X509Certificate2Collection? chain = null)
    {
        if (ed25519PrivateKey.Length != 32)
            throw new ArgumentException("an Ed25519 private key is 32 bytes", nameof(ed25519PrivateKey));
        if (Crypto.TlsSignatures.KeyKind(certificate) != Crypto.SignatureKeyKind.Ed25519)
            throw new ArgumentException("the certificate's key is not Ed25519", nameof(certificate));
        Certificate = certificate;
        Ed25519PrivateKey = ed25519PrivateKey;
        Chain = chain ?? [];
    }

    private ServerCertificate(ServerCertificate other, IOcspResponseSource? ocsp)
    {
        Certificate = other.Certificate;
        Ed25519PrivateKey = other.Ed25519PrivateKey;
        Chain = other.Chain;
        OcspResponse = ocsp;
    }

    /// <summary>The Ed25519 private key seed, for Ed25519 certificates (null otherwise).</summary>
    public byte[]? Ed25519PrivateKey { get; }

    /// <summary>The OCSP response stapled with this certificate when the client asks for one (status_request); null staples none.</summary>
    public IOcspResponseSource? OcspResponse { get; }

    /// <summary>The same certificate, key and chain, stapling the responses of <paramref name="source"/> (null: none).</summary>
    public ServerCertificate WithOcspResponse(IOcspResponseSource? source) => new(this, source);

    /// <summary>
    /// The response to staple in this handshake: only when the client sent status_request for OCSP (RFC 6066 §8) and
    /// the source has one that fits the limit; read once, so both messages of a handshake agree.
    /// </summary>
    internal byte[]? StapleFor(Messages.ClientHello hello)
    {
        if (OcspResponse is not { } source
            || hello.Extensions.Find<Messages.Extensions.StatusRequestExtension>() is not { StatusType: Wire.CertificateStatusType.Ocsp })
            return null;
        var current = source.Current;
        return current.Length is > 0 and <= IOcspResponseSource.MaxResponseLength ? current.ToArray() : null;
    }

    /// <summary>The first scheme of <paramref name="preference"/> this certificate's key can sign with (TLS 1.3 rules) that the peer accepts, or null.</summary>
    internal Wire.SignatureScheme? TlsSignatureScheme(IEnumerable<Wire.SignatureScheme> preference, IReadOnlyList<Wire.SignatureScheme> accepted)
    {
        var canDo = Schemes(tls13: true);
        foreach (var scheme in preference)
            if (canDo.Contains(scheme) && accepted.Contains(scheme))
                return scheme;
        return null;
    }

    /// <summary>The TLS 1.3 certificate_list: the leaf, then the chain.</summary>
    internal IReadOnlyList<Messages.CertificateEntry> Entries()
        => _entries ??= [new(Certificate.RawData), .. Chain.Select(c => new Messages.CertificateEntry(c.RawData))];

    // Built once per certificate, not per handshake (X509Certificate2.RawData copies the DER on every call).
    private Messages.CertificateEntry[]? _entries;

    /// <summary>The schemes this certificate's key can sign with (<see cref="Crypto.TlsSignatures.SchemesFor"/>), worked out
    /// once per certificate: reading an RSA key's size imports its public key, ~2.4 KB of garbage per handshake otherwise.</summary>
    internal IReadOnlyList<Wire.SignatureScheme> Schemes(bool tls13)
        => tls13 ? _schemes13 ??= Crypto.TlsSignatures.SchemesFor(Certificate, tls13: true)
            : _schemes12 ??= Crypto.TlsSignatures.SchemesFor(Certificate, tls13: false);

    private IReadOnlyList<Wire.SignatureScheme>? _schemes13, _schemes12;

    /// <summary>Signs a handshake's CertificateVerify content: Ed25519 here, every other kind through the provider.</summary>
    internal byte[] Sign(Crypto.ICryptoProvider provider, Wire.SignatureScheme scheme, ReadOnlySpan<byte> content)
        => scheme == Wire.SignatureScheme.Ed25519 && Ed25519PrivateKey is { } seed
            ? Crypto.TlsSignatures.SignEd25519(seed, content)
            : provider.Sign(scheme, Certificate, content);

    /// <summary>The leaf certificate, with its private key.</summary>
    public X509Certificate2 Certificate { get; }

    /// <summary>Intermediate certificates sent after the leaf (not the root).</summary>
    public X509Certificate2Collection Chain { get; }

    /// <summary>Loads a PFX (PKCS#12) file.</summary>
    public static ServerCertificate FromPfx(string path, string? password = null)
    {
        var all = X509CertificateLoader.LoadPkcs12CollectionFromFile(path, password, X509KeyStorageFlags.Exportable);
        var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new ArgumentException($"{path}: no certificate with a private key");
        var chain = new X509Certificate2Collection();
        foreach (var c in all)
            if (!ReferenceEquals(c, leaf) && c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData) is false)
                chain.Add(c);
        return new ServerCertificate(leaf, chain);
    }

    /// <summary>Loads a PEM certificate file (leaf first, then chain) and a PEM key file (or the key in the same file).</summary>
    public static ServerCertificate FromPem(string certPath, string? keyPath = null)
    {
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(certPath);
        var chain = new X509Certificate2Collection();
        foreach (var c in all.Skip(1))
            if (!c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))
                chain.Add(c);
        if (all.Count > 0 && Crypto.TlsSignatures.KeyKind(all[0]) == Crypto.SignatureKeyKind.Ed25519)
        {
            // The BCL cannot load Ed25519 keys: read the PKCS#8 PEM ourselves.
            string pem = File.ReadAllText(keyPath ?? certPath);
            int start = pem.IndexOf("-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal);
            if (start < 0) throw new ArgumentException($"{keyPath ?? certPath}: no PKCS#8 PRIVATE KEY block for the Ed25519 certificate");
            var block = pem.AsSpan(start);
            byte[] pkcs8 = Convert.FromBase64String(block[System.Security.Cryptography.PemEncoding.Find(block).Base64Data].ToString());
            return new ServerCertificate(X509CertificateLoader.LoadCertificate(all[0].RawData), Crypto.TlsSignatures.Ed25519PrivateKeyFromPkcs8(pkcs8), chain);
        }
        var leaf = X509Certificate2.CreateFromPemFile(certPath, keyPath ?? certPath);
        return new ServerCertificate(leaf, chain);
    }
}

/// <summary>Settings shared by both sides.</summary>
public abstract class TlsOptionsBase : Handshake.INegotiationSettings
{
    IEnumerable<Wire.CipherSuite>? Handshake.INegotiationSettings.ConfiguredSuites => CipherSuites;
    IEnumerable<Wire.NamedGroup>? Handshake.INegotiationSettings.ConfiguredGroups => Groups;
    IEnumerable<Wire.SignatureScheme>? Handshake.INegotiationSettings.ConfiguredSchemes => SignatureSchemes;

    /// <summary>Enabled versions; TLS 1.2 and 1.3 by default. Legacy versions are opt-in.</summary>
    public TlsVersions Versions { get; set; } = TlsVersions.Default;

    /// <summary>ALPN protocol names in preference order ("h2", "http/1.1").</summary>
    public IList<string> ApplicationProtocols { get; set; } = [];

    /// <summary>Cipher suites in preference order; null for the built-in secure default.</summary>
    public IList<Wire.CipherSuite>? CipherSuites { get; set; }

    /// <summary>Key-exchange groups in preference order; null for the default (X25519, secp256r1, X25519MLKEM768, secp384r1, secp521r1).</summary>
    public IList<Wire.NamedGroup>? Groups { get; set; }

    /// <summary>Signature schemes in preference order; null for the default.</summary>
    public IList<Wire.SignatureScheme>? SignatureSchemes { get; set; }

    /// <summary>Where secrets are logged for Wireshark (NSS key log format). Off unless set: set it to a
    /// <see cref="KeyLogFile"/>, or to <see cref="KeyLogFile.FromEnvironment"/> to honour SSLKEYLOGFILE, which is then
    /// an explicit choice of the application (as .NET's own AppContext switch for SslStream is). A warning event says
    /// when it is on.</summary>
    public IKeyLog? KeyLog { get; set; }

    /// <summary>Sees every handshake message sent and received, decrypted (for traces).</summary>
    public IHandshakeTrace? Trace { get; set; }

    /// <summary>Events (Schannel-style ids, see <see cref="TlsEvents"/>).</summary>
    public ILogger? Logger { get; set; }

    /// <summary>The source of randomness and the crypto primitives; injectable for replay tests.</summary>
    public Crypto.ICryptoProvider? Crypto { get; set; }

    /// <summary>The clock (certificate validity, ticket ages).</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>How long a handshake may take before it is abandoned (10 s, Kestrel's default): the connection then ends with user_canceled and close_notify.</summary>
    public TimeSpan HandshakeTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Pads TLS 1.3 records up to a multiple of this many bytes (0: no padding).</summary>
    public int RecordPaddingBlock { get; set; }

    /// <summary>Enables TLS_AES_128_CCM_8_SHA256 (off by default: its 8-byte tag is for constrained devices).</summary>
    public bool EnableCcm8 { get; set; }

    /// <summary>
    /// TLS 1.3 certificate compression (RFC 8879) with brotli and zlib: offered in the ClientHello (client) or the
    /// CertificateRequest (server), and used for our Certificate when the peer offers it. On by default; what arrives
    /// compressed is decompressed within the same 64 KiB limit an uncompressed Certificate has.
    /// </summary>
    public bool CertificateCompression { get; set; } = true;

    /// <summary>TLS 1.2: offer (client) or accept (server) the extended master secret (RFC 7627). On by default;
    /// a peer without it is still accepted, with the classic master secret.</summary>
    public bool ExtendedMasterSecret { get; set; } = true;
}

/// <summary>Server settings. One instance may serve many connections.</summary>
public sealed class TlsServerOptions : TlsOptionsBase
{
    /// <summary>Certificates to choose from by the client's signature_algorithms (e.g. one ECDSA, one RSA).</summary>
    public IList<ServerCertificate> Certificates { get; set; } = [];

    /// <summary>
    /// The selection hook, called after ClientHello is parsed: returns the policy (binding) for this
    /// connection. Null from the hook refuses the handshake (handshake_failure, "no configuration for this
    /// connection"); a thrown <see cref="Wire.TlsProtocolException"/> becomes its alert (e.g. unrecognized_name);
    /// any other exception becomes internal_error with an event. Without a hook, these options' own policy is used.
    /// Copied into the <see cref="TlsServerListener"/> built from these options.
    /// </summary>
    public Func<ClientHelloInfo, CancellationToken, ValueTask<TlsServerPolicy?>>? SelectPolicy { get; set; }

    /// <summary>Whether to ask for a client certificate.</summary>
    public ClientCertificateMode ClientCertificateMode { get; set; }

    /// <summary>Issuers of acceptable client certificates, sent as certificate_authorities and used to verify them.</summary>
    public X509Certificate2Collection TrustedIssuers { get; set; } = [];

    /// <summary>Checks client certificates for revocation.</summary>
    public X509RevocationMode ClientCertificateRevocation { get; set; } = X509RevocationMode.NoCheck;

    /// <summary>
    /// Checks that a client certificate may be used for client authentication (HTTP.sys' <c>usagecheck</c>): its extended
    /// key usage, when it has one, must include clientAuth, and its key usage, when it has one, digitalSignature. On by
    /// default; off accepts a certificate from a trusted issuer whatever its usages say.
    /// </summary>
    public bool ClientCertificateUsageCheck { get; set; } = true;

    /// <summary>Issues session tickets (TLS 1.3 NewSessionTicket) for resumption.</summary>
    public bool EnableSessionTickets { get; set; } = true;

    /// <summary>How many tickets to send after a full handshake (TLS 1.3). A resumed handshake sends one, to replace the
    /// ticket the client spent, as OpenSSL does.</summary>
    public int TicketCount { get; set; } = 2;

    /// <summary>The ticket keys; share one ring among servers that should resume each other's sessions.
    /// A listener service: null gives the listener a ring of its own.</summary>
    public Sessions.TicketKeyRing? TicketKeys { get; set; }

    /// <summary>The TLS 1.2 session-ID cache (a listener service): in memory by default; a
    /// <see cref="Sessions.DistributedSessionCache"/> shares it across a farm; null for none.</summary>
    public Sessions.ITlsSessionCache? SessionCache { get; set; } = new Sessions.MemorySessionCache();

    /// <summary>Resumes TLS 1.2 sessions by session ID (needs a <see cref="SessionCache"/>).</summary>
    public bool EnableSessionIds { get; set; } = true;

    /// <summary>Also accept psk_ke (resumption without a fresh key exchange, no forward secrecy).</summary>
    public bool AllowPskWithoutKeyExchange { get; set; }

    /// <summary>
    /// TLS 1.2 and older: also negotiate RSA key transport (TLS_RSA_WITH_*: no forward secrecy), last in the
    /// server's order, as Schannel does by default for older clients. Set false to offer only ECDHE and DHE.
    /// </summary>
    public bool AllowRsaKeyExchange { get; set; } = true;

    /// <summary>A name for the configuration (the binding), reported in events.</summary>
    public string? Name { get; set; }

    /// <summary>
    /// What would switch a refused version on, named in the protocol_version refusal and its event 36870 ("TLS 1.0 is
    /// switched off here, HINT would allow it"): a host names its own setting. Null: the <see cref="TlsVersions"/> flag,
    /// <c>sharptls listen --protocols</c> and Schannel's key.
    /// </summary>
    public Func<TlsVersions, string>? VersionSwitchHint { get; set; }

    /// <summary>The default of <see cref="MaxConcurrentHandshakes"/>: 20,000, as the host's.</summary>
    public const int DefaultMaxConcurrentHandshakes = 20_000;

    /// <summary>
    /// Handshakes allowed at once through <see cref="IO.TlsStream"/> on the listener made from these options (a
    /// <see cref="TlsHandshakeLimit"/>); 0 or less for no limit. When it is full, the oldest handshake in progress is
    /// closed to make room for a new connection, with event 36894 once per burst.
    /// </summary>
    public int MaxConcurrentHandshakes { get; set; } = DefaultMaxConcurrentHandshakes;

    /// <summary>TLS 1.2: whether a client may start a renegotiation. Refused (no_renegotiation warning) by default;
    /// a renegotiation the server asked for (<see cref="TlsConnection.RequestClientCertificate"/>,
    /// <see cref="TlsConnection.Renegotiate"/>) is always taken. Insecure renegotiation (a client that did not
    /// signal RFC 5746) is never accepted.</summary>
    public ClientRenegotiationPolicy ClientRenegotiation { get; set; } = ClientRenegotiationPolicy.Refuse;

    /// <summary>With <see cref="ClientRenegotiationPolicy.Allow"/>: how many client-initiated renegotiations one
    /// connection may make per <see cref="ClientRenegotiationWindow"/> (3 by default; at least 1). Beyond that they are
    /// refused with no_renegotiation and event 36981; a client that keeps asking after 8 refusals is disconnected.</summary>
    public int ClientRenegotiationLimit { get; set; } = 3;

    /// <summary>The window of <see cref="ClientRenegotiationLimit"/> (10 minutes by default).</summary>
    public TimeSpan ClientRenegotiationWindow { get; set; } = TimeSpan.FromMinutes(10);

    private TlsServerListener? _listener;

    /// <summary>
    /// The listener these options make: their services, their hook, and their policy as the default. Made on
    /// first use and kept, so that every connection of these options shares one ticket key ring; the options are
    /// frozen into it then (later changes are not seen: build new options, or a listener and policies yourself).
    /// </summary>
    public TlsServerListener Listener
    {
        get
        {
            if (_listener is { } made) return made;
            var fresh = TlsServerListener.FromOptions(this);
            return Interlocked.CompareExchange(ref _listener, fresh, null) ?? fresh;
        }
    }
}

/// <summary>Client settings.</summary>
public sealed class TlsClientOptions : TlsOptionsBase
{
    /// <summary>The server's name: sent as SNI (unless an IP address) and checked against its certificate.</summary>
    public string? TargetHost { get; set; }

    /// <summary>Roots to trust instead of the system's; empty uses the system trust store.</summary>
    public X509Certificate2Collection TrustedRoots { get; set; } = [];

    /// <summary>Skips certificate verification (testing only).</summary>
    public bool SkipCertificateVerification { get; set; }

    /// <summary>Revocation checking of the server's chain.</summary>
    public X509RevocationMode RevocationMode { get; set; } = X509RevocationMode.NoCheck;

    /// <summary>The client certificate, offered when the server asks.</summary>
    public ServerCertificate? ClientCertificate { get; set; }

    /// <summary>Where tickets are kept for resumption; null disables resumption.</summary>
    public Sessions.ClientSessionStore? SessionStore { get; set; }

    /// <summary>Offers record_size_limit (RFC 8449): the largest protected record, inner content type included, we accept (64 to 16385).</summary>
    public ushort? RecordSizeLimit { get; set; }

    /// <summary>Asks the server to staple the OCSP response of its certificate (status_request, RFC 6066 §8); what it
    /// sends is in <see cref="TlsConnectionInfo.OcspResponse"/>. Off by default. The response is reported, not
    /// judged: checking it is the application's (revocation checking of the chain is <see cref="RevocationMode"/>).</summary>
    public bool RequestOcspStapling { get; set; }

    private int? _maxFragmentLength;

    /// <summary>Offers max_fragment_length (RFC 6066 §4): 512, 1024, 2048 or 4096 bytes of plaintext per record, both
    /// directions, when the server accepts; null (the default) offers nothing.</summary>
    public int? MaxFragmentLength
    {
        get => _maxFragmentLength;
        set => _maxFragmentLength = value is null or 512 or 1024 or 2048 or 4096 ? value
            : throw new ArgumentOutOfRangeException(nameof(value), value, "max_fragment_length is 512, 1024, 2048 or 4096 (RFC 6066 §4)");
    }

    /// <summary>Groups to send key shares for in the first ClientHello (others only by HelloRetryRequest).</summary>
    public IList<Wire.NamedGroup>? KeyShareGroups { get; set; }

    /// <summary>TLS 1.2: answer a server's HelloRequest with a new handshake (secure renegotiation, RFC 5746, only),
    /// as SslStream's AllowRenegotiation does; on by default (servers such as IIS ask for a client certificate that
    /// way). Off: the request is refused with a no_renegotiation warning and the connection goes on.</summary>
    public bool AllowRenegotiation { get; set; } = true;
}
