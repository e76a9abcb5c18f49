using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.Extensions.Logging;
using SharpTls.Hosting.Bindings;

namespace SharpTls.Hosting.Diagnostics;

/// <summary>
/// The binding table's reports as host events. The two that concern one handshake (no binding, credential
/// unusable) are not logged here: the connection middleware logs that handshake's one event (36886, 36871)
/// with the endpoints and what the client offered, which only it knows.
/// </summary>
public sealed partial class BindingEvents(ILoggerFactory loggerFactory) : IBindingDiagnostics
{
    private readonly ILogger _logger = loggerFactory.CreateLogger("SharpTls.Hosting.Bindings");

    /// <inheritdoc />
    public void NoBinding(IPEndPoint local, string? serverName, IPEndPoint? remote) { } // 36886 by the middleware

    /// <inheritdoc />
    public void CredentialUnusable(SslBinding binding, X509Certificate2? certificate, string reason) { } // 36871 by the middleware

    /// <inheritdoc />
    public void BindingNotServed(SslBinding binding, string reason) => NotServed(_logger, binding.Key.ToString(), reason);

    /// <inheritdoc />
    public void BindingsFileInvalid(string path, string error) => FileInvalid(_logger, path, error);

    /// <inheritdoc />
    public void CentralStoreFileInvalid(string path, string error) => CcsFileInvalid(_logger, path, error);

    /// <inheritdoc />
    public void TableChanged(BindingTable table)
        => Changed(_logger, table.Version, table.Bindings.Count, table.Problems.Count, string.Join(", ", table.Bindings.Select(b => b.Key.ToString())),
            ProtocolSwitches.Describe(table.ServerProtocols));

    /// <inheritdoc />
    public void OcspResponseChanged(string path, X509Certificate2 certificate, string? problem) => HostLog.OcspResponseChanged(_logger, path, certificate, problem);

    [LoggerMessage(EventId = HostEvents.BindingNotServed, EventName = "BindingNotServed", Level = LogLevel.Error,
        Message = "The SSL binding {Binding} is not served: {Reason}")]
    private static partial void NotServed(ILogger logger, string binding, string reason);

    [LoggerMessage(EventId = HostEvents.BindingsFileInvalid, EventName = "BindingsFileInvalid", Level = LogLevel.Error,
        Message = "The bindings file (or protocol switches file) {Path} is invalid; the bindings in force stay: {Error}")]
    private static partial void FileInvalid(ILogger logger, string path, string error);

    [LoggerMessage(EventId = HostEvents.CentralStoreFileInvalid, EventName = "CentralStoreFileInvalid", Level = LogLevel.Error,
        Message = "The central certificate store file {Path} cannot be used (the other names keep working): {Error}")]
    private static partial void CcsFileInvalid(ILogger logger, string path, string error);

    [LoggerMessage(EventId = HostEvents.BindingsChanged, EventName = "BindingsChanged", Level = LogLevel.Information,
        Message = "SSL bindings in force (table {Version}): {Count} binding(s), {Problems} not served: {Bindings}; server protocols {Protocols}")]
    private static partial void Changed(ILogger logger, long version, int count, int problems, string bindings, string protocols);
}
