using Microsoft.Extensions.Logging;
using SharpTls.Diagnostics;

namespace SharpTls;

/// <summary>The services one connection uses: the server's listener's, or the client's options'.</summary>
internal sealed record ConnectionServices(Crypto.ICryptoProvider Crypto, TimeProvider Time, IKeyLog? KeyLog, IHandshakeTrace? Trace, ILogger? Logger)
{
    public static ConnectionServices Of(TlsServerListener listener) => listener.ConnectionServices;

    public static ConnectionServices Of(TlsClientOptions options)
        => new(options.Crypto ?? SharpTls.Crypto.CryptoProviders.Default, options.Time, options.KeyLog, options.Trace, options.Logger);
}
