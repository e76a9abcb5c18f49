using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Bindings;

/// <summary>
/// What <c>sharptls http add|update|delete|show sslcert</c> does, behind the verbs: netsh arguments in, the
/// bindings file changed, with the certificate checked once when it is bound.
/// </summary>
/// <param name="store">The bindings file.</param>
/// <param name="certificates">The certificate store bindings name certificates in.</param>
/// <param name="time">The clock of the validity check.</param>
public sealed class BindingAdmin(BindingStore store, StoreCertificateSource certificates, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>The bindings file this changes.</summary>
    public BindingStore Store { get; } = store;

    /// <summary><c>add sslcert</c>: a new binding; <c>appid</c> is required, as for netsh.</summary>
    /// <exception cref="FormatException">A parameter is wrong (netsh: 87).</exception>
    /// <exception cref="CertificateUnusableException">The certificate is missing, expired, not yet valid, without private key or cannot sign.</exception>
    /// <exception cref="BindingStoreException">183 when the key is already bound.</exception>
    /// <exception cref="BindingFormatException">The bindings file is corrupt (it is left untouched).</exception>
    public SslBinding Add(IReadOnlyList<string> arguments)
    {
        if (!arguments.Any(a => a.StartsWith("appid=", StringComparison.OrdinalIgnoreCase)))
            throw new FormatException("appid is required: appid={GUID} names the application that owns the binding");
        var binding = SslBinding.Parse(arguments);
        Check(binding);
        Store.Add(binding);
        return binding;
    }

    /// <summary><c>update sslcert</c>: the given parameters replace those of the binding with the same key; the others stay.</summary>
    /// <exception cref="BindingStoreException">2 when the key is not bound.</exception>
    public SslBinding Update(IReadOnlyList<string> arguments)
    {
        var key = KeyOf(arguments);
        return Store.Update(key, current =>
        {
            var updated = SslBinding.Parse(arguments, current);
            Check(updated);
            return updated;
        });
    }

    /// <summary><c>delete sslcert</c>: removes the binding with the one key given.</summary>
    /// <exception cref="BindingStoreException">2 when the key is not bound.</exception>
    public BindingKey Delete(IReadOnlyList<string> arguments)
    {
        if (arguments.Count != 1) throw new FormatException("delete sslcert takes exactly the binding's key: ipport=IP:port, hostnameport=host:port or ccs=port");
        var key = KeyOf(arguments);
        Store.Delete(key);
        return key;
    }

    /// <summary><c>show sslcert [KEY]</c>: every binding, or the one with the key given.</summary>
    /// <exception cref="BindingStoreException">2 when a key is given and not bound.</exception>
    public IReadOnlyList<SslBinding> Show(IReadOnlyList<string> arguments)
    {
        if (arguments.Count > 1) throw new FormatException("show sslcert takes at most one binding key");
        var all = Store.Load();
        if (arguments.Count == 0) return all;
        var key = KeyOf(arguments);
        var found = all.Where(b => b.Key == key).ToList();
        if (found.Count == 0) throw new BindingStoreException(2, $"{key} is not bound");
        return found;
    }

    /// <summary>The server's protocol switches beside the bindings file (<c>http update|show protocols</c>).</summary>
    public ProtocolSwitches Protocols { get; } = ProtocolSwitches.Beside(store);

    /// <summary>The checks made once at bind time: the certificate can serve, the trusted-issuer store exists, a protocol version is left.</summary>
    /// <exception cref="CertificateUnusableException">The certificate cannot serve.</exception>
    /// <exception cref="FormatException">The sslctlstorename store does not exist, or the binding's switches leave no version the server enables.</exception>
    public void Check(SslBinding binding)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var server = Protocols.Load();
        if (ProtocolSwitches.For(binding, server) == TlsVersions.None)
            throw new FormatException(BindingTable.NoVersionLeft(binding, server));
        if (binding.CertificateHash is { } hash)
            certificates.LoadForBinding(hash, binding.CertificateStoreName, _time.GetUtcNow()).Certificate.Dispose();
        if (binding.SslCtlStoreName is { } ctl && certificates.LoadAll(ctl).Count == 0)
            throw new FormatException($"sslctlstorename={ctl}: the {certificates.Location} {ctl} store has no certificates to trust");
    }

    private static BindingKey KeyOf(IReadOnlyList<string> arguments)
    {
        BindingKey? key = null;
        foreach (string a in arguments)
        {
            int eq = a.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && BindingKey.Parse(a[..eq], a[(eq + 1)..]) is { } k)
            {
                if (key is not null) throw new FormatException("a binding has one key (ipport, hostnameport or ccs)");
                key = k;
            }
        }
        return key ?? throw new FormatException("the binding's key is missing: ipport=IP:port, hostnameport=host:port or ccs=port");
    }
}
