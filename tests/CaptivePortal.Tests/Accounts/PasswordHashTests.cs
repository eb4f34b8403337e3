using System.Security.Cryptography;
using System.Text;
using CsCheck;
using Network.CaptivePortal.Accounts;

namespace Network.CaptivePortal.Tests.Accounts;

public class PasswordHashTests
{
    private const string Password = "Urbizone-Beursplein";

    // Made by implementations we did not write: the reference argon2 CLI (Debian package argon2,
    // `echo -n Urbizone-Beursplein | argon2 Flageyplein-2015 -id -t 2 -k 19456 -p 1 -l 32 -e`) and Python's hashlib.pbkdf2_hmac.
    [Theory]
    [InlineData("argon2 reference CLI, OWASP parameters", "$argon2id$v=19$m=19456,t=2,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$++O0F63CN/Qx3dJMZQvazOA9QxwZB0+HIkxadpASt58")]
    [InlineData("argon2 reference CLI, m=64 t=1", "$argon2id$v=19$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("hashlib PBKDF2-HMAC-SHA512, OWASP 210,000", "$pbkdf2-sha512$i=210000$U2ludC1HaWxsaXMtc2FsdA$IfroE2wqCwS78ioqkqS+cZ5bEaX3g5acuW+rtJZz7M4fygFJ0k/pmRdONkzswyjU428uVTatTB+A3t2Gs+ZiTw")]
    [InlineData("hashlib PBKDF2-HMAC-SHA256, OWASP 600,000", "$pbkdf2-sha256$i=600000$U2ludC1HaWxsaXMtc2FsdA$7N78RA5JhPyZJ212vU7rfH5B4IMzah239BPfQTPG+lg")]
    [InlineData("hashlib PBKDF2-HMAC-SHA512, 1,000 (legacy, to migrate)", "$pbkdf2-sha512$i=1000$U2ludC1HaWxsaXMtc2FsdA$FAN7/RsdMtPbLGgn+k+dTI3CFrF79lYZtIH8ylZUm0wJSL+Ew3v48165vQZCYliwYbzTXVGTmD3gisMfm/nFzQ")]
    public void Verifies_hashes_made_by_other_implementations(string description, string phc)
    {
        Assert.True(PasswordHash.TryParse(phc, out PasswordHash? hash), description);
        var hasher = new PasswordHasher(Argon2Parameters.Owasp);

        Assert.True(hasher.Verify(Password, hash, out bool needsRehash), description);
        Assert.False(hasher.Verify(Password + "!", hash, out _), description);
        Assert.Equal(phc != "$argon2id$v=19$m=19456,t=2,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$++O0F63CN/Qx3dJMZQvazOA9QxwZB0+HIkxadpASt58", needsRehash);
        Assert.Equal(phc, hash.ToPhcString());
    }

    [Fact]
    public void New_hashes_use_OWASPs_Argon2id_parameters()
    {
        Assert.Equal(new Argon2Parameters(19456, 2, 1), Argon2Parameters.Owasp);
        Assert.Equal(600_000, PasswordHasher.Pbkdf2Sha256Iterations);
        Assert.Equal(210_000, PasswordHasher.Pbkdf2Sha512Iterations);
        var hasher = new PasswordHasher(Argon2Parameters.Owasp);

        string phc = hasher.Hash(Password);

        Assert.StartsWith("$argon2id$v=19$m=19456,t=2,p=1$", phc, StringComparison.Ordinal);
        Assert.True(PasswordHash.TryParse(phc, out PasswordHash? hash));
        Assert.Equal(16, hash.Salt.Length);
        Assert.Equal(32, hash.Hash.Length);
        Assert.True(hasher.Verify(Password, hash, out bool needsRehash));
        Assert.False(needsRehash);
        Assert.DoesNotContain(Password, phc, StringComparison.Ordinal);
    }

    [Fact]
    public void Two_hashes_of_one_password_differ_by_their_salt()
    {
        var hasher = new PasswordHasher(PortalStore.Cheap);

        Assert.NotEqual(hasher.Hash(Password), hasher.Hash(Password));
    }

    [Fact]
    public void A_password_typed_composed_or_decomposed_is_the_same_password()
    {
        var hasher = new PasswordHasher(PortalStore.Cheap);
        string composed = "caf\u00e9-Flagey";
        string decomposed = "cafe\u0301-Flagey";
        Assert.True(PasswordHash.TryParse(hasher.Hash(composed), out PasswordHash? hash));

        Assert.True(hasher.Verify(decomposed, hash, out _));
    }

    [Theory]
    [InlineData("no leading dollar", "argon2id$v=19$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("argon2i, not argon2id", "$argon2i$v=19$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("version 16", "$argon2id$v=16$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("no version", "$argon2id$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("parameters out of order", "$argon2id$v=19$t=1,m=64,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("memory below 8 KiB per lane", "$argon2id$v=19$m=4,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("memory above 1 GiB", "$argon2id$v=19$m=2000000,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("negative iterations", "$argon2id$v=19$m=64,t=-1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("padded base64", "$argon2id$v=19$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ==$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("not base64", "$argon2id$v=19$m=64,t=1,p=1$Rmx!Z2V5cGxlaW4tMjAxNQ$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("salt too short", "$argon2id$v=19$m=64,t=1,p=1$c2FsdA$dlEc8LSnCv1IBtvWS6h5LmUoZeOwM0pPJUAP6VzoUjE")]
    [InlineData("hash field missing", "$argon2id$v=19$m=64,t=1,p=1$RmxhZ2V5cGxlaW4tMjAxNQ")]
    [InlineData("pbkdf2 without i=", "$pbkdf2-sha512$210000$U2ludC1HaWxsaXMtc2FsdA$7N78RA5JhPyZJ212vU7rfH5B4IMzah239BPfQTPG+lg")]
    [InlineData("pbkdf2-sha1", "$pbkdf2-sha1$i=1000$U2ludC1HaWxsaXMtc2FsdA$7N78RA5JhPyZJ212vU7rfH5B4IMzah239BPfQTPG+lg")]
    [InlineData("bcrypt", "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW")]
    [InlineData("plain text", "Urbizone-Beursplein")]
    [InlineData("empty", "")]
    public void Rejects_what_is_not_a_hash_this_store_reads(string description, string text)
    {
        Assert.False(PasswordHash.TryParse(text, out _), description);
    }

    [Fact]
    public void Outdated_hashes_need_a_rehash()
    {
        var hasher = new PasswordHasher(PortalStore.Cheap);
        byte[] salt = new byte[16];
        byte[] digest = new byte[32];

        Assert.False(hasher.NeedsRehash(new PasswordHash(PasswordAlgorithm.Argon2id, 128, 1, 1, salt, digest)));
        Assert.True(hasher.NeedsRehash(new PasswordHash(PasswordAlgorithm.Argon2id, 64, 1, 1, salt, digest)));
        Assert.True(hasher.NeedsRehash(new PasswordHash(PasswordAlgorithm.Argon2id, 128, 2, 1, salt, digest)));
        Assert.True(hasher.NeedsRehash(new PasswordHash(PasswordAlgorithm.Pbkdf2Sha512, 0, 210_000, 0, salt, digest)));
    }

    [Fact]
    public void PBKDF2_hashes_match_the_runtimes_own_derivation()
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        byte[] expected = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(Password), salt, 1000, HashAlgorithmName.SHA256, 32);
        var hash = new PasswordHash(PasswordAlgorithm.Pbkdf2Sha256, 0, 1000, 0, salt, expected);

        Assert.True(new PasswordHasher(PortalStore.Cheap).Verify(Password, hash, out bool needsRehash));
        Assert.True(needsRehash);
    }

    [Fact]
    public void Parsing_what_was_written_gives_back_the_same_hash()
    {
        Gen<PasswordHash> argon = Gen.Select(Gen.Int[8, 1 << 20], Gen.Int[1, 100], Gen.Byte.Array[8, 64], Gen.Byte.Array[16, 64])
            .Where(t => t.Item1 >= 8)
            .Select(t => new PasswordHash(PasswordAlgorithm.Argon2id, t.Item1, t.Item2, 1, t.Item3, t.Item4));
        Gen<PasswordHash> pbkdf2 = Gen.Select(Gen.Bool, Gen.Int[1, 10_000_000], Gen.Byte.Array[8, 64], Gen.Byte.Array[16, 64])
            .Select(t => new PasswordHash(t.Item1 ? PasswordAlgorithm.Pbkdf2Sha256 : PasswordAlgorithm.Pbkdf2Sha512, 0, t.Item2, 0, t.Item3, t.Item4));

        Gen.OneOf(argon, pbkdf2).Sample(hash =>
        {
            string phc = hash.ToPhcString();
            Assert.True(PasswordHash.TryParse(phc, out PasswordHash? parsed), phc);
            Assert.Equal((hash.Algorithm, hash.MemoryKiB, hash.Iterations, hash.Parallelism), (parsed.Algorithm, parsed.MemoryKiB, parsed.Iterations, parsed.Parallelism));
            Assert.Equal(hash.Salt, parsed.Salt);
            Assert.Equal(hash.Hash, parsed.Hash);
            Assert.Equal(phc, parsed.ToPhcString());
        }, iter: 2000);
    }

    [Fact]
    public void Arbitrary_text_never_throws_and_whatever_parses_writes_back_parseable()
    {
        static bool Invariant(string text) =>
            !PasswordHash.TryParse(text, out PasswordHash? hash) || PasswordHash.TryParse(hash.ToPhcString(), out _);

        Gen.String.Sample(Invariant, iter: 5000);
        Gen.Select(Gen.OneOf(Gen.Const("$argon2id$v=19$m="), Gen.Const("$pbkdf2-sha512$i=")), Gen.String).Select(t => t.Item1 + t.Item2)
            .Sample(Invariant, iter: 5000);
    }
}
