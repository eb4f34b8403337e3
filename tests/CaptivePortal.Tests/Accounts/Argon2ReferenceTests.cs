using System.Text;
using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Tests.Accounts;

/// <summary>
/// The Argon2id of <see cref="PasswordHasher"/> (libsodium for one lane and a 16-byte salt, Konscious otherwise) against
/// the reference implementation of the Password Hashing Competition (Debian's <c>argon2</c> command), and both of its
/// implementations against each other.
/// </summary>
public sealed class Argon2ReferenceTests
{
    // Each line: what the reference command printed for the password on its standard input, e.g.
    //   printf 'pw' | argon2 saltsaltsaltsalt -id -t 2 -k 19456 -p 1 -l 32 -e
    [Theory]
    [InlineData("OWASP costs, one lane (libsodium)", "pw", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aOJaI7vUM9/qm6/8sgni9fVmwMtEMUdxlpUqY5SGAGE")]
    [InlineData("a password that NFKC changes: the reference hashed 'fi-Ελλάδα'", "\uFB01-Ελλάδα", "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$x59CMNk1lw5db7KZIanbnSyoHXtdRKjMPXK6D6QS4Yc")]
    [InlineData("two lanes (Konscious)", "Sint-Joost-2026!", "$argon2id$v=19$m=1024,t=3,p=2$YnJ1c3NlbHMtc2FsdC0xNg$fVgjbis5TFavGsq49bZaZ1Hjxb3wGCvYIZo4PkmlRaU")]
    [InlineData("the smallest costs, a 16-byte hash", "Sint-Joost-2026!", "$argon2id$v=19$m=64,t=1,p=1$YnJ1c3NlbHMtc2FsdC0xNg$qJupQsHlBqc4GppC33/JcA")]
    public void A_hash_from_the_reference_implementation_verifies(string description, string password, string phc)
    {
        var hasher = new PasswordHasher(Argon2Parameters.Owasp);
        Assert.True(PasswordHash.TryParse(phc, out PasswordHash? hash), description);

        Assert.True(hasher.Verify(password, hash, out _), description);
        Assert.False(hasher.Verify(password + "x", hash, out _), description);
    }

    [Fact]
    public void Libsodium_and_Konscious_give_the_same_hash_for_one_lane()
    {
        // Seeded, so a failure names its case: passwords of 1 to 40 characters, 16-byte salts, 8 to 256 KiB, 1 to 3 passes, 16 to 64 bytes.
        var random = new Random(9106);
        var hasher = new PasswordHasher(Argon2Parameters.Owasp);
        for (int i = 0; i < 40; i++)
        {
            string password = new([.. Enumerable.Range(0, random.Next(1, 41)).Select(_ => (char)random.Next(0x21, 0x7F))]);
            byte[] salt = new byte[16];
            random.NextBytes(salt);
            int memory = random.Next(8, 257);
            int passes = random.Next(1, 4);
            int length = random.Next(16, 65);
            byte[] expected;
            using (var konscious = new Konscious.Security.Cryptography.Argon2id(Encoding.UTF8.GetBytes(password))
            {
                Salt = salt,
                MemorySize = memory,
                Iterations = passes,
                DegreeOfParallelism = 1,
            })
            {
                expected = konscious.GetBytes(length);
            }

            var hash = new PasswordHash(PasswordAlgorithm.Argon2id, memory, passes, 1, salt, expected);
            Assert.True(hasher.Verify(password, hash, out _), $"case {i}: {hash.ToPhcString()}");
        }
    }
}
