using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Hosting.Tests.Kestrel;

/// <summary>Events captured from a host, with their structured state.</summary>
public sealed class EventLog : ILoggerProvider
{
    public ConcurrentQueue<(EventId Id, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> Events { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void Dispose() { }

    public IEnumerable<(EventId Id, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> WithId(int id)
        => Events.Where(e => e.Id.Id == id);

    /// <summary>Waits until an event with <paramref name="id"/> arrives (the server logs after the client has seen the failure).</summary>
    public async Task<(EventId Id, LogLevel Level, string Message, IReadOnlyList<KeyValuePair<string, object?>> State)> WaitForAsync(int id, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (DateTime.UtcNow < until)
        {
            var hit = WithId(id).FirstOrDefault();
            if (hit.Message is not null) return hit;
            await Task.Delay(50);
        }
        throw new Xunit.Sdk.XunitException($"no event {id}; events: {string.Join("\n", Events.Select(e => $"{e.Id.Id} {e.Message}"))}");
    }

    private sealed class Logger(EventLog log) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Debug;
        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            => log.Events.Enqueue((eventId, logLevel, formatter(state, exception),
                state as IReadOnlyList<KeyValuePair<string, object?>> ?? []));
    }
}

/// <summary>A Kestrel host on a loopback port, with SharpTls on it.</summary>
public sealed class KestrelHost : IAsyncDisposable
{
    private readonly WebApplication _app;

    private KestrelHost(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    public int Port { get; }

    public IServiceProvider Services => _app.Services;

    public static async Task<KestrelHost> StartAsync(SharpTlsConnectionOptions options, Action<WebApplication> map, EventLog? log = null, HttpProtocols protocols = HttpProtocols.Http1AndHttp2)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (log is not null) builder.Logging.AddProvider(log).SetMinimumLevel(LogLevel.Debug);
        builder.Services.AddSharpTls();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0, l =>
        {
            if (protocols != HttpProtocols.Http1AndHttp2) l.Protocols = protocols;
            l.UseSharpTls(options);
        }));
        var app = builder.Build();
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new KestrelHost(app, new Uri(address).Port);
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(cts.Token);
        await _app.DisposeAsync();
    }
}
