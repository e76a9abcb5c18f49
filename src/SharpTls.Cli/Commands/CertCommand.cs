using System.CommandLine;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using SharpTls.Hosting.Bindings;
using SharpTls.Hosting.Certificates;

namespace SharpTls.Cli.Commands;

/// <summary>
/// <c>sharptls cert new|import|list|delete</c>: certificates in the CurrentUser store (<c>MY</c> by default) that
/// bindings name by thumbprint. PFX passwords come from <c>$SHARPTLS_PFX_PASSWORD</c> or a prompt, never the command line.
/// </summary>
internal static class CertCommand
{
    /// <summary>The environment variable a PFX password is read from.</summary>
    public const string PasswordVariable = "SHARPTLS_PFX_PASSWORD";

    public static Command Create()
    {
        var cert = new Command("cert", "certificates in the CurrentUser store, named by bindings' certhash");
        cert.Subcommands.Add(New());
        cert.Subcommands.Add(Import());
        cert.Subcommands.Add(List());
        cert.Subcommands.Add(Delete());
        return cert;
    }

    private static Option<string> StoreOption() => new("--store") { Description = "store name (CurrentUser)", DefaultValueFactory = _ => "MY" };

    private static Command New()
    {
        var dns = new Option<string[]>("--dns") { Description = "a DNS name (or IP address) of the certificate; repeat for more", Required = true, AllowMultipleArgumentsPerToken = true };
        var ca = new Option<FileInfo?>("--ca") { Description = "the issuing CA with its key: PFX (password from $" + PasswordVariable + ") or PEM (certificate and key in one file); self-signed without it" };
        var key = new Option<string>("--key") { Description = "key type: ecdsa (P-256) or rsa (2048)", DefaultValueFactory = _ => "ecdsa" };
        key.AcceptOnlyFromAmong("ecdsa", "rsa");
        var days = new Option<int>("--days") { Description = "validity in days", DefaultValueFactory = _ => 365 };
        var store = StoreOption();
        var cmd = new Command("new", "creates a server certificate and adds it to the store; prints its thumbprint") { dns, ca, key, days, store };
        cmd.SetAction(parse => Guard(() =>
        {
            X509Certificate2? issuer = parse.GetValue(ca) is { } caFile ? LoadWithKey(caFile.FullName, null) : null;
            if (issuer is not null && !issuer.HasPrivateKey) throw new ArgumentException($"{parse.GetValue(ca)!.FullName}: the CA's private key is not in the file");
            int d = parse.GetValue(days);
            if (d is < 1 or > 3650) throw new ArgumentException("--days: 1 to 3650");
            using var created = CertificateFactory.CreateServer(parse.GetValue(dns)!, issuer,
                parse.GetValue(key) == "rsa" ? CertificateKeyKind.Rsa : CertificateKeyKind.Ecdsa, TimeSpan.FromDays(d));
            string storeName = parse.GetValue(store)!;
            new StoreCertificateSource().Add(created, storeName);
            Console.Out.WriteLine(created.Thumbprint);
            Console.Error.WriteLine($"added to CurrentUser\\{storeName}: {created.Subject}, {CertificateChecks.KeyType(created)}, expires {created.NotAfter.ToUniversalTime():yyyy-MM-dd}" +
                                    (issuer is null ? " (self-signed)" : $", issued by {issuer.Subject}"));
            Console.Error.WriteLine($"bind it: sharptls http add sslcert hostnameport={parse.GetValue(dns)![0]}:443 certhash={created.Thumbprint} appid={{{Guid.NewGuid()}}}");
            return 0;
        }));
        return cmd;
    }

    private static Command Import()
    {
        var file = new Argument<FileInfo>("file") { Description = "FILE.pfx (password from $" + PasswordVariable + " or a prompt) or FILE.pem" };
        var keyFile = new Option<FileInfo?>("--key") { Description = "the PEM private key of a PEM certificate (when not in the same file)" };
        var store = StoreOption();
        var cmd = new Command("import", "adds a certificate with its private key to the store; intermediates go to the CA store") { file, keyFile, store };
        cmd.SetAction(parse => Guard(() =>
        {
            string path = parse.GetValue(file)!.FullName;
            var source = new StoreCertificateSource();
            string storeName = parse.GetValue(store)!;
            var all = LoadAll(path, parse.GetValue(keyFile)?.FullName);
            var leaf = all.FirstOrDefault(c => c.HasPrivateKey) ?? throw new ArgumentException($"{path}: no certificate with its private key (give the key with --key K.pem)");
            if (CertificateChecks.Problem(leaf, DateTimeOffset.UtcNow) is { } problem) Console.Error.WriteLine($"warning: {problem}; a binding will refuse it");
            source.Add(leaf, storeName);
            foreach (var c in all)
                if (!ReferenceEquals(c, leaf) && !c.SubjectName.RawData.AsSpan().SequenceEqual(c.IssuerName.RawData))
                    source.Add(c, "CA");
            Console.Out.WriteLine(leaf.Thumbprint);
            Console.Error.WriteLine($"imported to CurrentUser\\{storeName}: {leaf.Subject}, {CertificateChecks.KeyType(leaf)}, expires {leaf.NotAfter.ToUniversalTime():yyyy-MM-dd}");
            return 0;
        }));
        return cmd;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "JSON output" };
        var store = StoreOption();
        var cmd = new Command("list", "lists the certificates of the store: thumbprint, subject, names, expiry, key") { json, store };
        cmd.SetAction(parse => Guard(() =>
        {
            var certificates = new StoreCertificateSource().List(parse.GetValue(store)!);
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(certificates.Select(c => new
                {
                    thumbprint = c.Thumbprint, subject = c.Subject, issuer = c.Issuer, dnsNames = c.DnsNames,
                    notBefore = c.NotBefore, notAfter = c.NotAfter, keyType = c.KeyType, hasPrivateKey = c.HasPrivateKey, store = c.StoreName,
                }), new JsonSerializerOptions { WriteIndented = true }));
                return 0;
            }
            if (certificates.Count == 0) { Console.Out.WriteLine($"no certificates in CurrentUser\\{parse.GetValue(store)}"); return 0; }
            Console.Out.WriteLine($"{"Thumbprint",-40}  {"Expires",-10}  {"Key",-11}  {"Subject",-28}  Names");
            foreach (var c in certificates)
                Console.Out.WriteLine($"{c.Thumbprint,-40}  {c.NotAfter:yyyy-MM-dd}  {c.KeyType,-11}  {c.Subject,-28}  {string.Join(", ", c.DnsNames)}{(c.HasPrivateKey ? "" : "  (no private key)")}");
            return 0;
        }));
        return cmd;
    }

    private static Command Delete()
    {
        var thumbprint = new Argument<string>("thumbprint") { Description = "SHA-1 thumbprint (40 hex digits)" };
        var force = new Option<bool>("--force") { Description = "delete even when a binding names it" };
        var store = StoreOption();
        var cmd = new Command("delete", "removes a certificate from the store") { thumbprint, force, store };
        cmd.SetAction(parse => Guard(() =>
        {
            string hash = parse.GetValue(thumbprint)!.ToUpperInvariant();
            string storeName = parse.GetValue(store)!;
            var users = new BindingStore().Load().Where(b => b.CertificateHash == hash && string.Equals(b.CertificateStoreName, storeName, StringComparison.OrdinalIgnoreCase)).ToList();
            if (users.Count > 0 && !parse.GetValue(force))
            {
                Console.Error.WriteLine($"the certificate {hash} is bound by {string.Join(", ", users.Select(u => u.Key))}: delete or update the binding first (or use --force)");
                return 1;
            }
            if (!new StoreCertificateSource().Remove(hash, storeName))
            {
                Console.Error.WriteLine($"no certificate with thumbprint {hash} in CurrentUser\\{storeName}");
                return 1;
            }
            Console.Out.WriteLine($"deleted {hash} from CurrentUser\\{storeName}");
            return 0;
        }));
        return cmd;
    }

    private static int Guard(Func<int> action)
    {
        try { return action(); }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException or FormatException
                                      or System.Security.Cryptography.CryptographicException or BindingFormatException)
        {
            Console.Error.WriteLine($"sharptls cert: {e.Message}");
            return 1;
        }
    }

    private static X509Certificate2 LoadWithKey(string path, string? keyPath)
        => LoadAll(path, keyPath).FirstOrDefault(c => c.HasPrivateKey) ?? throw new ArgumentException($"{path}: no certificate with its private key");

    // PFX (by extension or content) or PEM; keys are made persistable with a PKCS#12 round trip.
    private static List<X509Certificate2> LoadAll(string path, string? keyPath)
    {
        byte[] bytes = File.ReadAllBytes(path);
        bool pem = bytes.AsSpan().IndexOf("-----BEGIN"u8) >= 0;
        if (!pem)
        {
            string? password = Environment.GetEnvironmentVariable(PasswordVariable);
            X509Certificate2Collection all;
            try { all = X509CertificateLoader.LoadPkcs12Collection(bytes, password, X509KeyStorageFlags.Exportable); }
            catch (System.Security.Cryptography.CryptographicException) when (password is null && !Console.IsInputRedirected)
            {
                all = X509CertificateLoader.LoadPkcs12Collection(bytes, Prompt($"password for {path}: "), X509KeyStorageFlags.Exportable);
            }
            catch (System.Security.Cryptography.CryptographicException e)
            {
                throw new ArgumentException(password is null
                    ? $"{path}: {e.Message} (give the password in ${PasswordVariable}, or run at a terminal to be asked)"
                    : $"{path}: {e.Message} (the password from ${PasswordVariable})", e);
            }
            return [.. all];
        }
        var certs = new X509Certificate2Collection();
        certs.ImportFromPemFile(path);
        if (certs.Count == 0) throw new ArgumentException($"{path}: no CERTIFICATE block");
        var result = new List<X509Certificate2>();
        var withKey = X509Certificate2.CreateFromPemFile(path, keyPath ?? path);
        result.Add(X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null, X509KeyStorageFlags.Exportable));
        result.AddRange(certs.Skip(1));
        return result;
    }

    private static string Prompt(string text)
    {
        Console.Error.Write(text);
        var chars = new System.Text.StringBuilder();
        for (var k = Console.ReadKey(intercept: true); k.Key != ConsoleKey.Enter; k = Console.ReadKey(intercept: true))
            if (k.Key == ConsoleKey.Backspace) { if (chars.Length > 0) chars.Length--; }
            else chars.Append(k.KeyChar);
        Console.Error.WriteLine();
        return chars.ToString();
    }
}
