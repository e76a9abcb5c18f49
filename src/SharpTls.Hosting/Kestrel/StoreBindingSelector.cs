using System.Net;
using System.Security.Cryptography.X509Certificates;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;
using SharpTls.Wire;

namespace SharpTls.Hosting.Kestrel;

/// <summary>
/// The seam between the Kestrel middleware and the bindings file until the binding engine's live
/// <c>BindingHost</c> (with its immutable <c>BindingTable</c> of engine policies) is on main: reads the
/// bindings file and the certificate store, builds one immutable <see cref="TlsServerPolicy"/> per binding (the
/// listener's services, ticket keys included, are shared by all), rereads them when the file changes, and selects in HTTP.sys
/// order (exact hostnameport, wildcard hostnameport, ipport for the address, ipport for any address).
/// Central-certificate-store bindings are the binding engine's and are not served here.
/// </summary>
internal sealed class StoreBindingSelector(BindingStore store, StoreCertificateSource certificates)
{
    private readonly Lock _reload = new();
    private Snapshot _snapshot = new(DateTime.MinValue, []);
    private long _checkedAt = long.MinValue / 2;

    private sealed record Entry(SslBinding Binding, TlsServerPolicy Policy);

    private sealed record Snapshot(DateTime FileTime, IReadOnlyList<Entry> Entries);

    /// <summary>The selection hook of <see cref="SharpTlsConnectionOptions.Select"/>.</summary>
    public ValueTask<TlsSelection?> SelectAsync(ClientHelloInfo hello, CancellationToken _)
    {
        var entries = Current().Entries;
        var local = hello.LocalEndPoint ?? throw new InvalidOperationException("the local endpoint is unknown");
        string? name = hello.ServerName?.TrimEnd('.').ToLowerInvariant();
        int port = local.Port;
        if (name is not null)
        {
            foreach (var e in entries)
                if (e.Binding.Key is { Kind: BindingKind.HostnamePort, IsWildcard: false } k && k.Port == port && k.HostName == name)
                    return Found(e, $"SNI {hello.ServerName} matched {k} exactly");
            Entry? best = null;
            foreach (var e in entries)
                if (e.Binding.Key is { Kind: BindingKind.HostnamePort, IsWildcard: true } k && k.Port == port
                    && name.EndsWith(k.HostName![1..], StringComparison.Ordinal) && (best is null || k.HostName.Length > best.Binding.Key.HostName!.Length))
                    best = e;
            if (best is not null) return Found(best, $"SNI {hello.ServerName} matched the wildcard {best.Binding.Key}");
        }
        var address = local.Address.IsIPv4MappedToIPv6 ? local.Address.MapToIPv4() : local.Address;
        foreach (var e in entries)
            if (e.Binding.Key is { Kind: BindingKind.IpPort, IsAnyAddress: false } k && k.Port == port && k.Address!.Equals(address))
                return Found(e, name is null ? $"no SNI: the IP binding {k} for the local address" : $"no hostnameport binding for {name}: the IP binding {k} for the local address");
        foreach (var e in entries)
            if (e.Binding.Key is { Kind: BindingKind.IpPort, IsAnyAddress: true } k && k.Port == port)
                return Found(e, name is null ? $"no SNI: the IP binding {k} for any address" : $"no hostnameport binding for {name}: the IP binding {k} for any address");
        throw new TlsProtocolException(name is null ? AlertDescription.HandshakeFailure : AlertDescription.UnrecognizedName,
            $"no SSL binding for local endpoint {local} and name {name ?? "(no SNI)"}");
    }

    private static ValueTask<TlsSelection?> Found(Entry e, string reason) => ValueTask.FromResult<TlsSelection?>(new TlsSelection(e.Policy, reason));

    /// <summary>The bindings, reread when the file's time changes (checked at most every 250 ms).</summary>
    private Snapshot Current()
    {
        long now = Environment.TickCount64;
        if (now - Interlocked.Read(ref _checkedAt) < 250) return Volatile.Read(ref _snapshot);
        lock (_reload)
        {
            if (now - Interlocked.Read(ref _checkedAt) < 250) return _snapshot;
            var time = File.Exists(store.Path) ? File.GetLastWriteTimeUtc(store.Path) : DateTime.MinValue;
            if (time != _snapshot.FileTime || _snapshot.Entries.Count == 0)
            {
                try
                {
                    var entries = new List<Entry>();
                    foreach (var b in store.Load())
                    {
                        if (b.Key.Kind == BindingKind.Ccs || b.CertificateHash is null) continue;
                        try { entries.Add(new Entry(b, Policy(b))); }
                        catch (CertificateUnusableException) { } // not served; `http show sslcert` and the binding engine report why
                    }
                    Volatile.Write(ref _snapshot, new Snapshot(time, entries));
                }
                catch (BindingFormatException) { } // the last good bindings stay in force
            }
            // Written after the snapshot: a reader that sees this time sees that snapshot.
            Interlocked.Exchange(ref _checkedAt, now);
            return _snapshot;
        }
    }

    private TlsServerPolicy Policy(SslBinding b)
    {
        var options = new TlsServerOptions
        {
            Name = b.Key.ToString(),
            Certificates = [certificates.LoadForBinding(b.CertificateHash!, b.CertificateStoreName, DateTimeOffset.UtcNow)],
            Versions = b.DisableTls13 ? TlsVersions.Tls12 : b.DisableTls12 ? TlsVersions.Tls13 : TlsVersions.Default,
            ApplicationProtocols = b.DisableHttp2 ? ["http/1.1"] : ["h2", "http/1.1"],
            ClientCertificateMode = b.ClientCertNegotiation switch
            {
                ClientCertNegotiation.Enable => ClientCertificateMode.Optional,
                ClientCertNegotiation.Require => ClientCertificateMode.Required,
                _ => ClientCertificateMode.None,
            },
            TrustedIssuers = b.SslCtlStoreName is { } ctl ? certificates.LoadAll(ctl) : [],
            ClientCertificateRevocation = b.VerifyClientCertRevocation && b.ClientCertNegotiation != ClientCertNegotiation.Disable ? X509RevocationMode.Online : X509RevocationMode.NoCheck,
            EnableSessionTickets = b.EnableSessionTicket ?? true,
        };
        return new TlsServerPolicy(options);
    }
}
