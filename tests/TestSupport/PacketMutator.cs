namespace Network.TestSupport;

/// <summary>
/// Mutates valid packets for decoder fuzz tests: bit flips, truncations, interesting byte values where lengths sit,
/// small nudges, insertions and deletions, plus an optional edit that knows the protocol (a RADIUS Length field).
/// Seeded by the caller's <see cref="Random"/>, so a run is repeatable.
/// </summary>
public sealed class PacketMutator(byte[] interestingBytes, Action<Random, byte[], int>? protocolEdit = null)
{
    /// <summary>Copies <paramref name="original"/> into <paramref name="scratch"/> (which must have room to grow), mutates it, returns the new length.</summary>
    public int Mutate(Random random, byte[] original, byte[] scratch)
    {
        original.CopyTo(scratch, 0);
        int length = original.Length;
        int edits = 1 + random.Next(3);
        for (int e = 0; e < edits && length > 0; e++)
        {
            int at = random.Next(length);
            switch (random.Next(protocolEdit is null ? 6 : 7))
            {
                case 0:
                    scratch[at] ^= (byte)(1 << random.Next(8));
                    break;
                case 1:
                    length = at;
                    break;
                case 2:
                    scratch[at] = interestingBytes[random.Next(interestingBytes.Length)];
                    break;
                case 3:
                    scratch[at] = (byte)(scratch[at] + random.Next(-2, 3));
                    break;
                case 4:
                    int count = Math.Min(1 + random.Next(4), scratch.Length - length);
                    Array.Copy(scratch, at, scratch, at + count, length - at);
                    random.NextBytes(scratch.AsSpan(at, count));
                    length += count;
                    break;
                case 5:
                    int remove = Math.Min(1 + random.Next(4), length - at);
                    Array.Copy(scratch, at + remove, scratch, at, length - at - remove);
                    length -= remove;
                    break;
                default:
                    protocolEdit!(random, scratch, length);
                    break;
            }
        }

        return length;
    }
}
