using System.CommandLine;
using System.Security.Cryptography;
using SharpTls.Cli.Commands;

namespace SharpTls.Cli;

/// <summary>The <c>sharptls</c> command: one subcommand per file under Commands/.</summary>
public static class CliApp
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("SharpTls: a managed SSL/TLS stack and HTTP.sys-style HTTPS host");
        root.Subcommands.Add(DissectCommand.Create());
        root.Subcommands.Add(ListenCommand.Create());
        root.Subcommands.Add(ConnectCommand.Create());
        root.Subcommands.Add(ServeCommand.Create());
        root.Subcommands.Add(HttpCommand.Create());
        root.Subcommands.Add(CertCommand.Create());
        var parsed = root.Parse(args);
        try
        {
            return await parsed.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (Exception e) when (IsBadInput(e))
        {
            // What the user gave us (a file that is missing or not what it should be, a port out of range, a malformed
            // configuration) is told in one line, as the other verbs' own checks do; a stack trace is for our bugs.
            Console.Error.WriteLine($"sharptls {parsed.CommandResult.Command.Name}: {Describe(e)}");
            return 1;
        }
    }

    /// <summary>Failures caused by the command line or the files it names, not by a bug of ours.</summary>
    internal static bool IsBadInput(Exception e) => e is IOException or UnauthorizedAccessException or CryptographicException
        or FormatException or ArgumentException or InvalidDataException or System.Net.Sockets.SocketException
        or System.Text.Json.JsonException;

    /// <summary>The message and the messages of the exceptions inside it, each once ("a: b: c").</summary>
    internal static string Describe(Exception e)
    {
        var parts = new List<string>();
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            string m = x.Message.ReplaceLineEndings(" ").Trim();
            if (m.Length > 0 && !parts.Any(p => p.Contains(m.TrimEnd('.'), StringComparison.Ordinal))) parts.Add(m);
        }
        return string.Join(": ", parts.Select((p, i) => i < parts.Count - 1 ? p.TrimEnd('.') : p));
    }
}
