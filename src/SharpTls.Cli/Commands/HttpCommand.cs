using System.CommandLine;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Cli.Commands;

/// <summary>
/// <c>sharptls http add|update|delete|show sslcert</c>: the SSL bindings, with <c>netsh http</c>'s argument syntax,
/// messages and <c>show</c> layout. The bindings file is in the data folder (<c>$SHARPTLS_HOME</c>).
/// <c>sharptls http update|show protocols</c>: the server's protocol switches for every binding (what Schannel keeps in
/// the registry on Windows, <see cref="ProtocolSwitches"/>), beside the bindings file.
/// </summary>
internal static class HttpCommand
{
    public static Command Create()
    {
        var http = new Command("http", "SSL certificate bindings, as netsh http: add|update|delete|show sslcert; update|show protocols");
        http.Subcommands.Add(Verb("add", "adds an SSL binding: ipport=IP:port|hostnameport=host:port|ccs=port certhash=SHA1 appid={GUID} [setting=value...]"));
        var update = Verb("update", "changes settings of an SSL binding: KEY setting=value...");
        update.Subcommands.Add(ProtocolsVerb("update", "switches protocol versions on or off for every binding (Schannel's Protocols\\<name>\\Server\\Enabled): ssl3|tls1.0|tls1.1|tls1.2|tls1.3=enable|disable..."));
        http.Subcommands.Add(update);
        http.Subcommands.Add(Verb("delete", "deletes an SSL binding: KEY"));
        var show = Verb("show", "shows SSL bindings: [KEY] [--json]");
        show.Subcommands.Add(ProtocolsVerb("show", "shows the server's protocol switches"));
        http.Subcommands.Add(show);
        return http;
    }

    private static Command ProtocolsVerb(string verb, string description)
    {
        var protocols = new Command("protocols", description);
        var parameters = new Argument<string[]>("parameters") { Arity = verb == "show" ? ArgumentArity.Zero : ArgumentArity.OneOrMore, Description = "ssl3|tls1.0|tls1.1|tls1.2|tls1.3=enable|disable" };
        protocols.Arguments.Add(parameters);
        protocols.SetAction(parse =>
        {
            var store = new BindingStore();
            var switches = ProtocolSwitches.Beside(store);
            try
            {
                if (verb == "update")
                {
                    var now = switches.Update(parse.GetValue(parameters) ?? []);
                    Console.Out.Write($"\nProtocol switches successfully updated: {ProtocolSwitches.Describe(now)} on\n\n");
                    // Bindings whose own switches leave them nothing under the new ones are not served: say so now.
                    IReadOnlyList<SslBinding> bindings;
                    try { bindings = store.Load(); }
                    catch (BindingFormatException) { bindings = []; }
                    foreach (var b in bindings.Where(b => ProtocolSwitches.For(b, now) == TlsVersions.None))
                        Console.Error.Write($"Warning: {b.Key} is not served now: {BindingTable.NoVersionLeft(b, now)}\n");
                }
                else Console.Out.Write("\n" + NetshFormat.Protocols(switches.Load()));
                return 0;
            }
            catch (BindingFormatException e)
            {
                Fail(verb, 13, "The data is invalid.", $"{e.Message}\nThe file was not changed; correct it by hand (or move it away) and retry.", "Protocol switches");
            }
            catch (FormatException e)
            {
                Console.Error.Write($"\nThe parameter is incorrect.\n{e.Message}\n\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(verb, 5, "Access is denied.", e.Message, "Protocol switches");
            }
            return 1;
        });
        return protocols;
    }

    private static Command Verb(string verb, string description)
    {
        var sslcert = new Command("sslcert", description);
        var parameters = new Argument<string[]>("parameters") { Arity = ArgumentArity.ZeroOrMore, Description = "netsh parameters: name=value" };
        sslcert.Arguments.Add(parameters);
        var json = new Option<bool>("--json") { Description = "JSON instead of netsh's layout" };
        if (verb == "show") sslcert.Options.Add(json);
        sslcert.SetAction(parse => Run(verb, parse.GetValue(parameters) ?? [], parse.GetValue(json)));
        var command = new Command(verb, description);
        command.Subcommands.Add(sslcert);
        return command;
    }

    private static int Run(string verb, string[] parameters, bool json)
    {
        var admin = new BindingAdmin(new BindingStore(), new StoreCertificateSource());
        string what = verb switch { "add" => "add", "update" => "update", "delete" => "deletion", _ => "show" };
        try
        {
            switch (verb)
            {
                case "add":
                    admin.Add(parameters);
                    Console.Out.Write("\nSSL Certificate successfully added\n\n");
                    break;
                case "update":
                    admin.Update(parameters);
                    Console.Out.Write("\nSSL Certificate successfully updated\n\n");
                    break;
                case "delete":
                    admin.Delete(parameters);
                    Console.Out.Write("\nSSL Certificate successfully deleted\n\n");
                    break;
                default:
                    var shown = admin.Show(parameters);
                    var protocols = admin.Protocols.Load();
                    Console.Out.Write(json ? NetshFormat.Json(shown, protocols) : NetshFormat.Show(shown, protocols));
                    break;
            }
            return 0;
        }
        catch (BindingStoreException e)
        {
            Fail(what, e.ErrorCode, e.SystemMessage, e.Message);
        }
        catch (CertificateUnusableException e)
        {
            Fail(what, 1312, "The certificate cannot be used for this binding:", e.Message);
        }
        catch (BindingFormatException e)
        {
            Fail(what, 13, "The data is invalid.", $"{e.Message}\nThe {(e.File == admin.Protocols.Path ? "protocol switches file" : "bindings file")} was not changed; correct it by hand (or move it away) and retry.");
        }
        catch (FormatException e)
        {
            Console.Error.Write($"\nThe parameter is incorrect.\n{e.Message}\n\n");
        }
        catch (IOException e)
        {
            Fail(what, 5, "Access is denied.", e.Message);
        }
        catch (UnauthorizedAccessException e)
        {
            Fail(what, 5, "Access is denied.", e.Message);
        }
        return 1;
    }

    private static void Fail(string what, int code, string systemMessage, string detail, string subject = "SSL Certificate")
        => Console.Error.Write(what == "show"
            ? $"\n{systemMessage}\n{detail}\n\n"
            : $"\n{subject} {what} failed, Error: {code}\n{systemMessage}\n{detail}\n\n");
}
