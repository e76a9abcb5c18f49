using System.CommandLine;
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
        return await root.Parse(args).InvokeAsync();
    }
}
