using SharpTls.Sessions;
using SharpTls.Tests.Rfc8448;

namespace SharpTls.Tests.TicketKeys;

/// <summary>
/// The ticket key ring README calls "rotating, exportable": a ticket opens only intact and under a key the ring still
/// holds; a new key seals after <see cref="TicketKeyRing.RotationInterval"/>, the old one still opens until
/// <see cref="TicketKeyRing.KeyLifetime"/> and not after; an exported file (mode 600) lets another ring open the tickets,
/// and a malformed file is refused with its line. Time is a manual clock: nothing waits.
/// </summary>
public class TicketKeyRingTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly byte[] State = "the session state"u8.ToArray();

    [Fact]
    public void A_ticket_opens_intact_and_any_changed_or_missing_byte_refuses_it()
    {
        using var ring = new TicketKeyRing(new ManualTime(Start));
        byte[] ticket = ring.Seal(State);
        Assert.Equal(TicketKeyRing.Overhead + State.Length, ticket.Length);
        Assert.Equal(State, ring.Open(ticket));
        Assert.DoesNotContain("the session state", System.Text.Encoding.ASCII.GetString(ticket)); // sealed, not signed
        for (int i = 0; i < ticket.Length; i++) // key id, nonce, state and tag: each byte counts
        {
            byte[] forged = (byte[])ticket.Clone();
            forged[i] ^= 0x01;
            Assert.Null(ring.Open(forged));
        }
        Assert.Null(ring.Open(ticket.AsSpan(0, ticket.Length - 1)));
        Assert.Null(ring.Open(ticket.AsSpan(0, TicketKeyRing.Overhead - 1)));
        Assert.NotEqual(ticket, ring.Seal(State)); // a fresh nonce each time
    }

    [Fact]
    public void A_new_key_seals_after_the_rotation_interval_and_the_old_one_opens_until_its_lifetime_ends()
    {
        var clock = new ManualTime(Start);
        using var ring = new TicketKeyRing(clock) { RotationInterval = TimeSpan.FromHours(12), KeyLifetime = TimeSpan.FromHours(36) };
        byte[] first = ring.Seal(State);
        clock.Now = Start.AddHours(11);
        Assert.Equal(first[..16], ring.Seal(State)[..16]); // same key id within the interval
        Assert.Equal(1, ring.Count);

        clock.Now = Start.AddHours(12);
        byte[] second = ring.Seal(State);
        Assert.NotEqual(first[..16], second[..16]); // rotated
        Assert.Equal(2, ring.Count);
        Assert.Equal(State, ring.Open(first));      // the old key still opens
        Assert.Equal(State, ring.Open(second));

        clock.Now = Start.AddHours(36);
        Assert.Equal(State, ring.Open(first));      // at its lifetime, still
        clock.Now = Start.AddHours(36).AddSeconds(1);
        Assert.Null(ring.Open(first));              // past it, never again
        Assert.Equal(State, ring.Open(second));
        Assert.Equal(1, ring.Count);

        ring.Rotate();                              // an administrator's rotation: a new current key at once
        byte[] third = ring.Seal(State);
        Assert.NotEqual(second[..16], third[..16]);
        Assert.Equal(State, ring.Open(second));
    }

    [Fact]
    public void An_exported_file_lets_another_ring_open_the_tickets_and_a_malformed_one_is_refused_with_its_line()
    {
        string dir = Directory.CreateTempSubdirectory("sharptls-ticketkeys-").FullName;
        try
        {
            var clock = new ManualTime(Start);
            using var ring = new TicketKeyRing(clock);
            byte[] before = ring.Seal(State);
            clock.Now = Start.AddHours(13);
            byte[] after = ring.Seal(State);
            string file = Path.Combine(dir, "ticket.keys");
            ring.Export(file);
            if (!OperatingSystem.IsWindows())
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file)); // a secret

            using var other = new TicketKeyRing(clock);
            Assert.Null(other.Open(after));
            other.Import(file);
            Assert.Equal(2, other.Count);
            Assert.Equal(State, other.Open(before));
            Assert.Equal(State, other.Open(after));
            Assert.Equal(after[..16], other.Seal(State)[..16]); // it seals with the same current key

            string[] lines = File.ReadAllLines(file);
            string bad = Path.Combine(dir, "bad.keys");
            File.WriteAllLines(bad, [lines[0], lines[1], "12345 not-hex"]);
            var e = Assert.Throws<FormatException>(() => other.Import(bad));
            Assert.Contains("bad.keys:3", e.Message);
            File.WriteAllLines(bad, [lines[0], lines[1][..^2]]); // a key one byte short
            e = Assert.Throws<FormatException>(() => other.Import(bad));
            Assert.Contains("bad.keys:2", e.Message);
            Assert.Equal(State, other.Open(after)); // a refused file leaves the ring as it was
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
