using Microsoft.Extensions.Logging;

namespace SharpTls.Cli.Commands;

/// <summary>Loggers for the CLI: events to stderr, one line each, with the Schannel-style event id.</summary>
internal static class ConsoleEvents
{
    private static readonly ILoggerFactory Factory = LoggerFactory.Create(b => b
        .AddConsole(o => o.LogToStandardErrorThreshold = LogLevel.Trace)
        .AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; })
        .AddFilter((_, level) => level >= LogLevel.Information)
        .SetMinimumLevel(LogLevel.Information));

    public static ILogger CreateLogger(string category) => Factory.CreateLogger(category);
}
