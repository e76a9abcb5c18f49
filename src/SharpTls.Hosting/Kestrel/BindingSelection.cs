using SharpTls.Hosting.Bindings;
using SharpTls.Wire;

namespace SharpTls.Hosting.Kestrel;

/// <summary>The binding table as the middleware's selection hook: the policy of the matching binding, with why it matched.</summary>
public static class BindingSelection
{
    /// <summary>The reason prefix of a refusal because the binding's certificate cannot serve now (the middleware logs 36871).</summary>
    internal const string CredentialReason = "the binding's certificate cannot serve: ";

    /// <summary>A hook for <see cref="SharpTlsConnectionOptions.Select"/> that selects in <paramref name="bindings"/>' current table.</summary>
    public static Func<ClientHelloInfo, CancellationToken, ValueTask<TlsSelection?>> For(BindingHost bindings)
    {
        ArgumentNullException.ThrowIfNull(bindings);
        return async (hello, ct) =>
        {
            BindingMatch? match;
            try
            {
                match = await bindings.SelectAsync(hello, ct).ConfigureAwait(false);
            }
            catch (TlsProtocolException e) when (e.Alert == AlertDescription.HandshakeFailure && !e.Reason.StartsWith("no SSL binding", StringComparison.Ordinal))
            {
                throw new TlsProtocolException(e.Alert, CredentialReason + e.Reason);
            }
            return match is null ? null : new TlsSelection(match.Policy, match.Reason)
            {
                LogExtendedEvents = match.Binding.LogExtendedEvents,
                Http2SettingsLimits = ExtendedProperties.SettingsLimitsOf(match.Binding),
            };
        };
    }
}
