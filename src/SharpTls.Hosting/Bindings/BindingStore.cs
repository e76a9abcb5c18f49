using System.Text;

namespace SharpTls.Hosting.Bindings;

/// <summary>The bindings file is not valid. It is never overwritten while it is so.</summary>
public sealed class BindingFormatException(string message, string? file = null, int? line = null) : FormatException(message)
{
    /// <summary>The file, when the error is in one.</summary>
    public string? File { get; } = file;

    /// <summary>The 1-based line, when the error is on one.</summary>
    public int? Line { get; } = line;
}

/// <summary>A change to the bindings that cannot be made; <see cref="ErrorCode"/> is the Win32 code netsh would report.</summary>
public sealed class BindingStoreException(int errorCode, string message) : Exception(message)
{
    /// <summary>183: the key already exists (add). 2: the key does not exist (update, delete, show).</summary>
    public int ErrorCode { get; } = errorCode;

    /// <summary>The Win32 text netsh prints under the error code.</summary>
    public string SystemMessage => ErrorCode switch
    {
        183 => "Cannot create a file when that file already exists.",
        2 => "The system cannot find the file specified.",
        87 => "The parameter is incorrect.",
        _ => Message,
    };
}

/// <summary>
/// The bindings file (our <c>SslBindingInfo</c> registry key): one binding a line in <c>netsh http add sslcert</c>
/// syntax, <c>#</c> comments. Read strictly (any error names its line and the file is then never written);
/// written atomically (temporary file, fsync, rename, fsync of the folder) under an exclusive lock file, so
/// concurrent writers serialise and a writer killed at any point leaves the old or the new file.
/// </summary>
public sealed class BindingStore
{
    /// <summary>The file name in the data folder.</summary>
    public const string FileName = "sslbindings.conf";

    /// <summary>The largest bindings file read (a limit on a size another process controls).</summary>
    public const int MaxFileBytes = 4 * 1024 * 1024;

    private const string Header =
        "# SharpTls SSL certificate bindings: one a line, in `sharptls http add sslcert` syntax.\n" +
        "# Written by `sharptls http add|update|delete sslcert`; a running host sees changes within a second.\n";

    /// <summary>Opens the store at <paramref name="path"/>, or at <c>&lt;data folder&gt;/sslbindings.conf</c>.</summary>
    public BindingStore(string? path = null)
    {
        Path = System.IO.Path.GetFullPath(path ?? System.IO.Path.Combine(SharpTlsHome.DataDirectory, FileName));
    }

    /// <summary>The bindings file.</summary>
    public string Path { get; }

    /// <summary>Reads every binding; a missing file is an empty table.</summary>
    /// <exception cref="BindingFormatException">The file is not valid; the message names the file and line.</exception>
    public IReadOnlyList<SslBinding> Load()
    {
        byte[]? bytes;
        try { bytes = AtomicFile.ReadAll(Path, MaxFileBytes, "a bindings file"); }
        catch (FormatException e) { throw new BindingFormatException(e.Message, Path); }
        if (bytes is null) return [];
        return Parse(bytes, Path);
    }

    /// <summary>Parses the bytes of a bindings file (strict UTF-8, one binding a line).</summary>
    /// <exception cref="BindingFormatException">The first error, with its line.</exception>
    public static IReadOnlyList<SslBinding> Parse(ReadOnlySpan<byte> bytes, string file)
    {
        string text;
        try { text = new UTF8Encoding(false, true).GetString(bytes); }
        catch (DecoderFallbackException e) { throw new BindingFormatException($"{file}: not UTF-8 text (byte {e.Index})", file); }
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var result = new List<SslBinding>();
        var keys = new Dictionary<BindingKey, int>();
        int number = 0;
        foreach (string raw in text.Split('\n'))
        {
            number++;
            string line = raw.TrimEnd('\r').Trim();
            if (line.Length == 0 || line[0] == '#') continue;
            SslBinding binding;
            try { binding = SslBinding.Parse(SslBinding.SplitArguments(line)); }
            catch (FormatException e) { throw new BindingFormatException($"{file} line {number}: {e.Message}", file, number); }
            if (keys.TryGetValue(binding.Key, out int first))
                throw new BindingFormatException($"{file} line {number}: {binding.Key} is already bound on line {first}", file, number);
            keys.Add(binding.Key, number);
            result.Add(binding);
        }
        return result;
    }

    /// <summary>The text of a bindings file holding <paramref name="bindings"/>.</summary>
    public static string Format(IEnumerable<SslBinding> bindings)
    {
        var sb = new StringBuilder(Header);
        foreach (var b in bindings) sb.Append(b.ToCommandLine()).Append('\n');
        return sb.ToString();
    }

    /// <summary>Adds a binding.</summary>
    /// <exception cref="BindingStoreException">183 when its key is already bound.</exception>
    public void Add(SslBinding binding) => Change(all =>
    {
        if (all.Any(b => b.Key == binding.Key)) throw new BindingStoreException(183, $"{binding.Key} is already bound");
        all.Add(binding);
    });

    /// <summary>Replaces the binding with the same key.</summary>
    /// <exception cref="BindingStoreException">2 when no binding has that key.</exception>
    public void Update(SslBinding binding) => Change(all =>
    {
        int i = all.FindIndex(b => b.Key == binding.Key);
        if (i < 0) throw new BindingStoreException(2, $"{binding.Key} is not bound");
        all[i] = binding;
    });

    /// <summary>Changes the binding with key <paramref name="key"/> (read, change, write under the lock).</summary>
    /// <exception cref="BindingStoreException">2 when no binding has that key.</exception>
    public SslBinding Update(BindingKey key, Func<SslBinding, SslBinding> change)
    {
        SslBinding? updated = null;
        Change(all =>
        {
            int i = all.FindIndex(b => b.Key == key);
            if (i < 0) throw new BindingStoreException(2, $"{key} is not bound");
            updated = change(all[i]);
            if (updated.Key != key) throw new ArgumentException("an update cannot change the binding's key");
            all[i] = updated;
        });
        return updated!;
    }

    /// <summary>Deletes the binding with key <paramref name="key"/>.</summary>
    /// <exception cref="BindingStoreException">2 when no binding has that key.</exception>
    public void Delete(BindingKey key) => Change(all =>
    {
        if (all.RemoveAll(b => b.Key == key) == 0) throw new BindingStoreException(2, $"{key} is not bound");
    });

    /// <summary>Replaces the whole file with <paramref name="bindings"/> (atomically, under the lock).</summary>
    public void Save(IReadOnlyList<SslBinding> bindings)
    {
        if (bindings.Select(b => b.Key).Distinct().Count() != bindings.Count) throw new ArgumentException("two bindings have the same key", nameof(bindings));
        using var _ = AcquireLock();
        WriteAtomically(Format(bindings));
    }

    /// <summary>Read, change, write, holding the lock, so concurrent writers never lose each other's changes.
    /// A file that does not parse is left untouched (the <see cref="BindingFormatException"/> propagates).</summary>
    private void Change(Action<List<SslBinding>> change)
    {
        using var _ = AcquireLock();
        var all = Load().ToList();
        change(all);
        WriteAtomically(Format(all));
    }

    private FileStream AcquireLock() => AtomicFile.Lock(Path);

    private void WriteAtomically(string text) => AtomicFile.Write(Path, text);
}
