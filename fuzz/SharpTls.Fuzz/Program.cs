using SharpFuzz;
using SharpTls.Fuzz;

// Usage: SharpTls.Fuzz <harness>            run under afl-fuzz (SharpFuzz's out-of-process mode)
//        SharpTls.Fuzz <harness> FILE...    run inputs once (reproduce a crash)
//        SharpTls.Fuzz seeds DIR              write the CompressedCertificate seeds of the dissect corpus (Seeds.cs)
if (args is ["seeds", var directory])
{
    Seeds.WriteCompressedCertificates(directory);
    return 0;
}
if (args.Length == 0 || !Harnesses.All.TryGetValue(args[0], out var harness))
{
    Console.Error.WriteLine($"usage: SharpTls.Fuzz <{string.Join('|', Harnesses.All.Keys)}> [FILE...]");
    return 2;
}
if (args.Length > 1)
{
    foreach (string file in args.Skip(1)) harness(File.ReadAllBytes(file));
    return 0;
}
Fuzzer.OutOfProcess.Run(stream =>
{
    using var buffer = new MemoryStream();
    stream.CopyTo(buffer);
    harness(buffer.ToArray());
});
return 0;
