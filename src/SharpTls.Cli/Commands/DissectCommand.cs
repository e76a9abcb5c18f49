using System.CommandLine;
using SharpTls.Cli.Captures;

namespace SharpTls.Cli.Commands;

/// <summary>
/// <c>sharptls dissect FILE [--json]</c>: prints the TLS records of a capture (pcap, pcapng),
/// a hex dump or a raw byte stream the way Wireshark's packet details show them.
/// </summary>
public static class DissectCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("file") { Description = "A pcap/pcapng capture, a hex dump, or raw TLS bytes" };
        var json = new Option<bool>("--json") { Description = "Print the dissection as JSON" };
        var command = new Command("dissect", "Show the TLS records and handshake messages in a capture") { file, json };
        command.SetAction(parse => Run(parse.GetValue(file)!.FullName, parse.GetValue(json), Console.Out, Console.Error));
        return command;
    }

    /// <summary>Runs the command; returns the exit code (0, or 1 when the file cannot be read).</summary>
    public static int Run(string path, bool json, TextWriter output, TextWriter error)
    {
        try
        {
            var (kind, connections) = DissectReport.FromFile(path);
            output.Write(json ? DissectReport.ToJson(path, kind, connections) + "\n" : DissectReport.ToText(connections));
            return 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or InvalidDataException or FormatException)
        {
            error.WriteLine($"sharptls dissect: {e.Message}");
            return 1;
        }
    }
}
